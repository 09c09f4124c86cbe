import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { useEmptyCloud } from '../../support/in-process-cloud';
import { putRole } from '../../support/put-role';
import { zipBuffer } from '../../support/function-fixtures';

/**
 * The AWS CLI's flow against a cloud started with no stack: create-function from a zip, invoke
 * (the CLI v1 on this machine sends --payload as it is; v2 would need --cli-binary-format).
 */

jest.setTimeout(60_000);

const run = promisify(execFile);

const empty = useEmptyCloud({ prefix: 'lambda-cli-' });

function aws(...args: string[]): Promise<{ stdout: string }> {
  return run(
    'aws',
    ['--endpoint-url', empty.cloud.endpoints.aws, '--region', 'us-east-1', ...args],
    {
      env: {
        PATH: process.env.PATH,
        HOME: empty.dataDir,
        AWS_ACCESS_KEY_ID: empty.cloud.adminCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: empty.cloud.adminCredentials.secretAccessKey,
      },
    },
  );
}

it('creates a function from a zip with create-function, then invoke returns its answer', async () => {
  const role = putRole(empty.cloud, 'cli-role', 'lambda.amazonaws.com');
  const zip = join(empty.dataDir, 'function.zip');
  writeFileSync(
    zip,
    await zipBuffer({ 'index.js': 'exports.handler = async (e) => ({ got: e });' }),
  );
  await aws(
    'lambda',
    'create-function',
    '--function-name',
    'cli-echo',
    '--runtime',
    'nodejs22.x',
    '--handler',
    'index.handler',
    '--role',
    role.arn,
    '--zip-file',
    `fileb://${zip}`,
  );

  const out = join(empty.dataDir, 'out.json');
  await aws('lambda', 'invoke', '--function-name', 'cli-echo', '--payload', '{"ping":1}', out);

  expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ got: { ping: 1 } });
});
