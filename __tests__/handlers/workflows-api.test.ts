/**
 * The publish-item workflow: startWorkflow and getWorkflow (API), and validateItem (its first
 * step). Items live in dynalite; Step Functions cannot run here, so its client is mocked.
 */
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context } from 'aws-lambda';
import { is } from '@serverless-week/test-support';
import type { ItemRecord } from '../../handlers/lib/items-repository';
import type { Publishability } from '../../handlers/lib/publish-workflow';
import { CORS_HEADERS, jsonBody, loadApi } from '../support/api-gateway-event';
import type { ApiCaller } from '../support/api-gateway-event';
import { lambdaContext } from '../support/lambda-events';
import { APP_ENV, startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

type Operation = 'startWorkflow' | 'getWorkflow';
type ValidateItem = (input: unknown, context: Context) => Promise<Publishability>;

const sfn = mockClient(SFNClient);
let app: TestApp;
let call: ApiCaller<Operation>;
let validateItem: ValidateItem;

beforeAll(async () => {
  app = await startTestApp();
  call = await loadApi('startWorkflow', 'getWorkflow');
  validateItem = (await import('../../handlers/validate-item')).handler;
});

afterAll(async () => {
  await app?.stop();
  sfn.restore();
});

beforeEach(() => sfn.reset());

let itemCount = 0;

/** Stores an item straight in the table, in the state the scenario needs. */
async function givenItem(overrides: Partial<ItemRecord> = {}): Promise<ItemRecord> {
  itemCount += 1;
  const now = new Date().toISOString();
  const item: ItemRecord = {
    id: `workflow-item-${itemCount}`,
    kind: 'item',
    name: `Item ${itemCount}`,
    status: 'draft',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await app.dynamo.documents.send(new PutCommand({ TableName: APP_ENV.ITEMS_TABLE, Item: item }));
  return item;
}

const READY_IMAGE = {
  status: 'ready' as const,
  key: 'uploads/items/x/u.jpg',
  uploadId: 'u',
  contentType: 'image/jpeg',
  thumbnailKey: 'thumbnails/items/x/u.jpg',
  width: 256,
  height: 192,
};

const EXECUTION_PREFIX = APP_ENV.STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:');

describe('POST /workflows (startWorkflow)', () => {
  it('given an existing item, when a workflow is started, then it answers 202 with the execution id and ARN', async () => {
    const item = await givenItem();
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({
      executionArn: `${EXECUTION_PREFIX}:${input.name}`,
      startDate: new Date(),
    }));

    const result = await call('startWorkflow', { body: { itemId: item.id } });

    expect(result.statusCode).toBe(202);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    const started = jsonBody<{ executionId: string; executionArn: string }>(result);
    expect(started).toEqual({
      executionId: is.stringMatching(/^[0-9a-f-]{36}$/),
      executionArn: `${EXECUTION_PREFIX}:${started.executionId}`,
    });
  });

  it('given an existing item, when a workflow is started, then the execution is named by its id and gets the item id as input', async () => {
    const item = await givenItem();
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: `${EXECUTION_PREFIX}:x`, startDate: new Date() });

    const started = jsonBody<{ executionId: string }>(
      await call('startWorkflow', { body: { itemId: item.id } }),
    );

    const inputs = sfn
      .commandCalls(StartExecutionCommand)
      .map(({ args: [command] }) => command.input);
    expect(inputs).toEqual([
      {
        stateMachineArn: APP_ENV.STATE_MACHINE_ARN,
        name: started.executionId,
        input: is.any(String),
      },
    ]);
    expect(JSON.parse(inputs[0]?.input ?? 'null')).toEqual({ itemId: item.id });
  });

  it('given an unknown item, when a workflow is started, then it answers 404 and no execution starts', async () => {
    const result = await call('startWorkflow', { body: { itemId: 'no-such-item' } });

    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(jsonBody(result)).toEqual({ message: 'Item no-such-item not found' });
    expect(sfn.calls()).toHaveLength(0);
  });

  it.each([
    { case: 'an item id with a slash', body: { itemId: 'a/b' } },
    { case: 'no item id', body: {} },
    { case: 'an extra field', body: { itemId: 'a', force: true } },
  ])(
    'given $case, when a workflow is started, then it answers 400 and no execution starts',
    async ({ body }) => {
      const result = await call('startWorkflow', { body });

      expect(result.statusCode).toBe(400);
      expect(result.headers).toMatchObject(CORS_HEADERS);
      expect(sfn.calls()).toHaveLength(0);
    },
  );
});

