/**
 * The items API (listItems, createItem, getItem, updateItem, deleteItem) against dynalite and
 * the local S3 through the real SDK clients; only SNS is mocked.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { is } from '@serverless-week/test-support';
import { EventPublisher } from '../../handlers/lib/event-publisher';
import { updateItem } from '../../handlers/lib/item-service';
import type { Item } from '../../handlers/lib/item-view';
import { ItemsRepository } from '../../handlers/lib/items-repository';
import type { ItemRecord } from '../../handlers/lib/items-repository';
import { CORS_HEADERS, jsonBody, loadApi } from '../support/api-gateway-event';
import type { ApiCaller } from '../support/api-gateway-event';
import { publishedEvents } from '../support/aws-mocks';
import { APP_ENV, pause, startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

type ItemsOperation = 'listItems' | 'createItem' | 'getItem' | 'updateItem' | 'deleteItem';

const sns = mockClient(SNSClient);
let app: TestApp;
let call: ApiCaller<ItemsOperation>;

beforeAll(async () => {
  app = await startTestApp();
  call = await loadApi('listItems', 'createItem', 'getItem', 'updateItem', 'deleteItem');
});

afterAll(async () => {
  await app?.stop();
  sns.restore();
});

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-message-id' });
});

async function createItem(body: Record<string, unknown>): Promise<Item> {
  const result = await call('createItem', { body });
  expect(result.statusCode).toBe(201);
  return jsonBody<Item>(result);
}

async function storedItem(id: string): Promise<ItemRecord | undefined> {
  const { Item: record } = await app.dynamo.documents.send(
    new GetCommand({ TableName: APP_ENV.ITEMS_TABLE, Key: { id } }),
  );
  return record as ItemRecord | undefined;
}

async function itemCount(): Promise<number> {
  const { Count } = await app.dynamo.documents.send(
    new ScanCommand({ TableName: APP_ENV.ITEMS_TABLE, Select: 'COUNT' }),
  );
  return Count ?? 0;
}

const UNKNOWN_ID = 'f0f0f0f0-0000-4000-8000-000000000000';

describe('POST /items (createItem)', () => {
  it('given a valid item, when it is created, then it answers 201 with the item, its Location, its ETag and the CORS headers', async () => {
    const result = await call('createItem', {
      body: { name: 'Lamp', description: 'A desk lamp', price: 24.5, tags: ['light', 'desk'] },
    });

    expect(result.statusCode).toBe(201);
    const item = jsonBody<Item>(result);
    expect(item).toEqual({
      id: is.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Lamp',
      description: 'A desk lamp',
      price: 24.5,
      tags: ['light', 'desk'],
      status: 'draft',
      createdAt: is.any(String),
      updatedAt: is.any(String),
      etag: '"1"',
    });
    expect(item.updatedAt).toBe(item.createdAt);
    expect(result.headers).toMatchObject({
      ...CORS_HEADERS,
      'Access-Control-Expose-Headers': 'Location, ETag',
      Location: `/items/${item.id}`,
      ETag: '"1"',
      'Content-Type': 'application/json',
    });
  });

  it('given a valid item, when it is created, then it is stored as a draft at version 1 on the newest-first index', async () => {
    const item = await createItem({ name: 'Chair' });

    expect(await storedItem(item.id)).toEqual({
      id: item.id,
      kind: 'item',
      name: 'Chair',
      status: 'draft',
      createdAt: item.createdAt,
      updatedAt: item.createdAt,
      version: 1,
    });
  });

  it('given a valid item, when it is created, then an item.created event is published on the events topic', async () => {
    const item = await createItem({ name: 'Table', price: 120 });

    expect(publishedEvents(sns)).toEqual([
      {
        topicArn: APP_ENV.EVENTS_TOPIC_ARN,
        typeAttribute: { DataType: 'String', StringValue: 'item.created' },
        subject: undefined,
        envelope: {
          id: `item.created-${item.id}`,
          type: 'item.created',
          occurredAt: item.createdAt,
          detail: {
            id: item.id,
            name: 'Table',
            price: 120,
            status: 'draft',
            createdAt: item.createdAt,
            updatedAt: item.createdAt,
            version: 1,
          },
        },
      },
    ]);
  });

  it('given the events topic fails, when an item is created, then the item is still created and stored', async () => {
    sns.on(PublishCommand).rejects(new Error('SNS is unreachable'));

    const result = await call('createItem', { body: { name: 'Stool' } });

    expect(result.statusCode).toBe(201);
    expect(await storedItem(jsonBody<Item>(result).id)).toMatchObject({ name: 'Stool' });
  });

  it('given a base64-encoded body (binary media type), when an item is created, then it is decoded', async () => {
    const result = await call('createItem', { body: { name: 'Encoded' }, base64: true });

    expect(result.statusCode).toBe(201);
    expect(jsonBody<Item>(result).name).toBe('Encoded');
  });

  it.each([
    {
      case: 'an unknown field',
      body: { name: 'Lamp', colour: 'red' },
      errors: [{ path: 'body.colour', message: 'is not an allowed field' }],
    },
    {
      case: 'invalid JSON',
      body: '{"name": "Lamp",',
      errors: [{ path: 'body', message: is.any(String) }],
    },
    {
      case: 'a blank name',
      body: { name: '   ' },
      errors: [{ path: 'body.name', message: is.any(String) }],
    },
    {
      case: 'a negative price',
      body: { name: 'Lamp', price: -1 },
      errors: [{ path: 'body.price', message: is.any(String) }],
    },
    {
      case: 'a price given as a string',
      body: { name: 'Lamp', price: '12' },
      errors: [{ path: 'body.price', message: is.any(String) }],
    },
    {
      case: 'a price too small for DynamoDB to store',
      body: '{"name": "Lamp", "price": 1e-200}',
      errors: [{ path: 'body.price', message: is.any(String) }],
    },
    {
      case: 'no name',
      body: { price: 3 },
      errors: [{ path: 'body.name', message: 'is required' }],
    },
  ])(
    'given $case, when an item is created, then it answers 400 with the field errors and writes nothing',
    async ({ body, errors }) => {
      const before = await itemCount();

      const result = await call('createItem', { body });

      expect(result.statusCode).toBe(400);
      expect(result.headers).toMatchObject({ ...CORS_HEADERS, 'Content-Type': 'application/json' });
      expect(jsonBody(result)).toEqual({ message: is.any(String), errors });
      expect(await itemCount()).toBe(before);
      expect(sns.calls()).toHaveLength(0);
    },
  );
});

describe('GET /items (listItems)', () => {
  async function createInOrder(names: string[]): Promise<Item[]> {
    const items: Item[] = [];
    for (const name of names) {
      items.push(await createItem({ name }));
      await pause(3); // distinct createdAt, so "newest first" has one right answer
    }
    return items;
  }

  it('given a new item, when the first page of one is listed, then it holds the newest item and a nextToken', async () => {
    const [, newest] = await createInOrder(['Older', 'Newest']);

    const result = await call('listItems', { query: { limit: '1' } });

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    const page = jsonBody<{ items: Item[]; nextToken?: string }>(result);
    expect(page.items).toEqual([newest]);
    expect(page.nextToken).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('given several items, when listed two at a time, then nextToken walks every item once, newest first', async () => {
    const created = await createInOrder(['P1', 'P2', 'P3', 'P4', 'P5']);
    const total = await itemCount();

    const pages: Item[][] = [];
    let nextToken: string | undefined;
    do {
      const result = await call('listItems', {
        query: nextToken ? { limit: '2', nextToken } : { limit: '2' },
      });
      expect(result.statusCode).toBe(200);
      const page = jsonBody<{ items: Item[]; nextToken?: string }>(result);
      pages.push(page.items);
      nextToken = page.nextToken;
    } while (nextToken && pages.length <= total);

    const listed = pages.flat();
    expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
    expect(pages.at(-1)?.length).toBeLessThanOrEqual(2);
    expect(listed).toHaveLength(total);
    expect(new Set(listed.map((item) => item.id)).size).toBe(total);
    const createdAts = listed.map((item) => item.createdAt);
    expect(createdAts).toEqual([...createdAts].sort().reverse());
    const ids = created.map((item) => item.id);
    expect(listed.filter((item) => ids.includes(item.id))).toEqual([...created].reverse());
  });

  it('given no limit, when listed, then at most 20 items come back (the default)', async () => {
    await createInOrder(Array.from({ length: 21 }, (_, index) => `Bulk ${index}`));

    const result = await call('listItems');

    expect(result.statusCode).toBe(200);
    const page = jsonBody<{ items: Item[]; nextToken?: string }>(result);
    expect(page.items).toHaveLength(20);
    expect(page.nextToken).toBeDefined();
  });

  const token = (key: unknown): string => Buffer.from(JSON.stringify(key)).toString('base64url');

  it.each<{ case: string; query: Record<string, string>; path: string }>([
    { case: 'limit=0', query: { limit: '0' }, path: 'query.limit' },
    { case: 'limit=abc', query: { limit: 'abc' }, path: 'query.limit' },
    { case: 'limit=101', query: { limit: '101' }, path: 'query.limit' },
    { case: 'limit=1.5', query: { limit: '1.5' }, path: 'query.limit' },
    {
      case: 'a nextToken with characters a token never has',
      query: { nextToken: 'not.a.token' },
      path: 'query.nextToken',
    },
    {
      case: 'a nextToken that is not base64 JSON',
      query: { nextToken: 'bm90LWpzb24' },
      path: 'query.nextToken',
    },
    {
      case: 'a nextToken with other keys',
      query: { nextToken: token({ id: 'x', sk: 'y' }) },
      path: 'query.nextToken',
    },
    {
      case: 'a nextToken with a number where a key is a string',
      query: { nextToken: token({ id: 'x', kind: 'item', createdAt: 5 }) },
      path: 'query.nextToken',
    },
    {
      case: 'a nextToken pointing outside the item index',
      query: {
        nextToken: token({ id: 'x', kind: 'other', createdAt: '2025-01-01T00:00:00.000Z' }),
      },
      path: 'query.nextToken',
    },
  ])(
    'given $case, when items are listed, then it answers 400 naming the parameter (never 500)',
    async ({ query, path }) => {
      const result = await call('listItems', { query });

      expect(result.statusCode).toBe(400);
      expect(result.headers).toMatchObject(CORS_HEADERS);
      expect(jsonBody(result)).toEqual({
        message: is.any(String),
        errors: [is.objectContaining({ path })],
      });
    },
  );
});

describe('GET /items/{id} (getItem)', () => {
  it('given a stored item, when it is fetched, then it answers 200 with it', async () => {
    const item = await createItem({ name: 'Desk', tags: ['oak'] });

    const result = await call('getItem', { pathParameters: { id: item.id } });

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(jsonBody(result)).toEqual(item);
  });

  it('given an unknown id, when it is fetched, then it answers 404 with the CORS headers', async () => {
    const result = await call('getItem', { pathParameters: { id: UNKNOWN_ID } });

    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(jsonBody(result)).toEqual({ message: `Item ${UNKNOWN_ID} not found` });
  });
});

describe('PUT /items/{id} (updateItem)', () => {
  it('given a stored item, when it is replaced, then the given fields are set and the absent optional ones removed', async () => {
    const item = await createItem({ name: 'Sofa', description: 'Green', price: 300, tags: ['x'] });
    await pause(3);

    const result = await call('updateItem', {
      pathParameters: { id: item.id },
      body: { name: 'Blue sofa' },
    });

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    const updated = jsonBody<Item>(result);
    expect(updated).toEqual({
      id: item.id,
      name: 'Blue sofa',
      status: 'draft',
      createdAt: item.createdAt,
      updatedAt: is.any(String),
      etag: '"2"',
    });
    expect(updated.updatedAt > item.updatedAt).toBe(true);
    const { etag: _etag, ...stored } = updated;
    expect(await storedItem(item.id)).toEqual({ ...stored, kind: 'item', version: 2 });
  });

  it('given a stored item, when it is replaced, then item.updated is published with an id naming the version', async () => {
    const item = await createItem({ name: 'Bed' });

    const updated = jsonBody<Item>(
      await call('updateItem', {
        pathParameters: { id: item.id },
        body: { name: 'Bed', price: 99 },
      }),
    );

    expect(publishedEvents(sns).map(({ envelope }) => envelope)).toEqual([
      is.anything(), // item.created
      {
        id: `item.updated-${item.id}-v2`,
        type: 'item.updated',
        occurredAt: updated.updatedAt,
        detail: is.objectContaining({ id: item.id, price: 99 }),
      },
    ]);
  });

  it('given an item with an image, when it is replaced, then the image is kept (it is not an editable field)', async () => {
    const item = await createItem({ name: 'Mirror' });
    const image = {
      status: 'failed',
      key: `uploads/items/${item.id}/upload-2.png`,
      uploadId: 'upload-2',
      contentType: 'image/png',
      error: 'not a JPEG or PNG image',
    };
    await app.dynamo.documents.send(
      new PutCommand({
        TableName: APP_ENV.ITEMS_TABLE,
        Item: { ...(await storedItem(item.id)), image },
      }),
    );

    const result = await call('updateItem', {
      pathParameters: { id: item.id },
      body: { name: 'Round mirror' },
    });

    expect(jsonBody<Item>(result).image).toEqual({
      status: 'failed',
      key: image.key,
      error: image.error,
    });
    expect((await storedItem(item.id))?.image).toEqual(image);
  });

  it('given an unknown id, when it is replaced, then it answers 404 and creates nothing', async () => {
    const result = await call('updateItem', {
      pathParameters: { id: UNKNOWN_ID },
      body: { name: 'Ghost' },
    });

    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(await storedItem(UNKNOWN_ID)).toBeUndefined();
    expect(sns.calls()).toHaveLength(0);
  });

  it.each([
    { case: 'a price given as a word', body: '{"name": "Shelf", "price": "cheap"}' },
    { case: 'a price too small for DynamoDB to store', body: '{"name": "Shelf", "price": 5e-324}' },
  ])(
    'given $case, when an item is replaced, then it answers 400 and the item is unchanged',
    async ({ body }) => {
      const item = await createItem({ name: 'Shelf', price: 10 });
      const before = await storedItem(item.id);

      const result = await call('updateItem', { pathParameters: { id: item.id }, body });

      expect(result.statusCode).toBe(400);
      expect(jsonBody(result)).toEqual({
        message: is.any(String),
        errors: [{ path: 'body.price', message: is.any(String) }],
      });
      expect(await storedItem(item.id)).toEqual(before);
    },
  );
});

describe('DELETE /items/{id} (deleteItem)', () => {
  it('given a stored item, when it is deleted, then it answers 204 with the CORS headers and it is gone', async () => {
    const item = await createItem({ name: 'Rug' });

    const result = await call('deleteItem', { pathParameters: { id: item.id } });

    expect(result).toEqual({
      statusCode: 204,
      headers: is.objectContaining(CORS_HEADERS),
      body: '',
    });
    expect(await storedItem(item.id)).toBeUndefined();
    expect((await call('getItem', { pathParameters: { id: item.id } })).statusCode).toBe(404);
  });

  it('given a stored item, when it is deleted, then item.deleted is published', async () => {
    const item = await createItem({ name: 'Vase' });

    await call('deleteItem', { pathParameters: { id: item.id } });

    expect(publishedEvents(sns).at(-1)).toEqual({
      topicArn: APP_ENV.EVENTS_TOPIC_ARN,
      typeAttribute: { DataType: 'String', StringValue: 'item.deleted' },
      subject: undefined,
      envelope: {
        id: `item.deleted-${item.id}`,
        type: 'item.deleted',
        occurredAt: is.any(String),
        detail: { id: item.id, name: 'Vase' },
      },
    });
  });

  it('given an item with a thumbnail, when it is deleted, then the thumbnail object is deleted too', async () => {
    const item = await createItem({ name: 'Painting' });
    const thumbnailKey = `thumbnails/items/${item.id}/upload-1.jpg`;
    await app.s3.client.send(
      new PutObjectCommand({
        Bucket: APP_ENV.PROCESSED_BUCKET,
        Key: thumbnailKey,
        Body: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
        ContentType: 'image/jpeg',
      }),
    );
    await app.dynamo.documents.send(
      new PutCommand({
        TableName: APP_ENV.ITEMS_TABLE,
        Item: {
          ...(await storedItem(item.id)),
          image: {
            status: 'ready',
            key: `uploads/items/${item.id}/upload-1.jpg`,
            uploadId: 'upload-1',
            contentType: 'image/jpeg',
            thumbnailKey,
            width: 256,
            height: 192,
          },
        },
      }),
    );

    const result = await call('deleteItem', { pathParameters: { id: item.id } });

    expect(result.statusCode).toBe(204);
    expect(await app.s3.read(APP_ENV.PROCESSED_BUCKET, thumbnailKey)).toBeUndefined();
  });

  it('given an unknown id, when it is deleted, then it answers 404 and publishes nothing', async () => {
    const result = await call('deleteItem', { pathParameters: { id: UNKNOWN_ID } });

    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(sns.calls()).toHaveLength(0);
  });
});

describe('item.updated events', () => {
  it('given two updates of an item within one millisecond, when both are published, then each has an id of its own', async () => {
    // Given an item, and a clock that does not move
    const item = await createItem({ name: 'Clock' });
    const deps = {
      items: new ItemsRepository(app.dynamo.documents, APP_ENV.ITEMS_TABLE),
      events: new EventPublisher(new SNSClient({}), APP_ENV.EVENTS_TOPIC_ARN),
      now: () => new Date('2026-03-04T05:06:07.089Z'),
    };

    // When it is updated twice, at the same instant
    await updateItem(deps, item.id, { name: 'Clock', price: 1 });
    await updateItem(deps, item.id, { name: 'Clock', price: 2 });

    // Then the two item.updated events have two ids, so the audit log keeps both
    const updates = publishedEvents(sns)
      .map(({ envelope }) => envelope)
      .filter(({ type }) => type === 'item.updated');
    expect(updates.map(({ occurredAt }) => occurredAt)).toEqual([
      '2026-03-04T05:06:07.089Z',
      '2026-03-04T05:06:07.089Z',
    ]);
    expect(new Set(updates.map(({ id }) => id)).size).toBe(2);
  });
});

describe('optimistic concurrency: ETag and If-Match on /items/{id}', () => {
  const replace = (id: string, body: Record<string, unknown>, ifMatch?: string) =>
    call('updateItem', {
      pathParameters: { id },
      body,
      ...(ifMatch === undefined ? {} : { headers: { 'If-Match': ifMatch } }),
    });
  const remove = (id: string, ifMatch: string) =>
    call('deleteItem', { pathParameters: { id }, headers: { 'If-Match': ifMatch } });

  it('given an item, when it is fetched, then it answers its entity tag in ETag and in the body, exposed to the website', async () => {
    const item = await createItem({ name: 'Tagged' });

    const result = await call('getItem', { pathParameters: { id: item.id } });

    expect(result.headers).toMatchObject({
      ETag: item.etag,
      'Access-Control-Expose-Headers': 'ETag',
    });
    expect(jsonBody<Item>(result).etag).toBe(item.etag);
  });

  it('given an item, when it is listed, then each listed item carries its entity tag', async () => {
    const item = await createItem({ name: 'Listed with its tag' });

    const page = jsonBody<{ items: Item[] }>(await call('listItems', { query: { limit: '100' } }));

    expect(page.items.find((listed) => listed.id === item.id)?.etag).toBe('"1"');
  });

  it('given the entity tag just read, when the item is replaced with If-Match, then it answers 200 with the next ETag', async () => {
    const item = await createItem({ name: 'Current' });

    const result = await replace(item.id, { name: 'Current, renamed' }, item.etag);

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ ETag: '"2"' });
    expect((await storedItem(item.id))?.name).toBe('Current, renamed');
  });

  it('given someone replaced the item since it was read, when it is replaced with the old If-Match, then it answers 412, keeps their change and publishes nothing', async () => {
    // Given two writers read the item, and the first saved a change
    const item = await createItem({ name: 'Contended' });
    expect((await replace(item.id, { name: 'First writer' }, item.etag)).statusCode).toBe(200);
    sns.resetHistory();

    // When the second saves with the tag it read
    const result = await replace(item.id, { name: 'Second writer' }, item.etag);

    // Then it is refused, and the first writer's change stands
    expect(result.statusCode).toBe(412);
    expect(result.headers).toMatchObject({ ...CORS_HEADERS, 'Content-Type': 'application/json' });
    expect(jsonBody(result)).toEqual({ message: is.stringContaining(item.id) });
    expect(await storedItem(item.id)).toMatchObject({ name: 'First writer', version: 2 });
    expect(sns.calls()).toHaveLength(0);
  });

  it('given no If-Match, when two writers replace the item in turn, then the last write wins, as before', async () => {
    const item = await createItem({ name: 'Unconditional' });

    await replace(item.id, { name: 'First' });
    const result = await replace(item.id, { name: 'Second' });

    expect(result.statusCode).toBe(200);
    expect(await storedItem(item.id)).toMatchObject({ name: 'Second', version: 3 });
  });

  it.each([
    { case: 'a list holding the current tag', ifMatch: (etag: string) => `"41", ${etag}` },
    { case: '*', ifMatch: () => '*' },
  ])(
    'given an If-Match of $case, when the item is replaced, then it answers 200',
    async ({ ifMatch }) => {
      const item = await createItem({ name: 'Matched' });

      const result = await replace(item.id, { name: 'Matched again' }, ifMatch(item.etag));

      expect(result.statusCode).toBe(200);
    },
  );

  it.each([
    { case: 'the weak form of the current tag (If-Match compares strongly)', ifMatch: 'W/"1"' },
    { case: 'a tag this API never issued', ifMatch: '"not-a-version"' },
  ])(
    'given an If-Match of $case, when the item is replaced, then it answers 412 and the item is unchanged',
    async ({ ifMatch }) => {
      const item = await createItem({ name: 'Unmatched' });

      const result = await replace(item.id, { name: 'Should not be saved' }, ifMatch);

      expect(result.statusCode).toBe(412);
      expect(await storedItem(item.id)).toMatchObject({ name: 'Unmatched', version: 1 });
    },
  );

  it('given an unknown id, when it is replaced with If-Match: *, then it answers 412 and creates nothing', async () => {
    const result = await replace(UNKNOWN_ID, { name: 'Ghost' }, '*');

    expect(result.statusCode).toBe(412);
    expect(await storedItem(UNKNOWN_ID)).toBeUndefined();
  });

  it.each(['1', '"1', 'W/1', `"${'9'.repeat(300)}"`])(
    'given the malformed If-Match %s, when the item is replaced, then it answers 400 naming the header',
    async (ifMatch) => {
      const item = await createItem({ name: 'Malformed precondition' });

      const result = await replace(item.id, { name: 'Not saved' }, ifMatch);

      expect(result.statusCode).toBe(400);
      expect(jsonBody(result)).toEqual({
        message: is.any(String),
        errors: [{ path: 'header.If-Match', message: is.any(String) }],
      });
      expect(await storedItem(item.id)).toMatchObject({ name: 'Malformed precondition' });
    },
  );

  it('given an item written before versions existed, when it is replaced with If-Match "0", then it answers 200 at version 1', async () => {
    const item = await createItem({ name: 'Legacy' });
    const { version: _version, ...legacy } = (await storedItem(item.id)) as ItemRecord;
    await app.dynamo.documents.send(
      new PutCommand({ TableName: APP_ENV.ITEMS_TABLE, Item: legacy }),
    );
    expect(jsonBody<Item>(await call('getItem', { pathParameters: { id: item.id } })).etag).toBe(
      '"0"',
    );

    const result = await replace(item.id, { name: 'Legacy, renamed' }, '"0"');

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ ETag: '"1"' });
  });

  it('given someone changed the item since it was read, when it is deleted with the old If-Match, then it answers 412 and the item stays', async () => {
    const item = await createItem({ name: 'Changed before the delete' });
    await replace(item.id, { name: 'Changed' });
    sns.resetHistory();

    const result = await remove(item.id, item.etag);

    expect(result.statusCode).toBe(412);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(await storedItem(item.id)).toMatchObject({ name: 'Changed' });
    expect(sns.calls()).toHaveLength(0);
  });

  it('given the entity tag just read, when the item is deleted with If-Match, then it answers 204 and it is gone', async () => {
    const item = await createItem({ name: 'Deleted as read' });

    const result = await remove(item.id, item.etag);

    expect(result.statusCode).toBe(204);
    expect(await storedItem(item.id)).toBeUndefined();
  });
});
