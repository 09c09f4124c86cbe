/**
 * The read functions behind both APIs: the same request through the REST API's 1.0 event and
 * the HTTP API's 2.0 event reaches the same domain call, and each is answered in its own format.
 */
import type { Item } from '../../handlers/lib/item-view';
import { CORS_HEADERS, loadApi } from '../support/api-gateway-event';
import type { ApiCaller } from '../support/api-gateway-event';
import { loadHttpApi } from '../support/http-api-event';
import type { HttpApiCaller } from '../support/http-api-event';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

type ReadOperation = 'listItems' | 'getItem';

let app: TestApp;
let rest: ApiCaller<ReadOperation>;
let http: HttpApiCaller<ReadOperation>;
let item: Item;

beforeAll(async () => {
  app = await startTestApp();
  rest = await loadApi('listItems', 'getItem', 'createItem');
  http = await loadHttpApi('listItems', 'getItem');
  const created = await (
    await loadApi('createItem')
  )('createItem', {
    body: { name: 'Lamp', price: 24.5, tags: ['light'] },
  });
  item = JSON.parse(created.body) as Item;
});

afterAll(async () => {
  await app?.stop();
});

const jsonOf = (result: { body?: string }): unknown => JSON.parse(result.body ?? '');

describe('GET /items/{id} (getItem) through the HTTP API', () => {
  it('given a 2.0 event, answers a 2.0 result: status, headers, the item, isBase64Encoded false', async () => {
    const result = await http('getItem', { pathParameters: { id: item.id } });

    expect(result).toEqual({
      statusCode: 200,
      headers: expect.objectContaining({
        ...CORS_HEADERS,
        'Content-Type': 'application/json',
        ETag: item.etag,
      }) as unknown,
      body: expect.any(String) as unknown,
      isBase64Encoded: false,
    });
    expect(jsonOf(result)).toEqual(item);
  });

  it('answers the same item as the REST API event does', async () => {
    const [viaRest, viaHttp] = await Promise.all([
      rest('getItem', { pathParameters: { id: item.id } }),
      http('getItem', { pathParameters: { id: item.id } }),
    ]);

    expect(jsonOf(viaHttp)).toEqual(jsonOf(viaRest));
  });

  it('answers a malformed id with the same {message, errors} 400 as the REST API', async () => {
    const [viaRest, viaHttp] = await Promise.all([
      rest('getItem', { pathParameters: { id: 'not an id!' } }),
      http('getItem', { pathParameters: { id: 'not an id!' } }),
    ]);

    expect(viaHttp.statusCode).toBe(400);
    expect(viaRest.statusCode).toBe(400);
    expect(jsonOf(viaHttp)).toEqual(jsonOf(viaRest));
    expect(jsonOf(viaHttp)).toEqual({
      message: 'Invalid request parameters',
      errors: [{ path: 'path.id', message: expect.any(String) as unknown }],
    });
  });
});

describe('GET /items (listItems) through the HTTP API', () => {
  it('reads the comma-joined query parameters of a 2.0 event', async () => {
    const result = await http('listItems', { query: { limit: ['1'] } });

    expect(result.statusCode).toBe(200);
    expect((jsonOf(result) as { items: Item[] }).items).toHaveLength(1);
  });

  it('refuses a repeated limit, which 2.0 joins with a comma, with the {message, errors} 400', async () => {
    const result = await http('listItems', { query: { limit: ['1', '2'] } });

    expect(result.statusCode).toBe(400);
    expect(jsonOf(result)).toEqual({
      message: 'Invalid request parameters',
      errors: [{ path: 'query.limit', message: expect.any(String) as unknown }],
    });
  });

  it('lists the same page as the REST API event does', async () => {
    const [viaRest, viaHttp] = await Promise.all([rest('listItems'), http('listItems')]);

    expect(jsonOf(viaHttp)).toEqual(jsonOf(viaRest));
  });
});
