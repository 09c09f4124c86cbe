/** Functions for the Lambda runtime's specs: zips of plain CommonJS handlers, and their specs. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ZipFile } from 'yazl';
import type { FunctionSpec } from '../../src/stack/topology';

export const FIXTURE_REGION = 'us-east-1';
export const FIXTURE_ACCOUNT = '000000000000';

/** A zip of the given files (name → source text), in memory. */
export function zipBuffer(files: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name);
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** The spec the stack model would make for a function deployed from `zipPath`. */
export function functionSpec(
  name: string,
  zipPath: string,
  overrides: Partial<FunctionSpec> = {},
): FunctionSpec {
  return {
    address: `aws_lambda_function.${name}`,
    name,
    arn: `arn:aws:lambda:${FIXTURE_REGION}:${FIXTURE_ACCOUNT}:function:${name}`,
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    zipPath,
    sourceCodeHash: createHash('sha256').update(readFileSync(zipPath)).digest('base64'),
    timeoutSeconds: 3,
    memoryMb: 128,
    environment: {},
    roleArn: `arn:aws:iam::${FIXTURE_ACCOUNT}:role/${name}`,
    logGroupName: `/aws/lambda/${name}`,
    logFormat: 'Text',
    ...overrides,
  };
}