describe('GET /workflows/{executionId} (getWorkflow)', () => {
  const started = new Date('2025-01-01T10:00:00.000Z');
  const stopped = new Date('2025-01-01T10:00:03.000Z');

  it('given a succeeded execution, when it is fetched, then status, times and output come back', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: `${EXECUTION_PREFIX}:run-1`,
      stateMachineArn: APP_ENV.STATE_MACHINE_ARN,
      status: 'SUCCEEDED',
      startDate: started,
      stopDate: stopped,
      output: JSON.stringify({ itemId: 'a', publishedAt: '2025-01-01T10:00:02.000Z' }),
    });

    const result = await call('getWorkflow', { pathParameters: { executionId: 'run-1' } });

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(jsonBody(result)).toEqual({
      executionId: 'run-1',
      status: 'SUCCEEDED',
      startedAt: started.toISOString(),
      stoppedAt: stopped.toISOString(),
      output: { itemId: 'a', publishedAt: '2025-01-01T10:00:02.000Z' },
    });
    expect(
      sfn.commandCalls(DescribeExecutionCommand).map(({ args: [command] }) => command.input),
    ).toEqual([{ executionArn: `${EXECUTION_PREFIX}:run-1` }]);
  });

  it('given a failed execution, when it is fetched, then its error and cause come back', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      startDate: started,
      stopDate: stopped,
      error: 'ItemNotPublishable',
      cause: "The item's image is pending, not ready",
    });

    const result = await call('getWorkflow', { pathParameters: { executionId: 'run-2' } });

    expect(jsonBody(result)).toEqual({
      executionId: 'run-2',
      status: 'FAILED',
      startedAt: started.toISOString(),
      stoppedAt: stopped.toISOString(),
      error: { error: 'ItemNotPublishable', cause: "The item's image is pending, not ready" },
    });
  });

  it('given a running execution, when it is fetched, then it is RUNNING with no stop time, output or error', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING', startDate: started });

    const result = await call('getWorkflow', { pathParameters: { executionId: 'run-3' } });

    expect(jsonBody(result)).toEqual({
      executionId: 'run-3',
      status: 'RUNNING',
      startedAt: started.toISOString(),
    });
  });

  it('given an unknown execution, when it is fetched, then it answers 404 with the CORS headers', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejects(new ExecutionDoesNotExist({ message: 'Execution does not exist', $metadata: {} }));

    const result = await call('getWorkflow', { pathParameters: { executionId: 'nope' } });

    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(jsonBody(result)).toEqual({ message: 'Workflow execution nope not found' });
  });

  it('given a malformed execution id, when it is fetched, then it answers 400 and Step Functions is not asked', async () => {
    const result = await call('getWorkflow', { pathParameters: { executionId: 'a:b' } });

    expect(result.statusCode).toBe(400);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('validateItem (first step of the workflow)', () => {
  const validate = (input: unknown): Promise<Publishability> =>
    validateItem(input, lambdaContext('validateItem'));

  it('given a draft with a ready image, then it may be published', async () => {
    const item = await givenItem({ image: READY_IMAGE });

    expect(await validate({ itemId: item.id })).toEqual({ itemId: item.id, valid: true });
  });

  it.each([
    {
      case: 'an unknown item',
      given: () => Promise.resolve({ id: 'missing-item' }),
      reason: 'Item missing-item does not exist',
    },
    {
      case: 'a published item',
      given: () => givenItem({ status: 'published', image: READY_IMAGE }),
      reason: 'The item is already published',
    },
    { case: 'an item without image', given: () => givenItem(), reason: 'The item has no image' },
    {
      case: 'an item whose image is pending',
      given: () => givenItem({ image: { ...READY_IMAGE, status: 'pending' } }),
      reason: "The item's image is pending, not ready",
    },
  ])('given $case, then it may not be published, and says why', async ({ given, reason }) => {
    const { id } = await given();

    expect(await validate({ itemId: id })).toEqual({ itemId: id, valid: false, reason });
  });

  it('given an input without itemId, then the step fails (the state machine catches it)', async () => {
    await expect(validate({ id: 'x' })).rejects.toThrow();
  });
});
