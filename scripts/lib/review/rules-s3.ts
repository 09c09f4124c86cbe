/**
 * S3 guardrails. A bucket's settings live in resources of their own (public access block,
 * encryption, policy, website), each naming its bucket by `${aws_s3_bucket.x.id}` (or `.bucket`,
 * or the same literal name): a rule finds a bucket's settings by that link.
 */
import type { GuardrailRule } from './guardrail-rule';
import type { PlanModel, PlannedResource } from './plan-model';
import { statementsOfPolicy } from './rules-policies';
import type { PolicyStatement } from './rules-policies';
import { blocks, identifies, isTrue, remainingOfType, text } from './rules-values';

function buckets(model: PlanModel): PlannedResource[] {
  return remainingOfType(model, 'aws_s3_bucket');
}

/** The bucket's remaining resources of `type`, matched by their `bucket` attribute. */
export function bucketSettings(
  model: PlanModel,
  bucket: PlannedResource,
  type: string,
): PlannedResource[] {
  return remainingOfType(model, type).filter((resource) =>
    identifies(resource.values.bucket, bucket, ['id', 'bucket'], 'bucket'),
  );
}

export function isWebsiteBucket(model: PlanModel, bucket: PlannedResource): boolean {
  return (
    bucketSettings(model, bucket, 'aws_s3_bucket_website_configuration').length > 0 ||
    blocks(bucket.values.website).length > 0
  );
}

const PUBLIC_ACCESS_SETTINGS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

export const publicAccessBlocked: GuardrailRule = {
  id: 'S3-001',
  title: 'Public access blocked on every bucket but the website',
  rationale:
    'Without all four public access block settings, one ACL or policy edit can expose the bucket to the internet.',
  fix: 'Add an aws_s3_bucket_public_access_block for the bucket with all four settings true.',
  check: (model) =>
    buckets(model)
      .filter((bucket) => !isWebsiteBucket(model, bucket))
      .flatMap((bucket) => {
        const accessBlocks = bucketSettings(model, bucket, 'aws_s3_bucket_public_access_block');
        if (accessBlocks.length === 0) {
          return [
            {
              ruleId: 'S3-001',
              address: bucket.address,
              message: 'has no aws_s3_bucket_public_access_block',
            },
          ];
        }
        const complete = accessBlocks.find((accessBlock) =>
          PUBLIC_ACCESS_SETTINGS.every((setting) => isTrue(accessBlock.values[setting])),
        );
        if (complete) return [];
        return accessBlocks.map((accessBlock) => ({
          ruleId: 'S3-001',
          address: bucket.address,
          message: `${accessBlock.address} leaves ${PUBLIC_ACCESS_SETTINGS.filter(
            (setting) => !isTrue(accessBlock.values[setting]),
          ).join(', ')} not true`,
        }));
      }),
};

function encryptsByDefault(rules: unknown): boolean {
  return blocks(rules).some((rule) =>
    blocks(rule.apply_server_side_encryption_by_default).some(
      (defaults) => text(defaults.sse_algorithm) !== undefined,
    ),
  );
}

export const encryptedAtRest: GuardrailRule = {
  id: 'S3-002',
  title: 'Buckets encrypted at rest',
  rationale:
    'An explicit default encryption makes the at-rest protection (and its key) part of the reviewed code.',
  fix: 'Add an aws_s3_bucket_server_side_encryption_configuration for the bucket with an sse_algorithm.',
  check: (model) =>
    buckets(model)
      .filter((bucket) => {
        const configurations = bucketSettings(
          model,
          bucket,
          'aws_s3_bucket_server_side_encryption_configuration',
        );
        const legacy = blocks(bucket.values.server_side_encryption_configuration);
        return ![
          ...configurations.map((configuration) => configuration.values.rule),
          ...legacy.map((configuration) => configuration.rule),
        ].some(encryptsByDefault);
      })
      .map((bucket) => ({
        ruleId: 'S3-002',
        address: bucket.address,
        message: 'has no server-side encryption configuration with an sse_algorithm',
      })),
};

/** A Deny whenever the request did not use TLS. */
function deniesInsecureTransport(statement: PolicyStatement): boolean {
  return (
    statement.effect === 'Deny' &&
    statement.conditions.some(
      (condition) =>
        ['bool', 'boolifexists'].includes(condition.test.toLowerCase()) &&
        condition.variable.toLowerCase() === 'aws:securetransport' &&
        condition.values.some((value) => value.toLowerCase() === 'false'),
    )
  );
}

function tlsOnlyFinding(model: PlanModel, bucket: PlannedResource): string | undefined {
  const policies = bucketSettings(model, bucket, 'aws_s3_bucket_policy');
  if (policies.length === 0)
    return 'has no aws_s3_bucket_policy, so plain HTTP requests are allowed';
  const reasons = policies.map((policy) => {
    const read = statementsOfPolicy(model, policy.values.policy);
    if (!read)
      return `the policy of ${policy.address} is neither literal JSON nor a policy document, so it cannot be checked`;
    if (read.statements.some(deniesInsecureTransport)) return undefined;
    const where = read.document
      ? `${read.document.address} (the policy of ${policy.address})`
      : policy.address;
    return `${where} has no Deny on aws:SecureTransport false, so plain HTTP requests are allowed`;
  });
  return reasons.includes(undefined) ? undefined : reasons.join('; ');
}

export const tlsOnly: GuardrailRule = {
  id: 'S3-003',
  title: 'Buckets refuse plain HTTP',
  rationale:
    'Without a Deny on aws:SecureTransport false, objects can be read and written in clear text on the wire.',
  fix: 'Give the bucket a policy with a Deny of s3:* on the bucket and its objects when aws:SecureTransport is false.',
  check: (model) =>
    buckets(model).flatMap((bucket) => {
      const message = tlsOnlyFinding(model, bucket);
      return message === undefined ? [] : [{ ruleId: 'S3-003', address: bucket.address, message }];
    }),
};
