/** The spec the stack model makes for a function, for specs that run functions of their own. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FunctionSpec } from '@serverless-week/local-cloud';

export const FIXTURE_REGION = 'us-east-1';
export const FIXTURE_ACCOUNT = '000000000000';

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
