/**
 * The fixture stack (test/fixtures/stack: a synthesized cdk.tf.json trimmed to a few resources of
 * each kind), copied to a temporary directory with a deployment zip of the fixture function at each
 * function's filename, as `cdktf synth` leaves a stack directory. Zips are built here rather than
 * committed.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { zipBuffer } from './function-fixtures';

const FIXTURES = join(__dirname, '..', 'fixtures');

interface StackFunctions {
  resource?: { aws_lambda_function?: Record<string, { filename: string }> };
}

/** Returns the stack directory (where cdk.tf.json is); the caller deletes it. */
export async function copyFixtureStack(): Promise<string> {
  const stackDir = mkdtempSync(join(tmpdir(), 'fixture-stack-'));
  cpSync(join(FIXTURES, 'stack'), stackDir, { recursive: true });
  const config = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as StackFunctions;
  const code = readFileSync(join(FIXTURES, 'stack-function', 'handler.cjs'), 'utf8');
  const zip = await zipBuffer({ 'index.js': code });
  for (const { filename } of Object.values(config.resource?.aws_lambda_function ?? {})) {
    mkdirSync(dirname(join(stackDir, filename)), { recursive: true });
    writeFileSync(join(stackDir, filename), zip);
  }
  return stackDir;
}
