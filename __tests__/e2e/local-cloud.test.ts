/**
 * The local cloud end to end: the real stack, the real handler zips, the API, triggers, fan-out
 * and workflows, driven the way a user (or the website) drives them.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DEFAULT_ADMIN_CREDENTIALS } from '@serverless-week/local-cloud';
import { eventually } from '@serverless-week/test-support';
import { decodeJpeg, makeJpeg } from '../support/images';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
}, 60000);

afterAll(async () => {
  await cloud?.dispose();
});

async function createItem(name: string): Promise<{ id: string }> {
  const response = await cloud.post('/items', { name });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string };
}

interface ItemView {
  id: string;
  status: string;
  image?: { status: string; thumbnailUrl?: string; width?: number; height?: number };
  publishFailure?: unknown;
}

interface AuditLog {
  entries: { type: string; detail: Record<string, unknown> }[];
}

interface Inbox {
  messages: { body: string }[];
}

const getItem = (id: string): Promise<ItemView> => cloud.getJson<ItemView>(`/items/${id}`);

async function uploadImage(id: string, bytes: Buffer): Promise<void> {
  const put = await cloud.uploadImage(id, bytes);
  expect(put.status).toBe(200);
}

/** An item whose uploaded JPEG has become a thumbnail, with the URL get-item signed for it. */
async function itemWithThumbnail(name: string): Promise<{ id: string; thumbnailUrl: string }> {
  const { id } = await createItem(name);
  await uploadImage(id, await makeJpeg(400, 300));
  const thumbnailUrl = await eventually(
    async () => {
      const item = await getItem(id);
      return item.image?.status === 'ready' ? item.image.thumbnailUrl : undefined;
    },
    { what: 'the thumbnail' },
  );
  return { id, thumbnailUrl };
}

/** The account administrator's key pair, as a developer's CLI signs with it. */
const ADMIN = DEFAULT_ADMIN_CREDENTIALS;

/** The record Lambda sends to an on-failure destination. */
interface FailureRecord {
  requestContext: { condition: string; approximateInvokeCount: number };
  requestPayload?: { marker?: string };
}

