/**
 * Records written outside the API (`aws dynamodb put-item`, a console edit, an older version of
 * the code) share the items table. The API shows only what matches its item model: the rest is
 * skipped with a logged warning, never answered raw and never a 500.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { is } from '@serverless-week/test-support';
import type { Item } from '../../handlers/lib/item-view';
import type { logger as Logger } from '../../handlers/lib/logger';
import { CORS_HEADERS, jsonBody, loadApi } from '../support/api-gateway-event';
import type { ApiCaller } from '../support/api-gateway-event';
import { APP_ENV, startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

type ItemsOperation = 'listItems' | 'createItem' | 'getItem' | 'updateItem' | 'deleteItem';

const sns = mockClient(SNSClient);
let app: TestApp;
let call: ApiCaller<ItemsOperation>;
let logger: typeof Logger;

beforeAll(async () => {
  app = await startTestApp();
  call = await loadApi('listItems', 'createItem', 'getItem', 'updateItem', 'deleteItem');
  ({ logger } = await import('../../handlers/lib/logger'));
});

afterAll(async () => {
  await app?.stop();
  sns.restore();
});

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-message-id' });
});

afterEach(() => jest.restoreAllMocks());

const SKIPPED = 'Skipping a stored record that is not an item of this API';

async function writeRecord(record: Record<string, unknown>): Promise<void> {
  await app.dynamo.documents.send(new PutCommand({ TableName: APP_ENV.ITEMS_TABLE, Item: record }));
}

/** What a newcomer writes with the AWS CLI: an id, a name, and single-table habits. */
function handWritten(id: string): Record<string, unknown> {
  return { id, pk: `ITEM#${id}`, sk: 'META', name: 'Written by hand' };
}

describe('GET /items/{id} on a record written outside the API', () => {
  it('given a record without kind, status or createdAt, when it is fetched, then it answers 404 with a JSON message and the CORS headers', async () => {
    await writeRecord(handWritten('hand-written-get'));

    const result = await call('getItem', { pathParameters: { id: 'hand-written-get' } });

    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(jsonBody(result)).toEqual({ message: 'Item hand-written-get not found' });
  });

  it('given a record with foreign attributes, when it is fetched, then none of them is answered', async () => {
    await writeRecord(handWritten('hand-written-raw'));

    const result = await call('getItem', { pathParameters: { id: 'hand-written-raw' } });

    expect(result.body).not.toMatch(/ITEM#|"pk"|"sk"/);
  });

  it('given a record without kind, status or createdAt, when it is fetched, then a warning names the record and what it lacks', async () => {
    await writeRecord(handWritten('hand-written-warn'));
    const warn = jest.spyOn(logger, 'warn');

    await call('getItem', { pathParameters: { id: 'hand-written-warn' } });

    expect(warn).toHaveBeenCalledWith(SKIPPED, {
      id: 'hand-written-warn',
      problems: is.arrayContaining([
        is.stringMatching(/^kind: /),
        is.stringMatching(/^status: /),
        is.stringMatching(/^createdAt: /),
      ]),
    });
  });
});

describe('GET /items on records that do not match the model', () => {
  it('given an indexed record with a price that is not a number, when the items are listed, then it is skipped, the others are listed and a warning says why', async () => {
    const good = jsonBody<Item>(await call('createItem', { body: { name: 'Listed' } }));
    await writeRecord({
      id: 'bad-price',
      kind: 'item',
      name: 'Priced as text',
      price: 'twelve',
      status: 'draft',
      createdAt: '2999-01-01T00:00:00.000Z',
      updatedAt: '2999-01-01T00:00:00.000Z',
    });
    const warn = jest.spyOn(logger, 'warn');

    const result = await call('listItems', { query: { limit: '100' } });

    expect(result.statusCode).toBe(200);
    const ids = jsonBody<{ items: Item[] }>(result).items.map((item) => item.id);
    expect(ids).toContain(good.id);
    expect(ids).not.toContain('bad-price');
    expect(warn).toHaveBeenCalledWith(SKIPPED, {
      id: 'bad-price',
      problems: [is.stringMatching(/^price: /)],
    });
  });
});

describe('writes through the API to a record written outside it', () => {
  it('given a record without kind, status or createdAt, when it is replaced through the API, then it becomes an item that is fetched and listed', async () => {
    await writeRecord(handWritten('hand-written-put'));

    const replaced = await call('updateItem', {
      pathParameters: { id: 'hand-written-put' },
      body: { name: 'Now an item', price: 3 },
    });

    expect(replaced.statusCode).toBe(200);
    expect(jsonBody(replaced)).toMatchObject({ id: 'hand-written-put', status: 'draft' });
    const fetched = await call('getItem', { pathParameters: { id: 'hand-written-put' } });
    expect(jsonBody(fetched)).toMatchObject({ name: 'Now an item', createdAt: is.any(String) });
    const listed = await call('listItems', { query: { limit: '100' } });
    const ids = jsonBody<{ items: Item[] }>(listed).items.map((item) => item.id);
    expect(ids).toContain('hand-written-put');
  });

  it('given a record without kind, status or createdAt, when it is deleted through the API, then it answers 204 and the record is gone', async () => {
    await writeRecord(handWritten('hand-written-delete'));

    const result = await call('deleteItem', { pathParameters: { id: 'hand-written-delete' } });

    expect(result.statusCode).toBe(204);
    const { Item: left } = await app.dynamo.documents.send(
      new GetCommand({ TableName: APP_ENV.ITEMS_TABLE, Key: { id: 'hand-written-delete' } }),
    );
    expect(left).toBeUndefined();
  });
});
