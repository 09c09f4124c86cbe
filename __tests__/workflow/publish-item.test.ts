import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import aslValidator from 'asl-validator';
import type { Context } from 'aws-lambda';
import type { ItemRecord } from '../../handlers/lib/items-repository';
import type { Publishability } from '../../handlers/lib/publish-workflow';
import { fillPlaceholders } from '../../stacks/lib/placeholders';
import {
  awsEnvironment,
  createItemsTable,
  startEmulators,
  setEnvironment,
} from '../support/emulators';
import type { Emulators } from '../support/emulators';
import { lambdaContext } from '../support/lambda-events';
import { runExecution, TaskError } from '../support/workflow-runner';
import type { TaskIntegrations } from '../support/workflow-runner';

/**
 * The publish-item state machine, run from its ASL file: the validation function is the real
 * handler, the DynamoDB integration calls dynalite, and SNS (no emulator here yet) is recorded.
 */

const ASL_FILE = path.join(__dirname, '..', '..', 'statemachines', 'publish-item.asl.json');
const VALIDATOR_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:validate-item';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:events';
const TABLE = 'items';

type ValidateItem = (input: unknown, context: Context) => Promise<Publishability>;

let emulators: Emulators;
let restoreEnvironment: () => void;
let validateItem: ValidateItem;
let dynamo: DynamoDBClient;
let definition: string;

interface Published {
  TopicArn: string;
  Message: Record<string, unknown>;
  MessageAttributes: Record<string, { DataType: string; StringValue: string }>;
}
let published: Published[];
let lambdaFailures: Error[];

const integrations: TaskIntegrations = {
  lambda: async (arn, payload) => {
    expect(arn).toBe(VALIDATOR_ARN);
    const failure = lambdaFailures.shift();
    if (failure) throw failure;
    return (await validateItem(payload, lambdaContext('validate-item'))) as unknown as Record<
      string,
      string | boolean
    >;
  },
  dynamodb: async (action, parameters) => {
    expect(action).toBe('updateItem');
    await dynamo.send(new UpdateItemCommand(parameters as unknown as UpdateItemCommandInput));
    return {};
  },
  sns: (action, parameters) => {
    expect(action).toBe('publish');
    published.push(parameters as unknown as Published);
    return Promise.resolve({ MessageId: `message-${published.length}` });
  },
};

async function putItem(item: Partial<ItemRecord> & { id: string }): Promise<void> {
  await emulators.dynamo.documents.send(
    new PutCommand({
      TableName: TABLE,
      Item: {
        kind: 'item',
        name: 'Lamp',
        status: 'draft',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        ...item,
      },
    }),
  );
}

async function getItem(id: string): Promise<ItemRecord | undefined> {
  const { Item } = await emulators.dynamo.documents.send(
    new GetCommand({ TableName: TABLE, Key: { id } }),
  );
  return Item as ItemRecord | undefined;
}

const readyImage = {
  status: 'ready' as const,
  key: 'uploads/items/a/u.jpg',
  uploadId: 'u',
  contentType: 'image/jpeg',
  thumbnailKey: 'thumbnails/items/a/u.jpg',
  width: 256,
  height: 192,
};

beforeAll(async () => {
  emulators = await startEmulators();
  await createItemsTable(emulators, TABLE);
  restoreEnvironment = setEnvironment({ ...awsEnvironment(emulators), ITEMS_TABLE: TABLE });
  ({ handler: validateItem } = await import('../../handlers/validate-item'));
  dynamo = new DynamoDBClient({});
  definition = fillPlaceholders(
    readFileSync(ASL_FILE, 'utf8'),
    { validateItemFunctionArn: VALIDATOR_ARN, itemsTableName: TABLE, eventsTopicArn: TOPIC_ARN },
    'publish-item',
  );
});

afterAll(async () => {
  dynamo.destroy();
  restoreEnvironment();
  await emulators.stop();
});

beforeEach(() => {
  published = [];
  lambdaFailures = [];
});

describe('the publish-item ASL file', () => {
  it('is valid ASL as kept in the repository, placeholders and all', () => {
    const validation = aslValidator(JSON.parse(readFileSync(ASL_FILE, 'utf8')));
    expect(validation.errorsText()).toBe('');
    expect(validation.isValid).toBe(true);
  });

  it('is valid ASL once the stack has filled its placeholders', () => {
    expect(aslValidator(JSON.parse(definition)).isValid).toBe(true);
  });
});