describe('boot', () => {
  it('writes its endpoints and the administrator’s key pair to endpoints.json, for its owner only', () => {
    const file = join(cloud.dataDir, 'endpoints.json');

    const written = JSON.parse(readFileSync(file, 'utf8')) as unknown;

    // (SDK clients add a `$source` to the credentials objects they are given.)
    expect(written).toEqual({
      ...cloud.endpoints,
      credentials: {
        accessKeyId: DEFAULT_ADMIN_CREDENTIALS.accessKeyId,
        secretAccessKey: DEFAULT_ADMIN_CREDENTIALS.secretAccessKey,
      },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('serves the website with a config.json that points at the local API', async () => {
    const page = await fetch(`${cloud.endpoints.web}/`);
    const config = (await (await fetch(`${cloud.endpoints.web}/config.json`)).json()) as {
      apiUrl: string;
    };

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    expect(config.apiUrl).toBe(cloud.endpoints.api);
  });

  it('answers an unknown website path with the error document and 404', async () => {
    const response = await fetch(`${cloud.endpoints.web}/no/such/page.html`);

    expect(response.status).toBe(404);
    expect(await response.text()).toContain('<html');
  });
});

describe('images', () => {
  it('turns a JPEG uploaded through the pre-signed URL into a fetchable thumbnail', async () => {
    // Given an item
    const { id } = await createItem('A photographed thing');

    // When a 1 MP JPEG is uploaded through the pre-signed URL the API hands out
    await uploadImage(id, await makeJpeg(1200, 800));

    // Then the item's image becomes ready, and its thumbnail URL serves a small JPEG
    const image = await eventually(
      async () => {
        const item = await getItem(id);
        return item.image?.status === 'ready' ? item.image : undefined;
      },
      { what: 'the image to be ready' },
    );
    const thumbnail = await fetch(image.thumbnailUrl ?? '');
    expect(thumbnail.status).toBe(200);
    const size = decodeJpeg(Buffer.from(await thumbnail.arrayBuffer()));
    expect(Math.max(size.width, size.height)).toBe(256);
  });

  it('lists an item with a thumbnail URL that loads', async () => {
    // Given an item whose image is ready
    const { id } = await itemWithThumbnail('Listed with a thumbnail');

    // When the items are listed
    const page = await cloud.getJson<{ items: ItemView[] }>('/items?limit=100');

    // Then the item's thumbnail URL, signed by the list function, serves the thumbnail
    const listed = page.items.find((item) => item.id === id);
    const thumbnail = await fetch(listed?.image?.thumbnailUrl ?? '');
    expect(thumbnail.status).toBe(200);
  });

  it('answers an update with a thumbnail URL that loads', async () => {
    const { id } = await itemWithThumbnail('Updated with a thumbnail');

    const response = await cloud.api(`/items/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Renamed with a thumbnail' }),
    });

    expect(response.status).toBe(200);
    const updated = (await response.json()) as ItemView;
    const thumbnail = await fetch(updated.image?.thumbnailUrl ?? '');
    expect(thumbnail.status).toBe(200);
  });

  it('deletes the thumbnail with its item', async () => {
    // Given an item with a thumbnail, and a URL to it signed before the delete
    const { id, thumbnailUrl } = await itemWithThumbnail('Deleted with its thumbnail');

    // When the item is deleted
    const deleted = await cloud.api(`/items/${id}`, { method: 'DELETE' });

    // Then the thumbnail is gone too
    expect(deleted.status).toBe(204);
    const thumbnail = await fetch(thumbnailUrl);
    expect(thumbnail.status).toBe(404);
  });

  it('sends an event the image processor cannot read to its failure queue after the retries', async () => {
    // Given the image processor and the queue of its on-failure destination
    const processor = cloud.topology.functions.find((fn) => fn.name.endsWith('-image-processor'));
    const failures = cloud.topology.queues.find((queue) =>
      queue.name.endsWith('-image-processing-failures'),
    );
    if (!processor || !failures)
      throw new Error('the stack has no image processor or failure queue');
    const client = {
      endpoint: cloud.endpoints.aws,
      region: cloud.topology.region,
      credentials: ADMIN,
    };

    // When it is invoked asynchronously with an event that is not an S3 notification
    const marker = `not-an-s3-event-${Date.now()}`;
    await new LambdaClient(client).send(
      new InvokeCommand({
        FunctionName: processor.name,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify({ marker })),
      }),
    );

    // Then, once its retries are spent, Lambda's failure record is in the queue
    const sqs = new SQSClient(client);
    const record = await eventually(
      async () => {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: failures.url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
          }),
        );
        return Messages?.map((message) => JSON.parse(message.Body ?? '{}') as FailureRecord).find(
          (candidate) => candidate.requestPayload?.marker === marker,
        );
      },
      { what: 'the failure record' },
    );
    expect(record.requestContext.condition).toBe('RetriesExhausted');
    expect(record.requestContext.approximateInvokeCount).toBe(3);
  });

  it('marks the image failed when the upload is not an image', async () => {
    const { id } = await createItem('Not really a photo');

    await uploadImage(id, Buffer.from('this is not a JPEG'));

    const image = await eventually(
      async () => {
        const item = await getItem(id);
        return item.image?.status === 'failed' ? item.image : undefined;
      },
      { what: 'the image to fail' },
    );
    expect(image.status).toBe('failed');
  });
});

describe('events', () => {
  it('records a notification in the audit log and, matching the filter, in the inbox', async () => {
    // Given a notification of the type the inbox subscription lets through
    const message = `hello ${Date.now()}`;

    // When it is published
    const published = await cloud.post('/notifications', { message, type: 'notification' });
    expect(published.status).toBe(202);

    // Then the audit consumer records it and the inbox receives it
    const entry = await eventually(
      async () => {
        const audit = await cloud.getJson<AuditLog>('/audit');
        return audit.entries.find((candidate) =>
          JSON.stringify(candidate.detail).includes(message),
        );
      },
      { what: 'the audit entry' },
    );
    expect(entry.type).toBe('notification');
    const inbox = await eventually(
      async () => {
        const answer = await cloud.getJson<Inbox>('/messages');
        return answer.messages.find((received) => received.body.includes(message));
      },
      { what: 'the inbox message' },
    );
    expect(inbox.body).toContain(message);
  });

  it('keeps a notification that does not match the filter out of the inbox', async () => {
    const message = `filtered ${Date.now()}`;

    await cloud.post('/notifications', { message, type: 'marketing.digest' });

    // The audit trail sees everything; once it has this one, the inbox fan-out has happened too.
    await eventually(
      async () => {
        const audit = await cloud.getJson<AuditLog>('/audit');
        return audit.entries.find((entry) => JSON.stringify(entry.detail).includes(message));
      },
      { what: 'the audit entry' },
    );
    const answer = await cloud.getJson<Inbox>('/messages');
    expect(answer.messages.some((received) => received.body.includes(message))).toBe(false);
  });

  it('moves a poison message to the dead-letter queue after maxReceiveCount receives', async () => {
    // Given the audit queue, consumed by the audit consumer, and its DLQ
    const queue = cloud.topology.queues.find((candidate) => candidate.name.endsWith('-audit'));
    const dlq = cloud.topology.queues.find((candidate) => candidate.name.endsWith('-audit-dlq'));
    if (!queue || !dlq) throw new Error('the stack has no audit queue and DLQ');
    const sqs = new SQSClient({
      endpoint: cloud.endpoints.aws,
      region: cloud.topology.region,
      credentials: ADMIN,
    });
    // Re-deliveries wait for the visibility timeout (3 minutes): shorten it, as an operator could.
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queue.url,
        Attributes: { VisibilityTimeout: '1' },
      }),
    );

    // When a message no consumer can process is sent
    const poison = `not an event ${Date.now()}`;
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: poison }));

    // Then, after maxReceiveCount failed receives, it is in the DLQ
    const moved = await eventually(
      async () => {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: dlq.url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
          }),
        );
        return Messages?.find((candidate) => candidate.Body === poison);
      },
      { timeoutMs: 30000, what: 'the message in the DLQ' },
    );
    expect(moved.Body).toBe(poison);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
    sqs.destroy();
  });
});
