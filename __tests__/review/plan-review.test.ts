/**
 * The plan review a pull request shows: the current stack against an empty account, and a variant
 * of it (synthesized here) that grants an IAM action, widens a CORS origin and replaces a table,
 * reviewed against the current one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TerraformStack } from 'cdktf';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import type { IConstruct } from 'constructs';
import { evaluateGuardrails } from '../../scripts/lib/review/guardrails';
import type { GuardrailReport } from '../../scripts/lib/review/guardrails';
import type { PlanModel, StackConfig } from '../../scripts/lib/review/plan-model';
import {
  compareWithPrevious,
  modelFromStackConfig,
} from '../../scripts/lib/review/plan-model-loaders';
import { renderPlanReview } from '../../scripts/lib/review/plan-review';
import { synthesizeLocalStack } from '../support/local-stack';

const STAGE = 'review';

/** The stack's cdk.tf.json, after `change` (if any) edits its constructs. */
function synthesize(change?: (stack: TerraformStack) => void): StackConfig {
  const stackDir = synthesizeLocalStack(STAGE, change);
  return JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as StackConfig;
}

function find<T extends IConstruct>(
  stack: TerraformStack,
  type: abstract new (...args: never[]) => T,
  path: string,
): T {
  const found = stack.node
    .findAll()
    .find((node): node is T => node instanceof type && node.node.path.includes(path));
  if (!found) throw new Error(`no ${type.name} under ${path}`);
  return found;
}

describe('against an empty account', () => {
  let config: StackConfig;
  let model: PlanModel;
  let guardrails: GuardrailReport;
  let review: string;

  beforeAll(() => {
    config = synthesize();
    model = modelFromStackConfig(config);
    guardrails = evaluateGuardrails(model);
    review = renderPlanReview({ stage: STAGE, model, guardrails });
  });

  it('counts every resource of the stack as added and nothing else', () => {
    const resources = Object.values(config.resource ?? {}).reduce(
      (sum, byName) => sum + Object.keys(byName).length,
      0,
    );

    expect(review).toContain(
      `**${resources} to add, 0 to change, 0 to replace, 0 to destroy.** Guardrails pass.`,
    );
  });

  it('has its sections in order, with no danger warning', () => {
    const headings = review.split('\n').filter((line) => line.startsWith('## '));

    expect(headings).toEqual([
      '## Guardrails',
      '## IAM',
      '## Exposure',
      '## Changes by resource type',
    ]);
    expect(review).not.toContain('[!CAUTION]');
  });

  it('lists every role with what it is granted', () => {
    const roles = Object.keys(config.resource?.aws_iam_role ?? {});

    for (const role of roles) expect(review).toContain(`### \`aws_iam_role.${role}\``);
    expect(review).toMatch(
      /\| granted \| Allow \| dynamodb:PutItem \| aws_dynamodb_table\.items-table_[0-9A-F]+\.arn \|/,
    );
  });

  it('lists who can reach what: the public website, the CORS origin, the public API methods', () => {
    expect(review).toMatch(/\+ aws_s3_bucket\.website_bucket_[0-9A-F]+: Allow \* s3:GetObject/);
    expect(review).toMatch(
      /\+ aws_s3_bucket\.uploads_bucket_[0-9A-F]+: PUT from http:\/\/aws_s3_bucket_website_configuration/,
    );
    expect(review).toMatch(
      /\+ aws_api_gateway_rest_api\.api_[0-9A-F]+: GET \/items no authorization \(public\)/,
    );
  });

  it('lists the suppressions and allow-listed wildcards with their reasons', () => {
    expect(review).toContain('| S3-003 |');
    expect(review).toContain('S3 website endpoints serve plain HTTP only');
    expect(review).toContain(
      '| DeliverExecutionLogs | CloudWatch Logs vended log delivery APIs support no resource-level permissions |',
    );
  });
});

