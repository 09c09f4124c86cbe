/**
 * The dev stage as Terraform plans it, offline: `planStage` builds the zips, synthesizes main.ts,
 * then runs terraform init (provider from the filesystem mirror), validate and plan, and the
 * plan JSON is checked here.
 *
 * This is the ONE spec that writes to the repository's build/ and cdktf.out/ (planStage rebuilds
 * build/functions and synthesizes into cdktf.out/stacks/dev). The synth specs in __tests__/stacks
 * use temporary directories and stand-in zips only, so jest can run them in parallel with this.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { planStage } from '../../scripts/plan';
import type { PlanResult } from '../../scripts/plan';
import { summarizePlan } from '../../scripts/lib/plan-summary';
import { terraformVersion } from '../../scripts/lib/terraform';
import { projectFiles } from '../../stacks/project-files';
import { changesOf, configuredStatements, plannedString, readPlan } from '../support/plan';
import type { TerraformPlan } from '../support/plan';
import { base64Sha256 } from '../support/stack-fixtures';
import { isWildcardAction } from '../support/synth';

const PLAN_TIMEOUT_MS = 240_000;

/**
 * Without terraform there is nothing to plan. On a machine without it the suite is skipped, with
 * one line saying why; in CI (CI=true) it runs anyway and fails on "terraform is not on PATH",
 * so a pipeline cannot go green by skipping its Terraform checks.
 */
const describeWithTerraform =
  terraformVersion() || process.env.CI === 'true'
    ? describe
    : (console.warn(
        'Skipping Terraform tests: terraform is not on PATH (with CI=true they fail instead)',
      ),
      describe.skip);

/** What the plan creates, by resource type. */
const CREATED_BY_TYPE: Record<string, number> = {
  aws_api_gateway_account: 1,
  aws_api_gateway_deployment: 1,
  aws_api_gateway_method_settings: 1,
  aws_api_gateway_rest_api: 1,
  aws_api_gateway_stage: 1,
  // The items API's read routes again, behind the HTTP API.
  aws_apigatewayv2_api: 1,
  aws_apigatewayv2_integration: 2,
  aws_apigatewayv2_route: 2,
  aws_apigatewayv2_stage: 1,
  // Each function's, both APIs' access logs and the state machine's logs.
  aws_cloudwatch_log_group: 18,
  aws_dynamodb_table: 2,
  // One per function, the state machine's, API Gateway's account-wide logging role, and the role
  // POST /messages' SQS integration assumes.
  aws_iam_role: 18,
  aws_iam_role_policy: 17,
  aws_iam_role_policy_attachment: 1,
  aws_lambda_event_source_mapping: 1,
  aws_lambda_function: 15,
  aws_lambda_function_event_invoke_config: 1,
  // One per API function, one per HTTP API route, and S3's on the image processor.
  aws_lambda_permission: 15,
  aws_s3_bucket: 3,
  aws_s3_bucket_cors_configuration: 1,
  aws_s3_bucket_lifecycle_configuration: 1,
  aws_s3_bucket_notification: 1,
  aws_s3_bucket_ownership_controls: 3,
  aws_s3_bucket_policy: 3,
  aws_s3_bucket_public_access_block: 3,
  aws_s3_bucket_server_side_encryption_configuration: 3,
  aws_s3_bucket_website_configuration: 1,
  // The web/ files and config.json.
  aws_s3_object: 11,
  aws_sfn_state_machine: 1,
  aws_sns_topic: 1,
  aws_sns_topic_subscription: 2,
  // audit, inbox, their dead-letter queues, and the image failures queue.
  aws_sqs_queue: 5,
  aws_sqs_queue_policy: 2,
  aws_sqs_queue_redrive_allow_policy: 2,
};

interface ShippedZip {
  filename: string;
  sourceCodeHash: string;
  /** Undefined when the zip is not where `filename` says. */
  bytes: Buffer | undefined;
}

/** Each function's zip as the plan ships it: path, planned hash, and the file's bytes. */
function shippedZips(result: PlanResult, plan: TerraformPlan): Map<string, ShippedZip> {
  return new Map(
    changesOf(plan, 'aws_lambda_function').map((change) => {
      const filename = plannedString(change, 'filename');
      const zipPath = path.resolve(result.stackDirectory, filename);
      return [
        change.address,
        {
          filename,
          sourceCodeHash: plannedString(change, 'source_code_hash'),
          bytes: existsSync(zipPath) ? readFileSync(zipPath) : undefined,
        },
      ];
    }),
  );
}