describe('a publish-item execution', () => {
  it('publishes a draft whose image is ready, and announces it once', async () => {
    // given a draft item with a ready image
    await putItem({ id: 'ready-item', image: readyImage });

    // when the workflow runs for it
    const result = await runExecution(definition, { itemId: 'ready-item' }, integrations);

    // then it succeeds, the item is published, and item.published went to the topic
    expect(result).toEqual({
      status: 'SUCCEEDED',
      output: { itemId: 'ready-item', status: 'published', messageId: 'message-1' },
    });
    expect(await getItem('ready-item')).toEqual(
      expect.objectContaining({
        status: 'published',
        publishedAt: expect.any(String) as string,
        version: 1, // a new version of an item stored without one (version 0)
      }),
    );
    expect(published).toEqual([
      {
        TopicArn: TOPIC_ARN,
        Message: expect.objectContaining({
          id: expect.stringMatching(/^item\.published-/) as string,
          type: 'item.published',
          detail: expect.objectContaining({ itemId: 'ready-item' }) as object,
        }) as object,
        MessageAttributes: { type: { DataType: 'String', StringValue: 'item.published' } },
      },
    ]);
  });

  it('fails with the reason when the item has no image, and records it on the item', async () => {
    // given a draft without an image
    await putItem({ id: 'bare-item' });

    // when the workflow runs for it
    const result = await runExecution(definition, { itemId: 'bare-item' }, integrations);

    // then it fails with ItemNotPublishable, says why, keeps the draft, and announces nothing
    expect(result).toEqual({
      status: 'FAILED',
      error: 'ItemNotPublishable',
      cause: 'The item has no image',
    });
    expect(await getItem('bare-item')).toEqual(
      expect.objectContaining({
        status: 'draft',
        publishFailure: { error: 'ItemNotPublishable', cause: 'The item has no image' },
        version: 1,
      }),
    );
    expect(published).toEqual([]);
  });

  it('fails for an item whose image is still pending', async () => {
    await putItem({ id: 'pending-item', image: { ...readyImage, status: 'pending' } });

    const result = await runExecution(definition, { itemId: 'pending-item' }, integrations);

    expect(result).toEqual(
      expect.objectContaining({
        status: 'FAILED',
        cause: "The item's image is pending, not ready",
      }),
    );
  });

  it('fails for an item that does not exist, with nowhere to record it', async () => {
    const result = await runExecution(definition, { itemId: 'missing-item' }, integrations);

    expect(result).toEqual({
      status: 'FAILED',
      error: 'ItemNotPublishable',
      cause: 'Item missing-item does not exist',
    });
    expect(await getItem('missing-item')).toBeUndefined();
  });

  it('does not publish an item twice', async () => {
    await putItem({ id: 'published-item', status: 'published', image: readyImage });

    const result = await runExecution(definition, { itemId: 'published-item' }, integrations);

    expect(result).toEqual(
      expect.objectContaining({ status: 'FAILED', cause: 'The item is already published' }),
    );
    expect(published).toEqual([]);
  });

  it('retries the validation after a transient Lambda error, then succeeds', async () => {
    // given an item ready to publish, and Lambda throttling the first two invocations
    await putItem({ id: 'throttled-item', image: readyImage });
    lambdaFailures = [
      new TaskError('Lambda.TooManyRequestsException', 'Rate exceeded'),
      new TaskError('Lambda.TooManyRequestsException', 'Rate exceeded'),
    ];

    // when the workflow runs
    const result = await runExecution(definition, { itemId: 'throttled-item' }, integrations);

    // then the retries absorb the throttling
    expect(result.status).toBe('SUCCEEDED');
    expect(lambdaFailures).toEqual([]);
  });

  it('catches an error the validation function throws, and records it', async () => {
    // given a validation function failing with its own error
    await putItem({ id: 'crashing-item', image: readyImage });
    const crash = new Error('connection reset');
    crash.name = 'TimeoutError';
    lambdaFailures = [crash];

    // when the workflow runs
    const result = await runExecution(definition, { itemId: 'crashing-item' }, integrations);

    // then it fails with that error, recorded on the item, nothing published
    expect(result).toEqual(expect.objectContaining({ status: 'FAILED', error: 'TimeoutError' }));
    expect((await getItem('crashing-item'))?.publishFailure).toEqual(
      expect.objectContaining({ error: 'TimeoutError' }),
    );
    expect(published).toEqual([]);
  });
});
