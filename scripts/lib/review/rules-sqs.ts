/** SQS guardrails: encrypted queues, and a dead-letter queue behind every queue that is not one. */
import type { GuardrailRule } from './guardrail-rule';
import type { PlanModel, PlannedResource } from './plan-model';
import { blocks, remainingOfType, isReferenceTo, isTrue, mentions, text } from './rules-values';

function queues(model: PlanModel): PlannedResource[] {
  return remainingOfType(model, 'aws_sqs_queue');
}

export const queueEncrypted: GuardrailRule = {
  id: 'SQS-001',
  title: 'Queues encrypted at rest',
  rationale:
    'Messages carry application data; an unencrypted queue stores it in clear on AWS disks.',
  fix: 'Set sqs_managed_sse_enabled = true, or kms_master_key_id to a KMS key.',
  check: (model) =>
    queues(model)
      .filter(
        (queue) =>
          !isTrue(queue.values.sqs_managed_sse_enabled) &&
          text(queue.values.kms_master_key_id) === undefined,
      )
      .map((queue) => ({
        ruleId: 'SQS-001',
        address: queue.address,
        message: 'sets neither sqs_managed_sse_enabled = true nor a kms_master_key_id',
      })),
};

/** Redrive policies of `queue`: its own attribute, or an aws_sqs_queue_redrive_policy on it. */
function redrivePolicies(model: PlanModel, queue: PlannedResource): unknown[] {
  const separate = remainingOfType(model, 'aws_sqs_queue_redrive_policy').filter((policy) =>
    isReferenceTo(policy.values.queue_url, queue, ['url', 'id']),
  );
  return [queue.values.redrive_policy, ...separate.map((policy) => policy.values.redrive_policy)];
}

/** What sends failures to `queue`, which makes it a terminal (dead-letter) queue. */
function failureSources(model: PlanModel, queue: PlannedResource): PlannedResource[] {
  const arn = (value: unknown): boolean => mentions(value, queue, ['arn']);
  const redriving = remainingOfType(model, 'aws_sqs_queue')
    .filter((other) => other !== queue)
    .filter((other) => redrivePolicies(model, other).some(arn));
  const subscriptions = remainingOfType(model, 'aws_sns_topic_subscription').filter(
    (subscription) => arn(subscription.values.redrive_policy),
  );
  const asyncInvocations = remainingOfType(model, 'aws_lambda_function_event_invoke_config').filter(
    (config) =>
      blocks(config.values.destination_config).some((destinations) =>
        blocks(destinations.on_failure).some((onFailure) => arn(onFailure.destination)),
      ),
  );
  const functions = remainingOfType(model, 'aws_lambda_function').filter((fn) =>
    blocks(fn.values.dead_letter_config).some((config) => arn(config.target_arn)),
  );
  return [...redriving, ...subscriptions, ...asyncInvocations, ...functions];
}

export const deadLetterQueue: GuardrailRule = {
  id: 'SQS-002',
  title: 'Every queue has a dead-letter queue, unless it is one',
  rationale:
    'Without a redrive policy a message that keeps failing is retried until it expires, blocking work and then vanishing.',
  fix: 'Give the queue a redrive_policy to a dead-letter queue (deadLetterTargetArn, maxReceiveCount).',
  check: (model) =>
    queues(model)
      .filter(
        (queue) => !redrivePolicies(model, queue).some((policy) => text(policy) !== undefined),
      )
      .filter((queue) => failureSources(model, queue).length === 0)
      .map((queue) => ({
        ruleId: 'SQS-002',
        address: queue.address,
        message:
          'has no redrive_policy, and is not a terminal queue: no queue redrives to it and no Lambda sends its failures to it (on_failure destination)',
      })),
};
