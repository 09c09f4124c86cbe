/** The publish workflow end to end: the ASL of the stack, its Lambda task and service integrations. */
import { eventually } from '@serverless-week/test-support';
import { makeJpeg } from '../support/images';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
}, 60000);

afterAll(async () => {
  await cloud?.dispose();
});

interface WorkflowStatus {
  status: string;
  error?: { error: string; cause: string };
}

async function runWorkflow(itemId: string): Promise<WorkflowStatus> {
  const started = await cloud.post('/workflows', { itemId });
  expect(started.status).toBe(202);
  const { executionId } = (await started.json()) as { executionId: string };
  return eventually(
    async () => {
      const status = await cloud.getJson<WorkflowStatus>(`/workflows/${executionId}`);
      return status.status === 'RUNNING' ? undefined : status;
    },
    { what: 'the workflow to finish' },
  );
}

it('publishes an item whose image is ready: the execution SUCCEEDS and the item is published', async () => {
  // Given a draft item with a ready image
  const { id } = (await (await cloud.post('/items', { name: 'Ready to publish' })).json()) as {
    id: string;
  };
  await cloud.uploadImage(id, await makeJpeg(400, 300));
  await eventually(
    async () => {
      const item = await cloud.getJson<{ image?: { status: string } }>(`/items/${id}`);
      return item.image?.status === 'ready' ? true : undefined;
    },
    { what: 'the image to be ready' },
  );

  // When the publish workflow runs for it
  const result = await runWorkflow(id);

  // Then it succeeds and the item is published
  expect(result.status).toBe('SUCCEEDED');
  const item = await cloud.getJson<{ status: string }>(`/items/${id}`);
  expect(item.status).toBe('published');
});

it('fails the execution with a reason for an item without an image, and records it on the item', async () => {
  const { id } = (await (await cloud.post('/items', { name: 'No picture yet' })).json()) as {
    id: string;
  };

  const result = await runWorkflow(id);

  expect(result.status).toBe('FAILED');
  expect(result.error?.error).toBeTruthy();
  expect(result.error?.cause).toBeTruthy();
  const item = await cloud.getJson<{ status: string; publishFailure?: unknown }>(`/items/${id}`);
  expect(item.status).toBe('draft');
  expect(item.publishFailure).toBeDefined();
});
