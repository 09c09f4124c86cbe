/**
 * A topic's attributes as SNS keeps them: which ones CreateTopic and SetTopicAttributes take, how
 * each is checked (SNS's InvalidParameter wording), and what GetTopicAttributes reads back, the
 * computed ones included (Owner, the subscription counts, the default access policy SNS writes
 * when none is set, EffectiveDeliveryPolicy).
 */
import type { JsonObject } from '../../json';
import { isObject } from '../../json';
import type { TopicSpec } from '../../stack/topology';
import { invalidParameter } from './sns-errors';

const FEEDBACK_PROTOCOLS = ['Application', 'HTTP', 'Lambda', 'SQS', 'Firehose'];

/** Attributes kept as given (the policy is kept parsed, FifoTopic only at creation). */
const KEPT = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'ContentBasedDeduplication',
  'FifoThroughputScope',
  'ArchivePolicy',
  ...FEEDBACK_PROTOCOLS.flatMap((protocol) => [
    `${protocol}SuccessFeedbackRoleArn`,
    `${protocol}FailureFeedbackRoleArn`,
    `${protocol}SuccessFeedbackSampleRate`,
  ]),
]);

const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'FifoThroughputScope', 'ArchivePolicy']);

/** What SNS writes when a topic is given no policy: the account may do anything with it. */
export function defaultTopicPolicy(topicArn: string, accountId: string): JsonObject {
  return {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  };
}

const DEFAULT_EFFECTIVE_DELIVERY_POLICY = {
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
};

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function checkValue(topic: TopicSpec, name: string, value: string, reason: string): void {
  const invalid = (detail: string): Error => invalidParameter(`${reason}${name}${detail}`);
  if (FIFO_ONLY.has(name) && !topic.fifo) {
    throw invalid(`: ${name} can only be set for FIFO topics`);
  }
  switch (name) {
    case 'DeliveryPolicy':
    case 'ArchivePolicy':
      if (value !== '' && !isObject(parseJson(value))) throw invalid(': failed to parse JSON.');
      return;
    case 'ContentBasedDeduplication':
      if (value !== 'true' && value !== 'false') throw invalid(`: Invalid value [${value}]`);
      return;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw invalid(`: Invalid value [${value}]`);
      return;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active')
        throw invalid(`: Invalid value [${value}]`);
      return;
    case 'FifoThroughputScope':
      if (value !== 'Topic' && value !== 'MessageGroup')
        throw invalid(`: Invalid value [${value}]`);
      return;
    default:
      if (name.endsWith('SampleRate') && !/^(100|[1-9]?\d)$/.test(value)) {
        throw invalid(`: Invalid value [${value}]`);
      }
  }
}

/**
 * The topic with one attribute set (SetTopicAttributes, or one of CreateTopic's). `reason` is put
 * before the attribute's name in a refusal (`Attributes Reason: ` in a CreateTopic).
 */
export function withTopicAttribute(
  topic: TopicSpec,
  name: string,
  value: string,
  reason = '',
): TopicSpec {
  if (name === 'Policy') {
    if (value === '') return withoutPolicy(topic);
    const policy = parseJson(value);
    if (!isObject(policy)) throw invalidParameter(`${reason}Policy Error: null`);
    return { ...topic, policy };
  }
  if (!KEPT.has(name)) throw invalidParameter(`${reason}AttributeName`);
  checkValue(topic, name, value, reason);
  const attributes = { ...topic.attributes };
  // An empty value unsets what has no default (a delivery policy, a display name…).
  if (value === '' && name !== 'DisplayName') delete attributes[name];
  else attributes[name] = value;
  return { ...topic, attributes };
}

function withoutPolicy(topic: TopicSpec): TopicSpec {
  const { policy: _removed, ...rest } = topic;
  return rest;
}

/** GetTopicAttributes: what was set, and what SNS computes. */
export function topicAttributes(
  topic: TopicSpec,
  accountId: string,
  subscriptions: { confirmed: number; pending: number },
): Record<string, string> {
  const set = topic.attributes ?? {};
  const delivery = set.DeliveryPolicy ? parseJson(set.DeliveryPolicy) : undefined;
  return {
    Policy: JSON.stringify(topic.policy ?? defaultTopicPolicy(topic.arn, accountId)),
    Owner: accountId,
    SubscriptionsPending: String(subscriptions.pending),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: JSON.stringify({
      ...DEFAULT_EFFECTIVE_DELIVERY_POLICY,
      ...(isObject(delivery) ? delivery : {}),
    }),
    SubscriptionsConfirmed: String(subscriptions.confirmed),
    DisplayName: '',
    SubscriptionsDeleted: '0',
    ...(topic.fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : {}),
    ...set,
  };
}
