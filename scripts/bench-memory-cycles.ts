/**
 * Whether the local cloud's memory is bounded: load cycles of `GET /items` beside writes (create,
 * update, delete of items, each publishing its event through SNS and SQS to the audit consumer),
 * each followed by an idle gap long enough for every warm sandbox to be released, and the resident
 * memory of the process tree measured then. A leak grows it cycle after cycle; a bounded cloud
 * settles after the first (caches, JIT, allocator arenas): the goal compares the third with the
 * second.
 */
import autocannon from 'autocannon';
import type { BenchRow } from './bench-thumbnail';
import { sandboxCount } from './lib/local-cloud-process';
import { rssMb } from './lib/process-stats';

export interface MemoryCycleSettings {
  /** Items created first: a page of GET /items then stops at its limit with many left unread. */
  items: number;
  cycles: number;
  cycleSeconds: number;
  /** The cloud's --sandbox-idle: how long a sandbox stays warm without invocations. */
  sandboxIdleSeconds: number;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const READ_CONNECTIONS = 6;
const WRITE_CONNECTIONS = 4;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Each write connection creates an item, renames it and deletes it, over and over. */
function writeRequests(): autocannon.Request[] {
  const idOf = (context: object): string => String((context as { id?: string }).id ?? 'none');
  return [
    {
      method: 'POST',
      path: '/items',
      headers: JSON_HEADERS,
      body: JSON.stringify({ name: 'memory cycle', tags: ['bench'] }),
      onResponse: (_status, body, context) => {
        try {
          (context as { id?: string }).id = (JSON.parse(body) as { id?: string }).id;
        } catch {
          (context as { id?: string }).id = undefined;
        }
      },
    },
    {
      method: 'PUT',
      headers: JSON_HEADERS,
      setupRequest: (request, context) => ({
        ...request,
        path: `/items/${idOf(context)}`,
        body: JSON.stringify({ name: 'memory cycle, renamed', price: 1 }),
      }),
    },
    {
      method: 'DELETE',
      setupRequest: (request, context) => ({ ...request, path: `/items/${idOf(context)}` }),
    },
  ];
}

/** Creates `count` items, ten at a time. */
async function createItems(api: string, count: number): Promise<void> {
  for (let created = 0; created < count; created += 10) {
    const batch = Array.from({ length: Math.min(10, count - created) }, (_, index) =>
      fetch(`${api}/items`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ name: `memory cycle item ${created + index}` }),
      }).then(async (response) => {
        if (response.status !== 201) throw new Error(`POST /items answered ${response.status}`);
        await response.arrayBuffer();
      }),
    );
    await Promise.all(batch);
  }
}

/** Until every sandbox is released: the queued work (audit events) is done by then. */
async function idle(aws: string, settings: MemoryCycleSettings): Promise<void> {
  const deadline = Date.now() + 180000;
  await sleep(settings.sandboxIdleSeconds * 1000);
  while ((await sandboxCount(aws)) > 0) {
    if (Date.now() > deadline) throw new Error('the sandboxes were never released');
    await sleep(500);
  }
  await sleep(1000);
}

export async function benchMemoryCycles(
  cloud: { pid: number; endpoints: { api: string; aws: string } },
  settings: MemoryCycleSettings,
): Promise<BenchRow[]> {
  await createItems(cloud.endpoints.api, settings.items);
  const idleRss: number[] = [];
  let requests = 0;
  const failures = { timeouts: 0, errors: 0, byStatus: {} as Record<string, number> };
  for (let cycle = 0; cycle < settings.cycles; cycle++) {
    const [reads, writes] = await Promise.all([
      autocannon({
        url: `${cloud.endpoints.api}/items`,
        connections: READ_CONNECTIONS,
        duration: settings.cycleSeconds,
      }),
      autocannon({
        url: cloud.endpoints.api,
        connections: WRITE_CONNECTIONS,
        duration: settings.cycleSeconds,
        requests: writeRequests(),
      }),
    ]);
    for (const result of [reads, writes]) {
      requests += result.requests.total;
      failures.timeouts += result.timeouts;
      failures.errors += result.errors - result.timeouts;
      for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
        if (!code.startsWith('2'))
          failures.byStatus[code] = (failures.byStatus[code] ?? 0) + (stats.count ?? 0);
      }
    }
    await idle(cloud.endpoints.aws, settings);
    idleRss.push(rssMb(cloud.pid) ?? NaN);
  }
  const [second, third] = [idleRss[1] ?? NaN, idleRss[2] ?? NaN];
  const growth = (third - second) / second;
  const failed = [
    ...Object.entries(failures.byStatus).map(([code, count]) => `${count}× ${code}`),
    ...(failures.timeouts > 0 ? [`${failures.timeouts} timeouts`] : []),
    ...(failures.errors > 0 ? [`${failures.errors} connection errors`] : []),
  ];
  return [
    {
      name: `local cloud: idle RSS after each of ${settings.cycles} load cycles of ${settings.cycleSeconds} s (GET /items of ${settings.items}+ items, create/update/delete)`,
      value: `${idleRss.map((mb) => mb.toFixed(0)).join(' → ')} MB (${requests} requests, failed: ${failed.join(', ') || 'none'})`,
      goal: `third within 10% of second (${(growth * 100).toFixed(1)}%): ${
        growth <= 0.1 && failed.length === 0 ? 'met' : 'MISSED'
      }`,
    },
  ];
}
