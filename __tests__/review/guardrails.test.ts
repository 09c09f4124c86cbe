import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  GUARDRAIL_RULES,
  evaluateGuardrails,
  formatFindings,
} from '../../scripts/lib/review/guardrails';
import type { GuardrailRule } from '../../scripts/lib/review/guardrail-rule';
import type { GuardrailOptions } from '../../scripts/lib/review/guardrails';
import type { PlanModel, PlannedResource, StackConfig } from '../../scripts/lib/review/plan-model';
import { modelFromStackConfig } from '../../scripts/lib/review/plan-model-loaders';
import { synthesizeLocalStack } from '../support/local-stack';

// ---- fixtures: the smallest plan models that make each rule speak or keep quiet ----

function resource(
  address: string,
  values: Record<string, unknown> = {},
  extra: Partial<PlannedResource> = {},
): PlannedResource {
  const mode = address.startsWith('data.') ? 'data' : 'managed';
  const [type = '', name = ''] = address.replace(/^data\./, '').split('.');
  return {
    address,
    mode,
    type,
    name,
    values,
    action: mode === 'data' ? 'read' : 'create',
    changedAttributes: [],
    replacedBecause: [],
    suppressions: {},
    wildcardReasons: {},
    ...extra,
  };
}

function modelOf(...resources: PlannedResource[]): PlanModel {
  return { resources, baseline: 'an empty account' };
}

