/**
 * Broken variants of the real stack applied to the local cloud (`npm start -- --empty`): what AWS
 * refuses only at apply time fails the apply with AWS's error, as a plan cannot show. Each variant
 * edits one resource of the stack `npm run deploy -- local --local-cloud` synthesizes and applies
 * it with what it depends on (support/stack-variant). Runs with the deploy spec
 * (`npm run test:local-cloud-deploy`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readEndpointsFile } from '@serverless-week/local-cloud';
import { localCloudTarget } from '../../scripts/lib/deploy-target';
import type { DeployTarget } from '../../scripts/lib/deploy-target';
import { startLocalCloudProcess } from '../../scripts/lib/local-cloud-process';
import type { LocalCloudProcess } from '../../scripts/lib/local-cloud-process';
import { applyVariant, synthesizeForLocalCloud } from '../support/stack-variant';

const MINUTE = 60000;

let workDir: string;
let cloud: LocalCloudProcess;
let target: DeployTarget;
let stackDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'broken-variants-'));
  const dataDir = path.join(workDir, 'cloud');
  cloud = await startLocalCloudProcess({ dataDir, args: ['--empty'], timeoutMs: MINUTE });
  target = localCloudTarget('local', dataDir, readEndpointsFile(dataDir));
  stackDir = await synthesizeForLocalCloud('local', target);
}, 3 * MINUTE);

afterAll(async () => {
  await cloud?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

it(
  'fails the apply of a role policy IAM cannot parse with MalformedPolicyDocument',
  async () => {
    // Given a function's inline policy whose statement has an Effect IAM does not know.
    const malformed = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allowed', Action: 's3:GetObject', Resource: '*' }],
    });

    const run = await applyVariant({
      stackDir,
      workDir: path.join(workDir, 'malformed-policy'),
      target,
      type: 'aws_iam_role_policy',
      edit: (block) => {
        block.policy = malformed;
      },
    });

    // Terraform's own words are what explains a failure here.
    if (!run.output.includes('MalformedPolicyDocument')) throw new Error(run.output.slice(-4000));
    expect(run.code).toBe(1);
  },
  5 * MINUTE,
);
