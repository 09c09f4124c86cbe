/** SQS queues (with their policy and redrive resources), SNS topics and subscriptions. */
import type { QueueSpec, SubscriptionSpec, TopicSpec } from './topology';
import type { StackModel } from './stack-model';
import type { Accounting } from './accounting';
import { readBlock } from './block-reader';
import type { BlockReader } from './block-reader';
import { optionalNumber, requiredString } from './json-values';
import type { JsonObject } from '../json';

function matching(
  model: StackModel,
  type: string,
  argument: string,
  value: string,
  accounting: Accounting,
): BlockReader[] {
  return model
    .resources(type)
    .map((block) => readBlock(model, block))
    .filter((read) => read.string(argument) === value)
    .map((read) => {
      accounting.consumed(read.address);
      return read;
    });
}

function redrive(policy: JsonObject | undefined, what: string): QueueSpec['redrive'] {
  if (!policy) return undefined;
  return {
    deadLetterTargetArn: requiredString(policy.deadLetterTargetArn, `${what}.deadLetterTargetArn`),
    maxReceiveCount: optionalNumber(policy.maxReceiveCount, `${what}.maxReceiveCount`) ?? 10,
  };
}

export function queueSpecs(model: StackModel, accounting: Accounting): QueueSpec[] {
  return model.resources('aws_sqs_queue').map((block) => {
    const read = readBlock(model, block);
    const url = read.attributeString('url');
    const spec: QueueSpec = {
      address: block.address,
      name: read.attributeString('name'),
      arn: read.attributeString('arn'),
      url,
      fifo: read.boolean('fifo_queue', false),
      visibilityTimeoutSeconds: read.number('visibility_timeout_seconds', 30),
      messageRetentionSeconds: read.number('message_retention_seconds', 345600),
      delaySeconds: read.number('delay_seconds', 0),
      receiveWaitTimeSeconds: read.number('receive_wait_time_seconds', 0),
      maxMessageSize: read.number('max_message_size', 262144),
    };
    const redrives = [
      redrive(read.json('redrive_policy'), `${block.address}.redrive_policy`),
      ...matching(model, 'aws_sqs_queue_redrive_policy', 'queue_url', url, accounting).map((part) =>
        redrive(part.json('redrive_policy'), `${part.address}.redrive_policy`),
      ),
    ];
    const policies = [
      read.json('policy'),
      ...matching(model, 'aws_sqs_queue_policy', 'queue_url', url, accounting).map((part) =>
        part.json('policy'),
      ),
    ];
    const foundRedrive = redrives.findLast((item) => item !== undefined);
    if (foundRedrive) spec.redrive = foundRedrive;
    const policy = policies.findLast((item) => item !== undefined);
    if (policy) spec.policy = policy;
    return spec;
  });
}

export function topicSpecs(model: StackModel, accounting: Accounting): TopicSpec[] {
  return model.resources('aws_sns_topic').map((block) => {
    const read = readBlock(model, block);
    const arn = read.attributeString('arn');
    const spec: TopicSpec = {
      address: block.address,
      name: read.attributeString('name'),
      arn,
      fifo: read.boolean('fifo_topic', false),
    };
    if (spec.fifo) {
      const contentBased = read.boolean('content_based_deduplication', false);
      spec.attributes = { ContentBasedDeduplication: String(contentBased) };
    }
    const policy = [
      read.json('policy'),
      ...matching(model, 'aws_sns_topic_policy', 'arn', arn, accounting).map((part) =>
        part.json('policy'),
      ),
    ].findLast((item) => item !== undefined);
    if (policy) spec.policy = policy;
    return spec;
  });
}

export function subscriptionSpecs(model: StackModel): SubscriptionSpec[] {
  return model.resources('aws_sns_topic_subscription').map((block) => {
    const read = readBlock(model, block);
    const scope = read.optionalString('filter_policy_scope') ?? 'MessageAttributes';
    if (scope !== 'MessageAttributes' && scope !== 'MessageBody') {
      throw new Error(
        `${block.address}.filter_policy_scope must be MessageAttributes or MessageBody`,
      );
    }
    const spec: SubscriptionSpec = {
      address: block.address,
      arn: read.attributeString('arn'),
      topicArn: read.string('topic_arn'),
      protocol: read.string('protocol'),
      endpoint: read.string('endpoint'),
      rawMessageDelivery: read.boolean('raw_message_delivery', false),
      filterPolicyScope: scope,
    };
    const filterPolicy = read.json('filter_policy');
    if (filterPolicy) spec.filterPolicy = filterPolicy;
    return spec;
  });
}
