/**
 * The AWS CLI (v1, `aws` on PATH) against a local cloud, as a user runs it with `--endpoint-url`
 * and the administrator's keys, with no configuration file of this machine's. Without `aws` a suite
 * is skipped with one line saying why; in CI (CI=true) it runs anyway and fails, so a pipeline
 * cannot go green by skipping it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Credentials } from '../../src/credentials';

const run = promisify(execFile);

export const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;

export const describeWithAwsCli: jest.Describe =
  hasAwsCli || process.env.CI === 'true'
    ? describe
    : (console.warn('Skipping AWS CLI tests: aws is not on PATH (with CI=true they fail instead)'),
      describe.skip);

/** The CLI is a Python program started once per command: seconds each on a busy machine. */
export const CLI_TIMEOUT_MS = 90_000;

/** `aws --endpoint-url <endpoint> …args`; its stdout, or a rejection with its output. */
export async function awsCli(
  endpoint: string,
  credentials: Credentials,
  ...args: string[]
): Promise<string> {
  const none = join(tmpdir(), 'no-aws-config');
  const { stdout } = await run('aws', ['--endpoint-url', endpoint, ...args], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: none,
      AWS_SHARED_CREDENTIALS_FILE: none,
      AWS_PAGER: '',
    },
    timeout: CLI_TIMEOUT_MS,
  });
  return stdout;
}
