/** Reading `terraform show -json` into the review's model: actions, changed attributes, annotations. */
import { loadPlanModel } from '../../scripts/lib/review/plan-model-loaders';
import type { StackConfig, TerraformPlanJson } from '../../scripts/lib/review/plan-model';

const plan: TerraformPlanJson = {
  configuration: {
    root_module: {
      resources: [
        {
          address: 'aws_sqs_queue.inbox',
          mode: 'managed',
          type: 'aws_sqs_queue',
          name: 'inbox',
          expressions: {
            name: { constant_value: 'inbox' },
            redrive_policy: {
              constant_value: '${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.dlq.arn})}',
              references: ['aws_sqs_queue.dlq.arn', 'aws_sqs_queue.dlq'],
            },
          },
        },
        {
          address: 'aws_dynamodb_table.items',
          mode: 'managed',
          type: 'aws_dynamodb_table',
          name: 'items',
          expressions: {
            hash_key: { constant_value: 'pk' },
            point_in_time_recovery: [{ enabled: { constant_value: true } }],
          },
        },
      ],
    },
  },
  resource_changes: [
    {
      address: 'aws_sqs_queue.inbox',
      mode: 'managed',
      type: 'aws_sqs_queue',
      name: 'inbox',
      change: {
        actions: ['update'],
        before: { name: 'inbox', visibility_timeout_seconds: 30, arn: 'arn:1' },
        after: { name: 'inbox', visibility_timeout_seconds: 60 },
        after_unknown: { arn: false },
      },
    },
    {
      address: 'aws_dynamodb_table.items',
      mode: 'managed',
      type: 'aws_dynamodb_table',
      name: 'items',
      change: {
        actions: ['delete', 'create'],
        before: { hash_key: 'id' },
        after: { hash_key: 'pk' },
        replace_paths: [['hash_key']],
      },
    },
    {
      address: 'aws_s3_bucket.old',
      mode: 'managed',
      type: 'aws_s3_bucket',
      name: 'old',
      change: { actions: ['delete'], before: { bucket: 'old-bucket' }, after: null },
    },
  ],
};

const config: StackConfig = {
  resource: {
    aws_dynamodb_table: {
      items: {
        '//': {
          metadata: { path: 'dev/items-table/table' },
          suppress_guardrails: {
            'STATE-001': 'The table is empty in every stage: re-keyed on purpose',
          },
        },
      },
    },
  },
};

const model = loadPlanModel(plan, config);
const named = (address: string) => model.resources.find((item) => item.address === address);

it('takes an update with the attributes whose value changes', () => {
  expect(named('aws_sqs_queue.inbox')).toMatchObject({
    action: 'update',
    changedAttributes: ['arn', 'visibility_timeout_seconds'],
  });
});

it('takes a delete-then-create as a replacement, with the attribute that forces it', () => {
  expect(named('aws_dynamodb_table.items')).toMatchObject({
    action: 'replace',
    replacedBecause: ['hash_key'],
  });
});

it('keeps a resource removed from the code, with its last values', () => {
  expect(named('aws_s3_bucket.old')).toMatchObject({
    action: 'delete',
    values: { bucket: 'old-bucket' },
  });
});

it('reads configured values back as cdk.tf.json writes them: constants, references, blocks', () => {
  expect(named('aws_sqs_queue.inbox')?.values.redrive_policy).toBe(
    '${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.dlq.arn})}',
  );
  expect(named('aws_dynamodb_table.items')?.values.point_in_time_recovery).toEqual([
    { enabled: true },
  ]);
});

it('carries the stack code’s annotations: construct path and suppressions', () => {
  expect(named('aws_dynamodb_table.items')).toMatchObject({
    constructPath: 'dev/items-table/table',
    suppressions: { 'STATE-001': 'The table is empty in every stage: re-keyed on purpose' },
  });
});
