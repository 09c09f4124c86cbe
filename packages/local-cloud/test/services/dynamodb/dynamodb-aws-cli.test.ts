/**
 * The AWS CLI against the local DynamoDB, as a user runs it with `--endpoint-url`: `aws dynamodb
 * create-table` with deletion protection, `update-time-to-live`, `describe-time-to-live`, and
 * `delete-table` refused until the protection is turned off. The CLI checks every answer's CRC32.
 *
 * Without the `aws` command the suite is skipped, with one line saying why; in CI (CI=true) it runs
 * anyway and fails, so a pipeline cannot go green by skipping it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { describeWithAwsCli } from '../../support/aws-cli';
import { startLocalDynamoDb } from '../../support/local-dynamodb';
import type { LocalDynamoDb } from '../../support/local-dynamodb';

const run = promisify(execFile);

jest.setTimeout(120_000);

let dynamodb: LocalDynamoDb;
let home: string;

beforeAll(async () => {
  dynamodb = await startLocalDynamoDb([]);
  home = mkdtempSync(join(tmpdir(), 'dynamodb-cli-'));
});

afterAll(async () => {
  await dynamodb?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Runs `aws --endpoint-url <local DynamoDB> dynamodb …args --output json`; its parsed answer. */
async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    'aws',
    ['--endpoint-url', dynamodb.endpoint, 'dynamodb', ...args, '--output', 'json'],
    {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: DEFAULT_ADMIN_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: DEFAULT_ADMIN_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: join(home, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
        AWS_PAGER: '',
      },
      timeout: 60_000,
    },
  );
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

describeWithAwsCli('aws dynamodb with --endpoint-url', () => {
  it('creates a protected table, enables its TTL, and deletes it once unprotected', async () => {
    // Given a table created with deletion protection
    const created = await aws(
      'create-table',
      '--table-name',
      'cli-table',
      '--attribute-definitions',
      'AttributeName=id,AttributeType=S',
      '--key-schema',
      'AttributeName=id,KeyType=HASH',
      '--billing-mode',
      'PAY_PER_REQUEST',
      '--deletion-protection-enabled',
    );

    // When TTL is enabled and the table deleted, before and after its protection is turned off
    await aws(
      'update-time-to-live',
      '--table-name',
      'cli-table',
      '--time-to-live-specification',
      'Enabled=true,AttributeName=expiresAt',
    );
    const ttl = await aws('describe-time-to-live', '--table-name', 'cli-table');
    const refused = await aws('delete-table', '--table-name', 'cli-table').catch(
      (error: { stderr?: string }) => error.stderr ?? '',
    );
    await aws('update-table', '--table-name', 'cli-table', '--no-deletion-protection-enabled');
    await aws('delete-table', '--table-name', 'cli-table');
    const { TableNames } = await aws('list-tables');

    // Then each answer is DynamoDB's
    expect(created).toMatchObject({ TableDescription: { DeletionProtectionEnabled: true } });
    expect(ttl).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' },
    });
    expect(refused).toContain(
      'An error occurred (ValidationException) when calling the DeleteTable operation: Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
    expect(TableNames).toEqual([]);
  });
});
