/**
 * Writes through the API of the real stack, as browsers send them: what another page can send
 * without a CORS preflight is refused, and concurrent writers of one item are told about each
 * other instead of overwriting each other.
 */
import { eventually, is } from '@serverless-week/test-support';
import { startTestCloud } from '../support/local-cloud';
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

interface AuditLog {
  entries: { id: string; type: string; detail: Record<string, unknown> }[];
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

describe('concurrent writers of one item', () => {
  interface Written extends ItemView {
    etag: string;
    updatedAt: string;
  }

  async function create(name: string): Promise<Written> {
    const response = await cloud.post('/items', { name });
    expect(response.status).toBe(201);
    return (await response.json()) as Written;
  }

  function put(id: string, body: unknown, ifMatch?: string): Promise<Response> {
    return cloud.api(`/items/${id}`, {
      method: 'PUT',
      headers: {
        origin: cloud.endpoints.web,
        'content-type': 'application/json',
        ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }),
      },
      body: JSON.stringify(body),
    });
  }

  it('given the website, when it reads an item, then CORS lets it read the ETag and send If-Match', async () => {
    const item = await create(`Readable tag ${Date.now()}`);

    const read = await cloud.api(`/items/${item.id}`, { headers: { origin: cloud.endpoints.web } });
    const preflight = await cloud.api(`/items/${item.id}`, {
      method: 'OPTIONS',
      headers: {
        origin: cloud.endpoints.web,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type,if-match',
      },
    });

    expect(read.headers.get('etag')).toBe(item.etag);
    expect(read.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'if-match',
    );
  });

  it('given someone saved a change since the item was read, when it is saved with the old If-Match, then it answers 412 and their change stands', async () => {
    // Given two writers read the item, and the first saved a change
    const item = await create(`Contended ${Date.now()}`);
    const first = await put(item.id, { name: 'First writer' }, item.etag);
    expect(first.status).toBe(200);

    // When the second saves, or deletes, with the tag it read
    const second = await put(item.id, { name: 'Second writer' }, item.etag);
    const deleted = await cloud.api(`/items/${item.id}`, {
      method: 'DELETE',
      headers: { origin: cloud.endpoints.web, 'if-match': item.etag },
    });

    // Then both are refused in the API's error shape, and the first writer's change stands
    for (const refused of [second, deleted]) {
      expect(refused.status).toBe(412);
      expect(refused.headers.get('access-control-allow-origin')).toBe(cloud.endpoints.web);
      expect(await refused.json()).toEqual({ message: is.any(String) });
    }
    const current = await cloud.getJson<Written>(`/items/${item.id}`);
    expect(current).toMatchObject({ name: 'First writer', etag: first.headers.get('etag') });
  });

  it('given no If-Match, when the item is saved, then the write applies to whatever version it is at', async () => {
    const item = await create(`Unconditional ${Date.now()}`);
    await put(item.id, { name: 'Someone else' });

    const response = await put(item.id, { name: 'Last writer' });

    expect(response.status).toBe(200);
    expect(await cloud.getJson<Written>(`/items/${item.id}`)).toMatchObject({
      name: 'Last writer',
    });
  });

  it('given many updates of one item at once (some within one millisecond), when they are audited, then each has an entry of its own', async () => {
    // Given an item
    const item = await create(`Busy ${Date.now()}`);
    const UPDATES = 30;

    // When it is updated many times at once, without If-Match
    const answers = await Promise.all(
      Array.from({ length: UPDATES }, (_, index) => put(item.id, { name: `Busy ${index}` })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));

    // Then the audit log has one item.updated entry per update, each a version of its own
    const updates = await eventually(
      async () => {
        const audit = await cloud.getJson<AuditLog>('/audit?limit=100');
        const entries = audit.entries.filter(
          (entry) => entry.type === 'item.updated' && entry.detail.id === item.id,
        );
        return entries.length >= UPDATES ? entries : undefined;
      },
      { what: `${UPDATES} item.updated entries` },
    );
    expect(new Set(updates.map((entry) => entry.id)).size).toBe(UPDATES);
    expect(
      updates.map((entry) => entry.detail.version).sort((a, b) => Number(a) - Number(b)),
    ).toEqual(Array.from({ length: UPDATES }, (_, index) => index + 2));
  });
});