function ruleNamed(id: string): GuardrailRule {
  const rule = GUARDRAIL_RULES.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

function violationsOf(id: string, model: PlanModel, options?: GuardrailOptions) {
  return evaluateGuardrails(model, [ruleNamed(id)], options).violations;
}

const ref = (address: string, attribute: string): string => `\${${address}.${attribute}}`;

function policyDocument(name: string, statements: Record<string, unknown>[]): PlannedResource {
  return resource(`data.aws_iam_policy_document.${name}`, { statement: statements });
}

function rolePolicy(
  name: string,
  policy: string,
  wildcardReasons: Record<string, string> = {},
): PlannedResource {
  return resource(
    `aws_iam_role_policy.${name}`,
    { name: 'least-privilege', role: ref('aws_iam_role.r', 'id'), policy },
    { wildcardReasons },
  );
}

const tlsDeny = {
  sid: 'DenyInsecureTransport',
  effect: 'Deny',
  actions: ['s3:*'],
  principals: [{ type: '*', identifiers: ['*'] }],
  resources: ['${aws_s3_bucket.b.arn}', '${aws_s3_bucket.b.arn}/*'],
  condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
};

/** A bucket with everything the S3 rules ask for; tests drop or change one part. */
function privateBucket(): PlannedResource[] {
  const bucket = 'aws_s3_bucket.b';
  return [
    resource(bucket, { bucket_prefix: 'b-' }),
    resource('aws_s3_bucket_public_access_block.b', {
      bucket: ref(bucket, 'id'),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    }),
    resource('aws_s3_bucket_server_side_encryption_configuration.b', {
      bucket: ref(bucket, 'id'),
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
    }),
    resource('aws_s3_bucket_policy.b', {
      bucket: ref(bucket, 'id'),
      policy: ref('data.aws_iam_policy_document.tls', 'json'),
    }),
    policyDocument('tls', [tlsDeny]),
  ];
}

function without(resources: PlannedResource[], address: string): PlannedResource[] {
  return resources.filter((item) => item.address !== address);
}

function replaced(resources: PlannedResource[], replacement: PlannedResource): PlannedResource[] {
  return resources.map((item) => (item.address === replacement.address ? replacement : item));
}

function lambdaFunction(
  name: string,
  values: Record<string, unknown> = {},
  extra: Partial<PlannedResource> = {},
): PlannedResource {
  return resource(
    `aws_lambda_function.${name}`,
    {
      function_name: `app-${name}`,
      role: ref(`aws_iam_role.${name}`, 'arn'),
      timeout: 10,
      logging_config: {
        log_format: 'JSON',
        log_group: ref(`aws_cloudwatch_log_group.${name}`, 'name'),
      },
      ...values,
    },
    extra,
  );
}

function logGroup(name: string, values: Record<string, unknown> = {}): PlannedResource {
  return resource(`aws_cloudwatch_log_group.${name}`, {
    name: `/aws/lambda/app-${name}`,
    retention_in_days: 14,
    ...values,
  });
}

const stage = resource('aws_api_gateway_stage.s', {
  rest_api_id: ref('aws_api_gateway_rest_api.api', 'id'),
  stage_name: 'dev',
  access_log_settings: {
    destination_arn: ref('aws_cloudwatch_log_group.access', 'arn'),
    format: '{}',
  },
});

function methodSettings(values: Record<string, unknown> = {}): PlannedResource {
  return resource('aws_api_gateway_method_settings.throttling', {
    rest_api_id: ref('aws_api_gateway_rest_api.api', 'id'),
    stage_name: ref('aws_api_gateway_stage.s', 'stage_name'),
    method_path: '*/*',
    settings: { throttling_rate_limit: 25, throttling_burst_limit: 50 },
    ...values,
  });
}

function table(values: Record<string, unknown> = {}, extra: Partial<PlannedResource> = {}) {
  return resource(
    'aws_dynamodb_table.t',
    {
      name: 'items',
      hash_key: 'id',
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      ...values,
    },
    extra,
  );
}

// ---- the rule set ----

describe('the guardrail rule set', () => {
  it('has the agreed rule ids, each with a title, a one-line rationale and a one-line fix', () => {
    expect(GUARDRAIL_RULES.map((rule) => rule.id)).toEqual([
      'IAM-001',
      'IAM-002',
      'S3-001',
      'S3-002',
      'S3-003',
      'SQS-001',
      'SQS-002',
      'LAMBDA-001',
      'LAMBDA-002',
      'LAMBDA-003',
      'API-001',
      'API-002',
      'DDB-001',
      'DDB-002',
      'STATE-001',
    ]);
    for (const rule of GUARDRAIL_RULES) {
      expect([rule.title, rule.rationale, rule.fix].every((line) => /^[^\n]+$/.test(line))).toBe(
        true,
      );
    }
  });

  it('says in the DDB-002 rationale that AWS already encrypts with an AWS owned key', () => {
    expect(ruleNamed('DDB-002').rationale).toMatch(/AWS owned key/);
  });
});

describe('IAM-001 no wildcard actions', () => {
  it('flags an Allow of service:* on the document, naming the role policy that uses it', () => {
    // Given a document allowing s3:* used by a role policy
    const model = modelOf(
      policyDocument('p', [{ sid: 'All', actions: ['s3:*'], resources: ['arn:aws:s3:::b/*'] }]),
      rolePolicy('fn', ref('data.aws_iam_policy_document.p', 'json')),
    );
    // When the rule runs, then the document is reported with its user
    expect(violationsOf('IAM-001', model)).toEqual([
      {
        ruleId: 'IAM-001',
        address: 'data.aws_iam_policy_document.p',
        message: expect.stringMatching(
          /statement "All" allows s3:\*.*used by aws_iam_role_policy\.fn/,
        ) as string,
      },
    ]);
  });

  it('flags an Allow of * in a literal JSON policy, on the policy resource', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' },
    });
    const model = modelOf(resource('aws_iam_policy.admin', { policy }));
    expect(violationsOf('IAM-001', model).map((finding) => finding.address)).toEqual([
      'aws_iam_policy.admin',
    ]);
  });

  it('flags an Allow with NotAction', () => {
    const model = modelOf(
      policyDocument('p', [{ not_actions: ['iam:*'], resources: ['arn:aws:s3:::b'] }]),
    );
    expect(violationsOf('IAM-001', model)[0]?.message).toMatch(/every action but NotAction iam:\*/);
  });

  it('keeps quiet about listed actions, action prefixes and a wildcard Deny (TLS only)', () => {
    const model = modelOf(
      policyDocument('p', [
        { effect: 'Allow', actions: ['sqs:SendMessage', 's3:Get*'], resources: ['arn:q'] },
        { ...tlsDeny, actions: ['sqs:*'] },
      ]),
    );
    expect(violationsOf('IAM-001', model)).toEqual([]);
  });
});

