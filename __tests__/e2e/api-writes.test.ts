/**
 * Writes through the API of the real stack, as browsers send them: what another page can send
 * without a CORS preflight is refused, and concurrent writers of one item are told about each
 * other instead of overwriting each other.
 */
import { startTestCloud } from '../support/local-cloud';
import { is } from '../support/matchers';
import type { TestCloud } from '../support/local-cloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
}, 60000);

afterAll(async () => {
  await cloud?.dispose();
});

interface ItemView {
  id: string;
  name: string;
}

async function itemsNamed(name: string): Promise<ItemView[]> {
  const page = await cloud.getJson<{ items: ItemView[] }>('/items?limit=100');
  return page.items.filter((item) => item.name === name);
}

describe('a write another web page sends without a CORS preflight', () => {
  it.each([
    { sender: 'a no-cors fetch of a string', contentType: 'text/plain;charset=UTF-8' },
    { sender: 'an HTML form', contentType: 'application/x-www-form-urlencoded' },
  ])(
    'given $sender from another origin, when it posts a valid item, then it answers 415 and creates nothing',
    async ({ contentType }) => {
      // Given a valid item, sent as a page on another origin sends it without asking first
      const name = `Cross-site item ${Date.now()}`;

      // When it is posted
      const response = await cloud.api('/items', {
        method: 'POST',
        headers: {
          origin: 'https://attacker.example',
          'content-type': contentType,
          'sec-fetch-mode': 'no-cors',
        },
        body: JSON.stringify({ name }),
      });

      // Then it is refused in the API's error shape, and no item exists
      expect(response.status).toBe(415);
      expect(response.headers.get('access-control-allow-origin')).toBe(cloud.endpoints.web);
      expect(await response.json()).toEqual({ message: is.any(String) });
      expect(await itemsNamed(name)).toEqual([]);
    },
  );

  it('given the website, when it posts an item as application/json; charset=utf-8, then it is created', async () => {
    const name = `JSON item ${Date.now()}`;

    const response = await cloud.api('/items', {
      method: 'POST',
      headers: { origin: cloud.endpoints.web, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ name }),
    });

    expect(response.status).toBe(201);
    expect(await itemsNamed(name)).toHaveLength(1);
  });
});
