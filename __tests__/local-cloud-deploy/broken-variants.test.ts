/**
 * Broken variants of the real stack applied to the local cloud (`npm start -- --empty`): what AWS
 * refuses only at apply time fails the apply with AWS's error, as a plan cannot show. Each variant
 * edits one resource of the stack `npm run deploy -- local --local-cloud` synthesizes and applies
 * it with what it depends on (support/stack-variant). Runs apart: `npm run test:broken-variants`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readEndpointsFile } from '@serverless-week/local-cloud';
import type { EndpointsFile } from '@serverless-week/local-cloud';
import { localCloudTarget } from '../../scripts/lib/deploy-target';
import { startLocalCloudProcess } from '../../scripts/lib/local-cloud-process';
import type { LocalCloudProcess } from '../../scripts/lib/local-cloud-process';
import { applyVariant, synthesizeForLocalCloud } from '../support/stack-variant';

const MINUTE = 60000;

let workDir: string;
let cloud: LocalCloudProcess;
let synthesizedFor: EndpointsFile;
let stackDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'broken-variants-'));
  const dataDir = path.join(workDir, 'cloud');
  cloud = await startLocalCloudProcess({ dataDir, args: ['--empty'], timeoutMs: MINUTE });
  synthesizedFor = readEndpointsFile(dataDir);
  stackDir = await synthesizeForLocalCloud(
    'local',
    localCloudTarget('local', dataDir, synthesizedFor),
  );
}, 3 * MINUTE);

afterAll(async () => {
  await cloud?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/**
 * The apply of a variant fails, and Terraform's output names AWS's refusal. Each variant has a
 * local cloud of its own: variants apply the same dependencies under the same names.
 */
async function expectRefused(
  name: string,
  variant: Omit<Parameters<typeof applyVariant>[0], 'stackDir' | 'workDir' | 'target'>,
  refusal: RegExp,
): Promise<void> {
  const dataDir = path.join(workDir, name, 'cloud');
  const own = await startLocalCloudProcess({ dataDir, args: ['--empty'], timeoutMs: MINUTE });
  try {
    const endpoints = readEndpointsFile(dataDir);
    const run = await applyVariant({
      stackDir,
      workDir: path.join(workDir, name, 'stack'),
      target: localCloudTarget('local', dataDir, endpoints),
      endpoints: {
        from: [synthesizedFor.aws, synthesizedFor.urls.web ?? ''],
        to: [endpoints.aws, endpoints.urls.web ?? ''],
      },
      ...variant,
    });

    // Terraform's own words are what explains a failure here.
    if (!refusal.test(run.output)) throw new Error(run.output.slice(-4000));
    expect(run.code).toBe(1);
  } finally {
    await own.stop();
  }
}

// The variants are independent (each its own copy, state and resources), so they run together.
it.concurrent(
  'fails the apply of a role policy IAM cannot parse with MalformedPolicyDocument',
  () =>
    // Given a function's inline policy whose statement has an Effect IAM does not know.
    expectRefused(
      'malformed-policy',
      {
        type: 'aws_iam_role_policy',
        edit: (block) => {
          block.policy = JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allowed', Action: 's3:GetObject', Resource: '*' }],
          });
        },
      },
      /MalformedPolicyDocument/,
    ),
  5 * MINUTE,
);

it.concurrent(
  "fails the apply of a bucket notification to a function without its permission with S3's refusal",
  () =>
    // Given the uploads bucket's notification, with the permission letting S3 invoke the image
    // processor taken out of the stack.
    expectRefused(
      'notification-without-permission',
      {
        type: 'aws_s3_bucket_notification',
        edit: (block, stack) => {
          const permissions = stack.resource?.aws_lambda_permission ?? {};
          for (const name of Object.keys(permissions)) {
            if (name.startsWith('images_allow-s3')) delete permissions[name];
          }
          delete block.depends_on;
        },
      },
      /Unable to validate the following destination configurations/,
    ),
  5 * MINUTE,
);

it.concurrent(
  "fails the apply of a function whose role Lambda cannot assume with Lambda's refusal",
  () =>
    // Given a function given the state machine's role, which only Step Functions may assume.
    expectRefused(
      'role-lambda-cannot-assume',
      {
        type: 'aws_lambda_function',
        edit: (block, stack) => {
          const [workflowRole] = Object.keys(stack.resource?.aws_iam_role ?? {}).filter((name) =>
            /^publish-workflow_role_/.test(name),
          );
          block.role = `\${aws_iam_role.${workflowRole}.arn}`;
        },
      },
      /cannot be assumed by Lambda/,
    ),
  5 * MINUTE,
);

it.concurrent(
  'fails the apply of a state machine whose definition is not valid ASL',
  () =>
    // Given the publish workflow with a StartAt naming no state.
    expectRefused(
      'invalid-asl',
      {
        type: 'aws_sfn_state_machine',
        edit: (block) => {
          block.definition = JSON.stringify({
            StartAt: 'Missing',
            States: { Done: { Type: 'Succeed' } },
          });
        },
      },
      // The provider asks Step Functions to validate the definition before it creates it.
      /InvalidDefinition|invalid Step Functions State Machine definition/,
    ),
  5 * MINUTE,
);

it.concurrent(
  'fails the apply of an OpenAPI document whose integration names a function that does not exist',
  () =>
    // Given the REST API's document with its first Lambda integration pointed at a function the
    // stack does not have.
    expectRefused(
      'integration-to-missing-function',
      {
        type: 'aws_api_gateway_rest_api',
        edit: (block) => {
          block.body = String(block.body).replace(
            /\$\{aws_lambda_function\.[^.}]+\.invoke_arn\}/,
            'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:no-such-function/invocations',
          );
        },
      },
      /Invalid function ARN or invalid uri/,
    ),
  5 * MINUTE,
);

it.concurrent(
  'fails the apply of a queue policy that is not JSON',
  () =>
    // Given the audit queue's policy replaced by text that is not JSON.
    expectRefused(
      'queue-policy-not-json',
      {
        type: 'aws_sqs_queue_policy',
        edit: (block) => {
          block.policy = 'allow the events topic';
        },
      },
      // Terraform's provider refuses it before SQS is called, as it does against AWS.
      /invalid JSON/i,
    ),
  5 * MINUTE,
);
