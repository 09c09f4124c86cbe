/**
 * `npm start` as a user runs it: the CLI in a child process, ports from WEB_PORT / API_PORT /
 * HTTP_API_PORT / AWS_PORT, data in LOCAL_CLOUD_DIR. It prints its endpoints, keeps data across a
 * restart, forgets it with --reset, and shuts down cleanly on SIGINT and SIGTERM, releasing its
 * ports.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_ADMIN_CREDENTIALS } from '@serverless-week/local-cloud';
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

it('takes the administrator’s key pair from the environment, and refuses the default one then', async () => {
  // Given a key pair of the user's choosing in the environment
  const chosen = { accessKeyId: 'AKIAMYOWNADMINKEY01', secretAccessKey: 'my own secret' };
  const started = await startLocalCloudProcess({
    dataDir,
    args: ['--stack-dir', stackDir, '--log-level', 'warn', '--reset'],
    env: {
      LOCAL_CLOUD_ACCESS_KEY_ID: chosen.accessKeyId,
      LOCAL_CLOUD_SECRET_ACCESS_KEY: chosen.secretAccessKey,
    },
  });
  const sqs = (credentials: typeof chosen): SQSClient =>
    new SQSClient({ endpoint: started.endpoints.aws, region: 'us-east-1', credentials });
  try {
    // When a script reads endpoints.json and signs with what it finds there, or with test/test
    const written = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as {
      credentials: typeof chosen;
    };
    expect(written.credentials).toEqual(chosen);
    const withChosen = await sqs(written.credentials).send(new ListQueuesCommand({}));
    const withDefault = sqs(DEFAULT_ADMIN_CREDENTIALS).send(new ListQueuesCommand({}));

    // Then the chosen pair is the administrator, the default is a key nobody issued, and the
    // chosen secret is not printed
    expect(withChosen.QueueUrls?.length).toBeGreaterThan(0);
    await expect(withDefault).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    expect(started.output()).toContain(`AWS_ACCESS_KEY_ID=${chosen.accessKeyId}`);
    expect(started.output()).not.toContain(chosen.secretAccessKey);
  } finally {
    await started.stop('SIGTERM');
  }
}, 60000);

it('prints a table of its endpoints, writes them to endpoints.json, and every one answers', async () => {
  const started = await start('--reset');
  try {
    const { credentials, ...endpoints } = JSON.parse(
      readFileSync(join(dataDir, 'endpoints.json'), 'utf8'),
    ) as Record<'web' | 'api' | 'httpApi' | 'aws', string> & { credentials: unknown };

    expect(endpoints).toEqual({
      web: `http://127.0.0.1:${started.ports.web}`,
      api: `http://127.0.0.1:${started.ports.api}`,
      httpApi: `http://127.0.0.1:${started.ports.httpApi}`,
      aws: `http://127.0.0.1:${started.ports.aws}`,
    });
    // (SDK clients add a `$source` to the credentials objects they are given.)
    expect(credentials).toEqual({
      accessKeyId: DEFAULT_ADMIN_CREDENTIALS.accessKeyId,
      secretAccessKey: DEFAULT_ADMIN_CREDENTIALS.secretAccessKey,
    });
    for (const url of Object.values(endpoints)) expect(started.output()).toContain(url);
    expect(started.output()).toContain('AWS_ACCESS_KEY_ID=test and AWS_SECRET_ACCESS_KEY=test');
    expect((await fetch(`${endpoints.web}/`)).status).toBe(200);
    expect((await fetch(`${endpoints.api}/items`)).status).toBe(200);
    expect((await fetch(`${endpoints.httpApi}/items`)).status).toBe(200);
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