describe('IAM-002 no * resource without a reason', () => {
  const logsStatement = {
    sid: 'DeliverLogs',
    effect: 'Allow',
    actions: ['logs:CreateLogDelivery'],
    resources: ['*'],
  };

  it('flags an Allow on * that the role policy using the document gives no reason for', () => {
    const model = modelOf(
      policyDocument('p', [logsStatement]),
      rolePolicy('fn', ref('data.aws_iam_policy_document.p', 'json')),
    );
    expect(violationsOf('IAM-002', model)).toEqual([
      {
        ruleId: 'IAM-002',
        address: 'data.aws_iam_policy_document.p',
        message: expect.stringMatching(
          /"DeliverLogs".*resource \*.*no wildcard_reasons\["DeliverLogs"\] on aws_iam_role_policy\.fn/,
        ) as string,
      },
    ]);
  });

  it('keeps quiet when the role policy carries a wildcard reason for the statement Sid', () => {
    const model = modelOf(
      policyDocument('p', [logsStatement]),
      rolePolicy('fn', ref('data.aws_iam_policy_document.p', 'json'), {
        DeliverLogs: 'log delivery APIs have no resource-level permissions',
      }),
    );
    expect(violationsOf('IAM-002', model)).toEqual([]);
  });

  it('flags a literal JSON policy with Resource * and no reason on itself', () => {
    const policy = JSON.stringify({
      Statement: [{ Sid: 'Logs', Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '*' }],
    });
    const model = modelOf(rolePolicy('fn', policy));
    expect(violationsOf('IAM-002', model).map((finding) => finding.address)).toEqual([
      'aws_iam_role_policy.fn',
    ]);
  });

  it('counts a suppression of IAM-002 on the document as the allow', () => {
    const document = resource(
      'data.aws_iam_policy_document.p',
      { statement: [logsStatement] },
      { suppressions: { 'IAM-002': 'vended log delivery needs *' } },
    );
    const report = evaluateGuardrails(modelOf(document), [ruleNamed('IAM-002')]);
    expect(report.violations).toEqual([]);
    expect(report.suppressed.map((finding) => finding.reason)).toEqual([
      'vended log delivery needs *',
    ]);
  });
});

describe('S3-001 public access blocked', () => {
  it('flags a bucket without a public access block', () => {
    const model = modelOf(...without(privateBucket(), 'aws_s3_bucket_public_access_block.b'));
    expect(violationsOf('S3-001', model)).toEqual([
      {
        ruleId: 'S3-001',
        address: 'aws_s3_bucket.b',
        message: 'has no aws_s3_bucket_public_access_block',
      },
    ]);
  });

  it('flags a public access block that leaves a setting off, naming it', () => {
    const partial = resource('aws_s3_bucket_public_access_block.b', {
      bucket: ref('aws_s3_bucket.b', 'bucket'),
      block_public_acls: true,
      block_public_policy: false,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const model = modelOf(...replaced(privateBucket(), partial));
    expect(violationsOf('S3-001', model)[0]?.message).toMatch(
      /leaves block_public_policy not true/,
    );
  });

  it('keeps quiet for a bucket with all four settings true', () => {
    expect(violationsOf('S3-001', modelOf(...privateBucket()))).toEqual([]);
  });

  it('exempts the website bucket (it has a website configuration)', () => {
    const model = modelOf(
      ...without(privateBucket(), 'aws_s3_bucket_public_access_block.b'),
      resource('aws_s3_bucket_website_configuration.site', {
        bucket: ref('aws_s3_bucket.b', 'id'),
        index_document: { suffix: 'index.html' },
      }),
    );
    expect(violationsOf('S3-001', model)).toEqual([]);
  });
});

describe('S3-002 encryption at rest', () => {
  it('flags a bucket without a server-side encryption configuration', () => {
    const model = modelOf(
      ...without(privateBucket(), 'aws_s3_bucket_server_side_encryption_configuration.b'),
    );
    expect(violationsOf('S3-002', model).map((finding) => finding.address)).toEqual([
      'aws_s3_bucket.b',
    ]);
  });

  it('keeps quiet for a bucket with an encryption configuration resource', () => {
    expect(violationsOf('S3-002', modelOf(...privateBucket()))).toEqual([]);
  });

  it('keeps quiet for the legacy inline server_side_encryption_configuration block', () => {
    const legacy = resource('aws_s3_bucket.b', {
      server_side_encryption_configuration: [
        { rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }] }] },
      ],
    });
    const model = modelOf(
      ...replaced(
        without(privateBucket(), 'aws_s3_bucket_server_side_encryption_configuration.b'),
        legacy,
      ),
    );
    expect(violationsOf('S3-002', model)).toEqual([]);
  });
});