describe('a change that grants an IAM action, widens a CORS origin and replaces a table', () => {
  let previous: PlanModel;
  let model: PlanModel;
  let guardrails: GuardrailReport;
  let review: string;

  beforeAll(() => {
    previous = modelFromStackConfig(synthesize());
    const variant = synthesize((stack) => {
      // An extra grant for the list-items function's role.
      const role = find(stack, IamRole, 'items/list-items');
      const extra = new DataAwsIamPolicyDocument(stack, 'extra-grant', {
        statement: [
          {
            actions: ['dynamodb:Scan'],
            resources: ['${aws_dynamodb_table.audit-table_4698A657.arn}'],
          },
        ],
      });
      new IamRolePolicy(stack, 'extra-policy', {
        name: 'extra',
        role: role.id,
        policy: extra.json,
      });
      // Uploads from anywhere.
      find(stack, S3BucketCorsConfiguration, 'uploads').putCorsRule([
        { allowedMethods: ['PUT'], allowedOrigins: ['*'], allowedHeaders: ['Content-Type'] },
      ]);
      // A new partition key: DynamoDB cannot change it in place.
      const table = find(stack, DynamodbTable, 'items-table');
      table.addOverride('hash_key', 'pk');
    });
    model = compareWithPrevious(
      previous,
      modelFromStackConfig(variant),
      'the previous plan (main)',
    );
    guardrails = evaluateGuardrails(model);
    review = renderPlanReview({ stage: STAGE, model, previous, guardrails });
  });

  it('warns at the top that the items table is replaced, and why', () => {
    const caution = review.indexOf('[!CAUTION]');

    expect(caution).toBeGreaterThan(-1);
    expect(caution).toBeLessThan(review.indexOf('## Guardrails'));
    expect(review).toMatch(
      /\*\*replaces\*\* `aws_dynamodb_table\.items-table_[0-9A-F]+` \(because `hash_key` changes\)/,
    );
  });

  it('counts only what changes', () => {
    // The new role policy (its policy document is a data source: read, not added).
    expect(review).toMatch(/\*\*1 to add, 1 to change, 1 to replace, 0 to destroy\.\*\*/);
  });

  it('shows the new grant under the role that gets it', () => {
    const section = review.slice(review.indexOf('## IAM'), review.indexOf('## Exposure'));

    expect(section).toMatch(/### `aws_iam_role\.items_list-items_role_[0-9A-F]+`/);
    expect(section).toMatch(
      /\| granted \| Allow \| dynamodb:Scan \| aws_dynamodb_table\.audit-table_4698A657\.arn \|/,
    );
    expect(section.match(/^### /gm)).toHaveLength(1);
  });

  it('shows the CORS origin opened to anyone and the website origin it replaces', () => {
    const section = review.slice(
      review.indexOf('## Exposure'),
      review.indexOf('## Changes by resource type'),
    );

    expect(section).toContain('### CORS origins');
    expect(section).toMatch(/\+ aws_s3_bucket\.uploads_bucket_[0-9A-F]+: PUT from \*/);
    expect(section).toMatch(/- aws_s3_bucket\.uploads_bucket_[0-9A-F]+: PUT from http:\/\//);
  });

  it('is refused by the guardrails: a table replaced without an explicit allow', () => {
    expect(guardrails.violations.map(({ ruleId, address }) => [ruleId, address])).toEqual([
      ['STATE-001', expect.stringMatching(/^aws_dynamodb_table\.items-table_/)],
    ]);
    expect(review).toContain('violation(s): the plan is refused.');
  });

  it('passes once the replacement is explicitly allowed', () => {
    const table = model.resources.find(
      (item) => item.type === 'aws_dynamodb_table' && item.action === 'replace',
    );

    const allowed = evaluateGuardrails(model, undefined, { allowDestroy: [table?.address ?? ''] });

    expect(allowed.violations).toEqual([]);
  });
});
