/**
 * The app's stack as `npm start` boots it: the items API's read routes answer on the HTTP API's
 * port too, through the same functions, with the item the REST API answers, and the browser
 * CORS the HTTP API is configured with.
 */
import type { Item } from '../../handlers/lib/item-view';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

let cloud: TestCloud;
let item: Item;

beforeAll(async () => {
  cloud = await startTestCloud();
  const created = await cloud.post('/items', { name: 'Desk lamp', price: 24.5, tags: ['light'] });
  item = (await created.json()) as Item;
}, 120000);

afterAll(async () => {
  await cloud?.dispose();
});

const httpApi = (path: string, init?: RequestInit): Promise<Response> =>
  fetch(`${cloud.endpoints.httpApi}${path}`, init);

it('serves GET /items on the HTTP API port with the same item the REST API lists', async () => {
  const [viaRest, viaHttp] = await Promise.all([cloud.api('/items'), httpApi('/items')]);

  expect(viaHttp.status).toBe(200);
  const listed = (await viaHttp.json()) as { items: Item[] };
  expect(listed).toEqual(await viaRest.json());
  expect(listed.items).toContainEqual(item);
});

it('serves GET /items/{id} with the item and its ETag, as the REST API does', async () => {
  const answer = await httpApi(`/items/${item.id}`);

  expect(answer.status).toBe(200);
  expect(answer.headers.get('etag')).toBe(item.etag);
  expect(await answer.json()).toEqual(item);
});

it('answers the same {message, errors} 400 as the REST API to a malformed limit', async () => {
  const [viaRest, viaHttp] = await Promise.all([
    cloud.api('/items?limit=lots'),
    httpApi('/items?limit=lots'),
  ]);

  expect(viaHttp.status).toBe(400);
  expect(await viaHttp.json()).toEqual(await viaRest.json());
});

it('routes only the read operations: POST /items is not one of its routes', async () => {
  const answer = await httpApi('/items', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Nope' }),
  });

  expect(answer.status).toBe(404);
  expect(await answer.json()).toEqual({ message: 'Not Found' });
});

it('lets the website read the item and its ETag across origins', async () => {
  const preflight = await httpApi(`/items/${item.id}`, {
    method: 'OPTIONS',
    headers: { origin: cloud.endpoints.web, 'access-control-request-method': 'GET' },
  });
  const answer = await httpApi(`/items/${item.id}`, { headers: { origin: cloud.endpoints.web } });

  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(cloud.endpoints.web);
  expect(answer.headers.get('access-control-allow-origin')).toBe(cloud.endpoints.web);
  expect(answer.headers.get('access-control-expose-headers')).toBe('etag');
});