describe('S3-003 TLS only', () => {
  it('flags a bucket without a bucket policy', () => {
    const model = modelOf(...without(privateBucket(), 'aws_s3_bucket_policy.b'));
    expect(violationsOf('S3-003', model)[0]?.message).toMatch(/has no aws_s3_bucket_policy/);
  });

  it('flags a bucket whose policy document has no Deny on aws:SecureTransport false', () => {
    const publicRead = policyDocument('tls', [
      { effect: 'Allow', actions: ['s3:GetObject'], resources: ['${aws_s3_bucket.b.arn}/*'] },
    ]);
    const model = modelOf(...replaced(privateBucket(), publicRead));
    expect(violationsOf('S3-003', model)).toEqual([
      {
        ruleId: 'S3-003',
        address: 'aws_s3_bucket.b',
        message: expect.stringMatching(
          /data\.aws_iam_policy_document\.tls \(the policy of aws_s3_bucket_policy\.b\) has no Deny/,
        ) as string,
      },
    ]);
  });

  it('keeps quiet for a policy document that denies insecure transport', () => {
    expect(violationsOf('S3-003', modelOf(...privateBucket()))).toEqual([]);
  });

  it('keeps quiet for a literal JSON policy that denies insecure transport', () => {
    const policy = JSON.stringify({
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: ['${aws_s3_bucket.b.arn}', '${aws_s3_bucket.b.arn}/*'],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    const literal = resource('aws_s3_bucket_policy.b', {
      bucket: ref('aws_s3_bucket.b', 'id'),
      policy,
    });
    const model = modelOf(...replaced(privateBucket(), literal));
    expect(violationsOf('S3-003', model)).toEqual([]);
  });
});

describe('SQS-001 queue encryption', () => {
  it('flags a queue with neither SQS managed SSE nor a KMS key', () => {
    const model = modelOf(
      resource('aws_sqs_queue.q', { name: 'q', sqs_managed_sse_enabled: false }),
    );
    expect(violationsOf('SQS-001', model).map((finding) => finding.address)).toEqual([
      'aws_sqs_queue.q',
    ]);
  });

  it('keeps quiet for SQS managed SSE or a KMS key', () => {
    const model = modelOf(
      resource('aws_sqs_queue.managed', { sqs_managed_sse_enabled: true }),
      resource('aws_sqs_queue.kms', { kms_master_key_id: 'alias/aws/sqs' }),
    );
    expect(violationsOf('SQS-001', model)).toEqual([]);
  });
});

describe('SQS-002 dead-letter queue', () => {
  it('flags a queue without a redrive policy that nothing sends failures to, saying why', () => {
    const model = modelOf(resource('aws_sqs_queue.work', { name: 'work' }));
    expect(violationsOf('SQS-002', model)).toEqual([
      {
        ruleId: 'SQS-002',
        address: 'aws_sqs_queue.work',
        message: expect.stringMatching(/no redrive_policy, and is not a terminal queue/) as string,
      },
    ]);
  });

  it('exempts the dead-letter queue a jsonencode redrive policy targets', () => {
    const model = modelOf(
      resource('aws_sqs_queue.work', {
        redrive_policy:
          '${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.work_dlq.arn, "maxReceiveCount" = 5})}',
      }),
      resource('aws_sqs_queue.work_dlq', { name: 'work-dlq' }),
    );
    expect(violationsOf('SQS-002', model)).toEqual([]);
  });

  it('exempts the dead-letter queue a plain JSON redrive policy targets', () => {
    const model = modelOf(
      resource('aws_sqs_queue.work', {
        redrive_policy: JSON.stringify({
          deadLetterTargetArn: ref('aws_sqs_queue.dlq', 'arn'),
          maxReceiveCount: 3,
        }),
      }),
      resource('aws_sqs_queue.dlq'),
    );
    expect(violationsOf('SQS-002', model)).toEqual([]);
  });

  it('exempts the on_failure destination of a Lambda async invoke config', () => {
    const model = modelOf(
      resource('aws_sqs_queue.failures', { name: 'failures' }),
      resource('aws_lambda_function_event_invoke_config.async', {
        function_name: ref('aws_lambda_function.fn', 'function_name'),
        destination_config: { on_failure: { destination: ref('aws_sqs_queue.failures', 'arn') } },
      }),
    );
    expect(violationsOf('SQS-002', model)).toEqual([]);
  });

  it('does not exempt a queue whose name only starts like the targeted one', () => {
    const model = modelOf(
      resource('aws_sqs_queue.work', {
        redrive_policy: JSON.stringify({ deadLetterTargetArn: ref('aws_sqs_queue.dlq_2', 'arn') }),
      }),
      resource('aws_sqs_queue.dlq_2'),
      resource('aws_sqs_queue.dlq'),
    );
    expect(violationsOf('SQS-002', model).map((finding) => finding.address)).toEqual([
      'aws_sqs_queue.dlq',
    ]);
  });
});

describe('LAMBDA-001 logs with retention', () => {
  it('flags a function with no log group in the plan', () => {
    const model = modelOf(lambdaFunction('fn', { logging_config: undefined }));
    expect(violationsOf('LAMBDA-001', model)[0]?.message).toMatch(/has no log group in the plan/);
  });

  it('flags a function whose log group keeps logs forever', () => {
    const model = modelOf(lambdaFunction('fn'), logGroup('fn', { retention_in_days: undefined }));
    expect(violationsOf('LAMBDA-001', model)[0]?.message).toMatch(
      /logs to aws_cloudwatch_log_group\.fn, which sets no retention_in_days/,
    );
  });

  it('keeps quiet for a logging_config log group with retention', () => {
    const renamed = logGroup('fn', { name: '/app/custom' });
    expect(violationsOf('LAMBDA-001', modelOf(lambdaFunction('fn'), renamed))).toEqual([]);
  });

  it('keeps quiet for a /aws/lambda/<function_name> log group with retention', () => {
    const model = modelOf(
      lambdaFunction('fn', { logging_config: undefined }),
      logGroup('other', {
        name: '/aws/lambda/app-fn',
      }),
    );
    expect(violationsOf('LAMBDA-001', model)).toEqual([]);
  });
});

describe('LAMBDA-002 explicit timeout', () => {
  it('flags a function without a timeout', () => {
    const model = modelOf(lambdaFunction('fn', { timeout: undefined }));
    expect(violationsOf('LAMBDA-002', model)).toEqual([
      {
        ruleId: 'LAMBDA-002',
        address: 'aws_lambda_function.fn',
        message: 'sets no timeout, so it gets the 3 s default',
      },
    ]);
  });

  it('keeps quiet for a function that sets one', () => {
    expect(violationsOf('LAMBDA-002', modelOf(lambdaFunction('fn')))).toEqual([]);
  });
});

describe('LAMBDA-003 a role of its own', () => {
  it('flags both functions that share a role', () => {
    const shared = ref('aws_iam_role.shared', 'arn');
    const model = modelOf(
      lambdaFunction('a', { role: shared }),
      lambdaFunction('b', { role: shared }),
    );
    expect(violationsOf('LAMBDA-003', model)).toEqual([
      {
        ruleId: 'LAMBDA-003',
        address: 'aws_lambda_function.a',
        message: 'shares role aws_iam_role.shared with aws_lambda_function.b',
      },
      {
        ruleId: 'LAMBDA-003',
        address: 'aws_lambda_function.b',
        message: 'shares role aws_iam_role.shared with aws_lambda_function.a',
      },
    ]);
  });

  it('flags a function sharing its role with a state machine', () => {
    const model = modelOf(
      lambdaFunction('a'),
      resource('aws_sfn_state_machine.sm', { role_arn: ref('aws_iam_role.a', 'arn') }),
    );
    expect(violationsOf('LAMBDA-003', model).map((finding) => finding.address)).toEqual([
      'aws_lambda_function.a',
      'aws_sfn_state_machine.sm',
    ]);
  });

  it('keeps quiet when every function and state machine has its own role', () => {
    const model = modelOf(
      lambdaFunction('a'),
      lambdaFunction('b'),
      resource('aws_sfn_state_machine.sm', { role_arn: ref('aws_iam_role.sm', 'arn') }),
    );
    expect(violationsOf('LAMBDA-003', model)).toEqual([]);
  });
});

describe('API-001 throttling', () => {
  it('flags a stage without method settings', () => {
    expect(violationsOf('API-001', modelOf(stage))).toEqual([
      {
        ruleId: 'API-001',
        address: 'aws_api_gateway_stage.s',
        message: 'has no aws_api_gateway_method_settings',
      },
    ]);
  });

  it('flags method settings that throttle only one method, or with no burst limit', () => {
    const model = modelOf(
      stage,
      methodSettings({ method_path: 'items/GET' }),
      resource('aws_api_gateway_method_settings.unbounded', {
        rest_api_id: ref('aws_api_gateway_rest_api.api', 'id'),
        stage_name: 'dev',
        method_path: '*/*',
        settings: [{ throttling_rate_limit: 25, throttling_burst_limit: -1 }],
      }),
    );
    expect(violationsOf('API-001', model)[0]?.message).toMatch(/set no "\*\/\*" throttling/);
  });

  it('keeps quiet for */* throttling on the stage, by reference or by stage name', () => {
    const byName = methodSettings({
      stage_name: 'dev',
      settings: [{ throttling_rate_limit: 1, throttling_burst_limit: 1 }],
    });
    expect(violationsOf('API-001', modelOf(stage, methodSettings()))).toEqual([]);
    expect(violationsOf('API-001', modelOf(stage, byName))).toEqual([]);
  });
});

describe('API-002 access logs', () => {
  it('flags a stage without access log settings', () => {
    const silent = resource(stage.address, { ...stage.values, access_log_settings: undefined });
    expect(violationsOf('API-002', modelOf(silent)).map((finding) => finding.address)).toEqual([
      'aws_api_gateway_stage.s',
    ]);
  });

  it('keeps quiet for a stage with a destination and a format', () => {
    expect(violationsOf('API-002', modelOf(stage))).toEqual([]);
  });
});

describe('DDB-001 point-in-time recovery', () => {
  it('flags a table without point-in-time recovery', () => {
    const model = modelOf(table({ point_in_time_recovery: { enabled: false } }));
    expect(violationsOf('DDB-001', model).map((finding) => finding.address)).toEqual([
      'aws_dynamodb_table.t',
    ]);
  });

  it('keeps quiet whether the block is written as an object or an array of one', () => {
    expect(violationsOf('DDB-001', modelOf(table()))).toEqual([]);
    expect(
      violationsOf('DDB-001', modelOf(table({ point_in_time_recovery: [{ enabled: true }] }))),
    ).toEqual([]);
  });
});

describe('DDB-002 encryption', () => {
  it('flags a table that does not set server_side_encryption.enabled', () => {
    const model = modelOf(table({ server_side_encryption: undefined }));
    expect(violationsOf('DDB-002', model).map((finding) => finding.address)).toEqual([
      'aws_dynamodb_table.t',
    ]);
  });

  it('keeps quiet for a table that sets it', () => {
    expect(violationsOf('DDB-002', modelOf(table()))).toEqual([]);
  });
});

describe('STATE-001 no stateful resource destroyed or replaced', () => {
  it('flags a replaced table, saying what forces the replacement', () => {
    const model = modelOf(table({}, { action: 'replace', replacedBecause: ['hash_key'] }));
    expect(violationsOf('STATE-001', model)).toEqual([
      {
        ruleId: 'STATE-001',
        address: 'aws_dynamodb_table.t',
        message: 'would be replaced (destroyed, then created empty) because hash_key changes',
      },
    ]);
  });

  it('flags a deleted bucket, queue and topic', () => {
    const model = modelOf(
      resource('aws_s3_bucket.b', {}, { action: 'delete' }),
      resource('aws_sqs_queue.q', {}, { action: 'delete' }),
      resource('aws_sns_topic.t', {}, { action: 'delete' }),
    );
    expect(violationsOf('STATE-001', model).map((finding) => finding.address)).toEqual([
      'aws_s3_bucket.b',
      'aws_sns_topic.t',
      'aws_sqs_queue.q',
    ]);
  });

  it('keeps quiet for updates of stateful resources and deletions of stateless ones', () => {
    const model = modelOf(
      table({}, { action: 'update' }),
      resource('aws_lambda_function.old', {}, { action: 'delete' }),
    );
    expect(violationsOf('STATE-001', model)).toEqual([]);
  });

  it('accepts a replacement the stack code suppresses with a reason', () => {
    const model = modelOf(
      table({}, { action: 'replace', suppressions: { 'STATE-001': 'empty table, renamed' } }),
    );
    expect(evaluateGuardrails(model, [ruleNamed('STATE-001')]).suppressed).toEqual([
      expect.objectContaining({ address: 'aws_dynamodb_table.t', reason: 'empty table, renamed' }),
    ]);
  });

  it('ignores the annotation a deleted resource kept from code that no longer exists', () => {
    const model = modelOf(
      resource('aws_s3_bucket.b', {}, { action: 'delete', suppressions: { 'STATE-001': 'old' } }),
    );
    expect(violationsOf('STATE-001', model).map((finding) => finding.address)).toEqual([
      'aws_s3_bucket.b',
    ]);
  });

  it('accepts a deletion allowed on the command line', () => {
    const model = modelOf(resource('aws_s3_bucket.b', {}, { action: 'delete' }));
    const report = evaluateGuardrails(model, [ruleNamed('STATE-001')], {
      allowDestroy: ['aws_s3_bucket.b'],
    });
    expect(report.violations).toEqual([]);
    expect(report.suppressed).toEqual([
      expect.objectContaining({
        address: 'aws_s3_bucket.b',
        reason: 'allowed on the command line',
      }),
    ]);
  });
});

// ---- suppressions and the state after the change ----

describe('evaluateGuardrails', () => {
  it('moves a finding suppressed with a reason to suppressed, with that reason', () => {
    const model = modelOf(
      lambdaFunction(
        'fn',
        { timeout: undefined },
        { suppressions: { 'LAMBDA-002': 'the default suits this probe' } },
      ),
    );
    const report = evaluateGuardrails(model, [ruleNamed('LAMBDA-002')]);
    expect(report.violations).toEqual([]);
    expect(report.suppressed).toEqual([
      {
        ruleId: 'LAMBDA-002',
        address: 'aws_lambda_function.fn',
        message: 'sets no timeout, so it gets the 3 s default',
        reason: 'the default suits this probe',
      },
    ]);
  });

  it('keeps a finding whose suppression gives no reason a violation, and says so', () => {
    const model = modelOf(
      lambdaFunction('fn', { timeout: undefined }, { suppressions: { 'LAMBDA-002': '  ' } }),
    );
    const report = evaluateGuardrails(model, [ruleNamed('LAMBDA-002')]);
    expect(report.suppressed).toEqual([]);
    expect(report.violations).toEqual([
      expect.objectContaining({
        ruleId: 'LAMBDA-002',
        message: expect.stringMatching(/suppression gives no reason/) as string,
      }),
    ]);
  });

  it('reports a suppression without a reason as a violation even where the rule holds', () => {
    const model = modelOf(lambdaFunction('fn', {}, { suppressions: { 'LAMBDA-002': '' } }));
    expect(evaluateGuardrails(model, [ruleNamed('LAMBDA-002')]).violations).toEqual([
      {
        ruleId: 'LAMBDA-002',
        address: 'aws_lambda_function.fn',
        message: 'suppresses LAMBDA-002 without a reason: say why, or remove the suppression',
      },
    ]);
  });

  it('judges the state after the change: a resource being deleted breaks no rule but STATE-001', () => {
    const model = modelOf(resource('aws_sqs_queue.q', {}, { action: 'delete' }));
    expect(evaluateGuardrails(model).violations.map((finding) => finding.ruleId)).toEqual([
      'STATE-001',
    ]);
  });

  it('formats one plain line per finding: RULE-ID  address  message, then the suppressed', () => {
    const model = modelOf(
      lambdaFunction('a', { timeout: undefined }),
      lambdaFunction('b', { timeout: undefined }, { suppressions: { 'LAMBDA-002': 'probe' } }),
    );
    const report = evaluateGuardrails(model, [ruleNamed('LAMBDA-002')]);
    expect(formatFindings(report).split('\n')).toEqual([
      'LAMBDA-002  aws_lambda_function.a  sets no timeout, so it gets the 3 s default',
      'LAMBDA-002  aws_lambda_function.b  suppressed: probe',
    ]);
  });
});

// ---- the real stack ----

describe('the synthesized stack', () => {
  let stackDirectory: string;
  beforeAll(() => {
    stackDirectory = synthesizeLocalStack();
  });
  afterAll(() => {
    // synthesizeLocalStack returns <outdir>/stacks/<stage>: remove the whole temporary outdir.
    rmSync(join(stackDirectory, '..', '..'), { recursive: true, force: true });
  });

  it('breaks no guardrail; the HTTP-only website bucket suppresses S3-003 with a reason', () => {
    // Given the real stack as synthesized, read as a plan that creates everything
    const config = JSON.parse(
      readFileSync(join(stackDirectory, 'cdk.tf.json'), 'utf8'),
    ) as StackConfig;
    const model = modelFromStackConfig(config);
    const websiteBuckets = model.resources
      .filter((item) => item.type === 'aws_s3_bucket_website_configuration')
      .map((item) =>
        String(item.values.bucket).replace(/^\$\{(aws_s3_bucket\.[\w-]+)\.\w+\}$/, '$1'),
      );

    // When every guardrail is evaluated
    const report = evaluateGuardrails(model);

    // Then nothing is left, and the website bucket's missing TLS deny is suppressed with a reason
    expect(report.violations).toEqual([]);
    expect(report.suppressed).toEqual([
      expect.objectContaining({
        ruleId: 'S3-003',
        address: websiteBuckets[0],
        reason: expect.stringMatching(/HTTP/) as string,
      }),
    ]);
    expect(websiteBuckets).toHaveLength(1);
  });
});