describeWithTerraform('the offline Terraform plan of the dev stage', () => {
  let first: PlanResult;
  let plan: TerraformPlan;
  let zips: Map<string, ShippedZip>;

  beforeAll(async () => {
    // Given a fresh build and synth, when terraform plans the dev stage with no AWS account.
    first = await planStage('dev', true);
    plan = readPlan(first.planJsonPath);
    zips = shippedZips(first, plan);
  }, PLAN_TIMEOUT_MS);

  it('writes plan-review.md beside the plan: 142 to add against an empty account, guardrails passing', () => {
    const written = readFileSync(first.reviewPath, 'utf8');

    expect(written).toContain('Compared with an empty account.');
    expect(written).toContain(
      '**142 to add, 0 to change, 0 to replace, 0 to destroy.** Guardrails pass.',
    );
    expect(first.guardrails.violations).toEqual([]);
    expect(first.guardrails.suppressed.map(({ ruleId, address }) => [ruleId, address])).toEqual([
      ['S3-003', expect.stringMatching(/^aws_s3_bucket\.website_bucket_/)],
    ]);
  });

  it('plans completely and without errors', () => {
    expect({ errored: plan.errored, complete: plan.complete }).toEqual({
      errored: false,
      complete: true,
    });
  });

  it('configures the provider with dummy credentials and no AWS lookup', () => {
    const expressions = plan.configuration.provider_config.aws?.expressions ?? {};
    expect(expressions).toEqual(
      expect.objectContaining({
        access_key: { constant_value: 'offline-plan' },
        secret_key: { constant_value: 'offline-plan' },
        skip_credentials_validation: { constant_value: true },
        skip_requesting_account_id: { constant_value: true },
        skip_region_validation: { constant_value: true },
      }),
    );
  });

  it('creates every resource of the application, in the expected numbers', () => {
    expect(summarizePlan(plan).createdByType).toEqual(CREATED_BY_TYPE);
  });

  it('destroys, replaces and updates nothing', () => {
    const summary = summarizePlan(plan);
    expect({
      destroy: summary.destroy,
      replace: summary.replace,
      update: summary.update,
    }).toEqual({ destroy: 0, replace: 0, update: 0 });
    const notCreated = plan.resource_changes
      .filter((change) => change.mode === 'managed' && change.change.actions.join() !== 'create')
      .map((change) => `${change.address}: ${change.change.actions.join()}`);
    expect(notCreated).toEqual([]);
  });

  it('gives every function its own log group and its own role, both named after it', () => {
    const functions = changesOf(plan, 'aws_lambda_function').map((change) =>
      plannedString(change, 'function_name'),
    );
    const logGroups = changesOf(plan, 'aws_cloudwatch_log_group').map((change) =>
      plannedString(change, 'name'),
    );
    const roles = changesOf(plan, 'aws_iam_role').map((change) => plannedString(change, 'name'));
    expect(functions).toHaveLength(15);
    expect(logGroups).toEqual(expect.arrayContaining(functions.map((f) => `/aws/lambda/${f}`)));
    expect(roles).toEqual(expect.arrayContaining(functions));
  });

  it("finds every function's zip in the stack directory", () => {
    expect(zips.size).toBe(15);
    const missing = [...zips.values()]
      .filter(({ bytes }) => bytes === undefined || bytes.length === 0)
      .map(({ filename }) => filename);
    expect(missing).toEqual([]);
  });

  it('plans each function with the base64 SHA-256 of its zip as source_code_hash', () => {
    for (const [address, { filename, sourceCodeHash }] of zips) {
      expect({ address, sourceCodeHash }).toEqual({
        address,
        sourceCodeHash: base64Sha256(path.resolve(first.stackDirectory, filename)),
      });
    }
  });

  it('ships exactly the zips the build wrote to build/functions', () => {
    for (const { filename, bytes } of zips.values()) {
      const built = readFileSync(path.join(projectFiles.functionBundles, path.basename(filename)));
      expect({ filename, same: bytes !== undefined && built.equals(bytes) }).toEqual({
        filename,
        same: true,
      });
    }
  });

  it('lists literal actions in every IAM statement', () => {
    const computed = configuredStatements(plan)
      .filter((statement) => statement.actions === undefined)
      .map((statement) => statement.document);
    expect(computed).toEqual([]);
  });

  it('allows no * or service:* action in any IAM statement', () => {
    // The policy JSON is unknown until apply, so the statements are read as configured.
    const wildcards = configuredStatements(plan)
      .filter((statement) => statement.effect === 'Allow')
      .flatMap((statement) =>
        (statement.actions ?? [])
          .filter(isWildcardAction)
          .map((action) => `${statement.document}: ${action}`),
      );
    expect(wildcards).toEqual([]);
  });

  it("allows resource * in one statement only, the state machine's log delivery", () => {
    const wildcards = configuredStatements(plan).filter(
      (statement) => statement.effect === 'Allow' && statement.resources.includes('*'),
    );
    expect(wildcards.map(({ sid }) => sid)).toEqual(['DeliverExecutionLogs']);
  });

  it(
    'builds deterministically: a second build, synth and plan ships the same zips and hashes',
    async () => {
      // Given the first plan's zips, when everything is rebuilt and planned again, reviewed
      // against the first plan.
      const firstPlan = path.join(mkdtempSync(path.join(tmpdir(), 'first-plan-')), 'plan.json');
      copyFileSync(first.planJsonPath, firstPlan);
      const second = await planStage('dev', true, { previousPlanJson: firstPlan });
      // Then the review finds nothing to do,
      expect(second.review).toContain('Compared with the previous plan (plan.json).');
      expect(second.review).toContain('**0 to add, 0 to change, 0 to replace, 0 to destroy.**');
      // and every function ships byte-identical code under the same hash.
      const again = shippedZips(second, readPlan(second.planJsonPath));
      expect([...again.keys()].sort()).toEqual([...zips.keys()].sort());
      for (const [address, zip] of zips) {
        const rebuilt = again.get(address);
        const same = zip.bytes !== undefined && rebuilt?.bytes?.equals(zip.bytes) === true;
        expect({ address, hash: rebuilt?.sourceCodeHash, same }).toEqual({
          address,
          hash: zip.sourceCodeHash,
          same: true,
        });
      }
    },
    PLAN_TIMEOUT_MS,
  );
});
