/**
 * `npm start` as a user runs it: the CLI in a child process, ports from WEB_PORT / API_PORT /
 * AWS_PORT, data in LOCAL_CLOUD_DIR. It prints its endpoints, keeps data across a restart,
 * forgets it with --reset, and shuts down cleanly on SIGINT and SIGTERM, releasing its ports.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portIsFree, startLocalCloudProcess } from '../../scripts/lib/local-cloud-process';
import type { LocalCloudProcess } from '../../scripts/lib/local-cloud-process';
import { synthesizeLocalStack } from '../support/local-stack';

let stackDir: string;
let dataDir: string;

beforeAll(() => {
  stackDir = synthesizeLocalStack();
  dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function start(...extra: string[]): Promise<LocalCloudProcess> {
  return startLocalCloudProcess({
    dataDir,
    args: ['--stack-dir', stackDir, '--log-level', 'warn', ...extra],
  });
}

it('prints a table of its endpoints, writes them to endpoints.json, and every one answers', async () => {
  const started = await start('--reset');
  try {
    const endpoints = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as Record<
      'web' | 'api' | 'aws',
      string
    >;

    expect(endpoints).toEqual({
      web: `http://127.0.0.1:${started.ports.web}`,
      api: `http://127.0.0.1:${started.ports.api}`,
      aws: `http://127.0.0.1:${started.ports.aws}`,
    });
    for (const url of Object.values(endpoints)) expect(started.output()).toContain(url);
    expect((await fetch(`${endpoints.web}/`)).status).toBe(200);
    expect((await fetch(`${endpoints.api}/items`)).status).toBe(200);
    expect((await fetch(`${endpoints.aws}/_local-cloud/health`)).status).toBe(200);
  } finally {
    await started.stop('SIGTERM');
  }
}, 60000);

it('keeps its data across a restart, and forgets it with --reset', async () => {
  // Given an item created in a first run
  const first = await start('--reset');
  const created = await fetch(`${first.endpoints.api}/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Survives restarts' }),
  });
  const { id } = (await created.json()) as { id: string };
  await first.stop('SIGTERM');

  // When it starts again on the same data directory, the item is there
  const second = await start();
  const again = await fetch(`${second.endpoints.api}/items/${id}`);
  await second.stop('SIGTERM');
  expect(again.status).toBe(200);

  // and when it starts with --reset, it is not
  const third = await start('--reset');
  const afterReset = await fetch(`${third.endpoints.api}/items/${id}`);
  await third.stop('SIGTERM');
  expect(afterReset.status).toBe(404);
}, 90000);

it('shuts down on SIGINT with exit code 0 and releases every port', async () => {
  const started = await start();
  await fetch(`${started.endpoints.api}/items`); // a warm function worker to stop as well

  const code = await started.stop('SIGINT');

  expect(code).toBe(0);
  for (const port of Object.values(started.ports)) expect(await portIsFree(port)).toBe(true);
}, 60000);
