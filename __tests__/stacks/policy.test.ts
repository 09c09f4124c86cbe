import { allow, denyInsecureTransport, policyDocument } from '../../stacks/lib/policy';
import type { PolicyStatement } from '../../stacks/lib/policy';
import { dataSourcesOf, synthScope } from '../support/synth';

function documentOf(statements: PolicyStatement[]): string {
  return synthScope((scope) => {
    policyDocument(scope, 'document', statements);
  });
}

function tryDocument(statements: PolicyStatement[]): () => void {
  return () => documentOf(statements);
}

describe('policyDocument', () => {
  it('renders statements as an aws_iam_policy_document with literal action lists', () => {
    // Given an allow statement, when rendered, then actions and resources stay readable lists.
    const synthesized = documentOf([allow(['sns:Publish'], ['arn:aws:sns:us-east-1:1:events'])]);
    expect(dataSourcesOf(synthesized, 'aws_iam_policy_document')[0]?.block.statement).toEqual([
      {
        effect: 'Allow',
        actions: ['sns:Publish'],
        resources: ['arn:aws:sns:us-east-1:1:events'],
      },
    ]);
  });

  it('makes a statement without an effect an Allow', () => {
    const synthesized = documentOf([{ actions: ['sqs:SendMessage'], resources: ['arn:queue'] }]);
    expect(dataSourcesOf(synthesized, 'aws_iam_policy_document')[0]?.block.statement[0]).toEqual(
      expect.objectContaining({ effect: 'Allow' }),
    );
  });

  it('renders sids, principals and conditions', () => {
    const synthesized = documentOf([
      {
        sid: 'AllowTopic',
        actions: ['sqs:SendMessage'],
        resources: ['arn:queue'],
        principals: [{ type: 'Service', identifiers: ['sns.amazonaws.com'] }],
        conditions: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: ['arn:topic'] }],
      },
    ]);
    expect(dataSourcesOf(synthesized, 'aws_iam_policy_document')[0]?.block.statement[0]).toEqual({
      sid: 'AllowTopic',
      effect: 'Allow',
      actions: ['sqs:SendMessage'],
      resources: ['arn:queue'],
      principals: [{ type: 'Service', identifiers: ['sns.amazonaws.com'] }],
      condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: ['arn:topic'] }],
    });
  });

  it('refuses an Allow of a whole service (service:*), naming where and which action', () => {
    // Given `s3:*` in an Allow, when the document is built, then synth fails.
    expect(tryDocument([allow(['s3:GetObject', 's3:*'], ['arn:bucket/*'])])).toThrow(
      'stack/document: action s3:* grants a whole service; list the actions',
    );
  });

  it('refuses an Allow of every action (*)', () => {
    expect(tryDocument([allow(['*'], ['arn:bucket/*'])])).toThrow(
      /action \* grants a whole service/,
    );
  });

  it('refuses a statement without an effect that grants a whole service, since it is an Allow', () => {
    expect(tryDocument([{ actions: ['dynamodb:*'], resources: ['arn:table'] }])).toThrow(
      /action dynamodb:\* grants a whole service/,
    );
  });

  it('refuses an Allow of an action pattern such as s3:Get*, which grants actions nobody listed', () => {
    expect(tryDocument([allow(['s3:Get*'], ['arn:bucket/*'])])).toThrow(
      'stack/document: action s3:Get* matches actions nobody listed; list them',
    );
  });

  it('accepts a whole-service action in a Deny, which only takes permissions away', () => {
    expect(
      tryDocument([denyInsecureTransport('s3:*', ['arn:bucket', 'arn:bucket/*'])]),
    ).not.toThrow();
  });

  it('refuses resource * without a wildcardReason', () => {
    // Given an Allow on every resource with no reason, when built, then synth fails and says why.
    expect(tryDocument([allow(['logs:CreateLogDelivery'], ['*'])])).toThrow(
      'stack/document: resource * needs a wildcardReason saying why nothing narrower works',
    );
  });

  it('accepts resource * when the statement says why nothing narrower works', () => {
    expect(
      tryDocument([
        allow(['logs:CreateLogDelivery'], ['*'], {
          wildcardReason: 'Log delivery APIs support no resource-level permissions',
        }),
      ]),
    ).not.toThrow();
  });

  it('leaves the wildcardReason out of the rendered statement, which IAM would reject', () => {
    const synthesized = documentOf([
      allow(['logs:CreateLogDelivery'], ['*'], { sid: 'Deliver', wildcardReason: 'no ARNs' }),
    ]);
    expect(dataSourcesOf(synthesized, 'aws_iam_policy_document')[0]?.block.statement[0]).toEqual({
      sid: 'Deliver',
      effect: 'Allow',
      actions: ['logs:CreateLogDelivery'],
      resources: ['*'],
    });
  });
});

describe('allow', () => {
  it('builds an Allow statement and keeps extra fields such as the sid', () => {
    expect(allow(['sqs:SendMessage'], ['arn:queue'], { sid: 'Send' })).toEqual({
      effect: 'Allow',
      actions: ['sqs:SendMessage'],
      resources: ['arn:queue'],
      sid: 'Send',
    });
  });
});

describe('denyInsecureTransport', () => {
  it('denies everyone the action on the resources whenever aws:SecureTransport is false', () => {
    expect(denyInsecureTransport('sqs:*', ['arn:queue'])).toEqual({
      sid: 'DenyInsecureTransport',
      effect: 'Deny',
      actions: ['sqs:*'],
      resources: ['arn:queue'],
      principals: [{ type: '*', identifiers: ['*'] }],
      conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    });
  });
});
