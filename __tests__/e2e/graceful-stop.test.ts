/**
 * A graceful stop of the local cloud (Ctrl+C, SIGTERM, cloud.stop()) loses nothing it took on:
 * requests in flight get their answers, their side effects complete, and asynchronous work that
 * has not finished runs at the next start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@serverless-week/test-support';
import { makeJpeg } from '../support/images';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';
import { synthesizeLocalStack } from '../support/local-stack';

interface ItemView {
  id: string;
  image?: { status: string; thumbnailUrl?: string };
}

interface ItemPage {
  items: { id: string; name: string }[];
}

interface AuditLog {
  entries: { id: string; type: string }[];
}

type Outcome = { status: number; id?: string } | { failure: string };

/** What a client got: a status (and the created id), or how the connection failed. */
async function outcomeOf(answer: Promise<Response>): Promise<Outcome> {
  try {
    const response = await answer;
    const body = (await response.json()) as { id?: string };
    return { status: response.status, ...(body.id ? { id: body.id } : {}) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { failure: cause?.code ?? String(error) };
  }
}

let stackDir: string;
let dataDir: string;
const running: TestCloud[] = [];

async function start(): Promise<TestCloud> {
  const cloud = await startTestCloud({ stackDir, dataDir });
  running.push(cloud);
  return cloud;
}

beforeAll(() => {
  stackDir = synthesizeLocalStack();
});

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'graceful-stop-'));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((cloud) => cloud.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

it('answers the API requests in flight when it stops: no item is created without its answer, and each has its item.created event', async () => {
  // Given creates in flight (a function is running)
  const first = await start();
  const creates = Array.from({ length: 12 }, (_, n) =>
    outcomeOf(first.post('/items', { name: `in flight ${n}` })),
  );
  await eventually(() => Promise.resolve(first.functions.invocations.busy ? true : undefined), {
    intervalMs: 5,
    what: 'an invocation in flight',
  });

  // When the cloud stops
  await first.stop();
  const outcomes = await Promise.all(creates);

  // Then no request was cut once it was read: each was answered, or its connection refused or
  // reset before its request was read (it never reached a function)
  const created = outcomes.flatMap((outcome) =>
    'status' in outcome && outcome.status === 201 && outcome.id ? [outcome.id] : [],
  );
  expect(created.length).toBeGreaterThan(0);
  for (const outcome of outcomes) {
    if ('failure' in outcome) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(outcome.failure);
  }

  // and after a restart the items that exist are exactly those acknowledged, each with its
  // item.created event
  const second = await start();
  const { items } = await second.getJson<ItemPage>('/items?limit=100');
  const stored = items.filter((item) => item.name.startsWith('in flight ')).map((item) => item.id);
  expect(stored.sort()).toEqual([...created].sort());
  const wanted = new Set(created.map((id) => `item.created-${id}`));
  await eventually(
    async () => {
      const audit = await second.getJson<AuditLog>('/audit?limit=100');
      const seen = new Set(audit.entries.map((entry) => entry.id));
      return [...wanted].every((id) => seen.has(id)) ? true : undefined;
    },
    { what: 'an item.created event for every created item' },
  );
}, 120000);

it('keeps the thumbnail of an upload acknowledged just before a stop: it is made after the restart', async () => {
  // Given an item whose JPEG upload was acknowledged
  const first = await start();
  const created = await first.post('/items', { name: 'uploaded as it stopped' });
  const { id } = (await created.json()) as { id: string };
  const put = await first.uploadImage(id, await makeJpeg(400, 300));
  expect(put.status).toBe(200);

  // When the cloud stops at once, and starts again on its data
  await first.stop();
  const second = await start();

  // Then the image processor's invocation runs, and the thumbnail is made
  const item = await eventually(
    async () => {
      const view = await second.getJson<ItemView>(`/items/${id}`);
      return view.image?.status === 'ready' ? view : undefined;
    },
    { what: 'the thumbnail' },
  );
  expect(item.image?.thumbnailUrl).toEqual(expect.any(String));
}, 120000);
