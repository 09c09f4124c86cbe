/**
 * `npm start` as a user runs it: the CLI in a child process, ports from WEB_PORT / API_PORT /
 * AWS_PORT, data in LOCAL_CLOUD_DIR. It prints its endpoints, keeps data across a restart,
 * forgets it with --reset, and shuts down cleanly on SIGINT and SIGTERM, releasing its ports.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeLocalStack } from '../support/local-stack';

const ROOT = join(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  ports: { web: number; api: number; aws: number };
  api: string;
}

let stackDir: string;
let dataDir: string;

beforeAll(() => {
  stackDir = synthesizeLocalStack();
  dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(...extra: string[]): Promise<Started> {
  const ports = { web: await freePort(), api: await freePort(), aws: await freePort() };
  const child = spawn(
    // What `npm start` runs (see package.json).
    process.execPath,
    [
      '--import',
      'tsx',
      join('local', 'main.ts'),
      '--stack-dir',
      stackDir,
      '--log-level',
      'warn',
      ...extra,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        LOCAL_CLOUD_DIR: dataDir,
        WEB_PORT: String(ports.web),
        API_PORT: String(ports.api),
        AWS_PORT: String(ports.aws),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30000;
  while (!output.includes('Ctrl+C stops')) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not get ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output, ports, api: `http://127.0.0.1:${ports.api}` };
}

async function stop(started: Started, signal: NodeJS.Signals): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', resolve));
  started.child.kill(signal);
  return exited;
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
    await stop(started, 'SIGTERM');
  }
}, 60000);

it('keeps its data across a restart, and forgets it with --reset', async () => {
  // Given an item created in a first run
  const first = await start('--reset');
  const created = await fetch(`${first.api}/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Survives restarts' }),
  });
  const { id } = (await created.json()) as { id: string };
  await stop(first, 'SIGTERM');

  // When it starts again on the same data directory, the item is there
  const second = await start();
  const again = await fetch(`${second.api}/items/${id}`);
  await stop(second, 'SIGTERM');
  expect(again.status).toBe(200);

  // and when it starts with --reset, it is not
  const third = await start('--reset');
  const afterReset = await fetch(`${third.api}/items/${id}`);
  await stop(third, 'SIGTERM');
  expect(afterReset.status).toBe(404);
}, 90000);

it('shuts down on SIGINT with exit code 0 and releases every port', async () => {
  const started = await start();
  await fetch(`${started.api}/items`); // a warm function worker to stop as well

  const code = await stop(started, 'SIGINT');

  expect(code).toBe(0);
  for (const port of Object.values(started.ports)) expect(await portIsFree(port)).toBe(true);
}, 60000);
