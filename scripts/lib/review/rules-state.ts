/**
 * The destroy guardrail: unlike the others it reads the change itself, since losing a table or a
 * bucket is what the change does, not what the result looks like.
 */
import type { GuardrailRule } from './guardrail-rule';

/** Resources that hold data (or, for a topic, its subscriptions) a re-creation does not bring back. */
export const STATEFUL_TYPES = [
  'aws_dynamodb_table',
  'aws_s3_bucket',
  'aws_sqs_queue',
  'aws_sns_topic',
];

export const noStatefulDestroy: GuardrailRule = {
  id: 'STATE-001',
  title: 'No stateful resource destroyed or replaced without an explicit allow',
  rationale:
    'Destroying or replacing a table, bucket, queue or topic loses its data (or subscriptions) for good.',
  fix: 'Change the code so the resource is updated in place; if the loss is intended, suppress STATE-001 on it with a reason (or pass its address to allowDestroy for a removal).',
  check: (model) =>
    model.resources
      .filter((resource) => resource.mode === 'managed' && STATEFUL_TYPES.includes(resource.type))
      .filter((resource) => resource.action === 'delete' || resource.action === 'replace')
      .map((resource) => ({
        ruleId: 'STATE-001',
        address: resource.address,
        message:
          resource.action === 'delete'
            ? 'would be destroyed with everything it holds (it is gone from the code)'
            : `would be replaced (destroyed, then created empty)${
                resource.replacedBecause.length > 0
                  ? ` because ${resource.replacedBecause.join(', ')} changes`
                  : ''
              }`,
      })),
};
