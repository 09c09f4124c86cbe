/**
 * A subscription's attributes as SNS keeps them: which ones Subscribe and
 * SetSubscriptionAttributes take, how each is checked (SNS's InvalidParameter wording), and what
 * GetSubscriptionAttributes reads back.
 */
import { isObject } from '../../json';
import type { SubscriptionSpec } from '../../stack/topology';
import { invalidParameter } from './sns-errors';
import { checkFilterPolicy } from './sns-filter-policy-rules';

/** Attributes kept as given; FilterPolicy, its scope and RawMessageDelivery have fields of their own. */
const KEPT = new Set(['DeliveryPolicy', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);

/** The protocols whose deliveries may be the message alone. */
const RAW_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function checkRedrivePolicy(value: string, subscription: SubscriptionSpec, reason: string): void {
  const policy = parseJson(value);
  if (!isObject(policy)) throw invalidParameter(`${reason}RedrivePolicy: failed to parse JSON.`);
  const target = policy.deadLetterTargetArn;
  if (typeof target !== 'string' || target.split(':').length < 6 || !target.startsWith('arn:')) {
    throw invalidParameter(`${reason}RedrivePolicy: deadLetterTargetArn is an invalid arn`);
  }
  if (
    subscription.topicArn.endsWith('.fifo') &&
    subscription.endpoint.endsWith('.fifo') &&
    !(target.startsWith('arn:aws:sqs:') && target.endsWith('.fifo'))
  ) {
    throw invalidParameter(
      `${reason}RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.`,
    );
  }
}

function withFilterPolicy(
  subscription: SubscriptionSpec,
  value: string,
  reason: string,
): SubscriptionSpec {
  const { filterPolicy: _removed, ...rest } = subscription;
  // An empty policy ({}) is how a filter policy is removed.
  if (value === '' || value.trim() === '{}') return rest;
  return {
    ...rest,
    filterPolicy: checkFilterPolicy(value, subscription.filterPolicyScope, reason),
  };
}

const isScope = (value: string): value is SubscriptionSpec['filterPolicyScope'] =>
  value === 'MessageAttributes' || value === 'MessageBody';

function withScope(
  subscription: SubscriptionSpec,
  value: string,
  reason: string,
): SubscriptionSpec {
  if (!isScope(value)) {
    throw invalidParameter(
      `${reason}FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`,
    );
  }
  const changed = { ...subscription, filterPolicyScope: value };
  // A nested policy the new scope cannot hold is refused.
  if (subscription.filterPolicy) {
    checkFilterPolicy(JSON.stringify(subscription.filterPolicy), value, reason);
  }
  return changed;
}

function withRawDelivery(
  subscription: SubscriptionSpec,
  value: string,
  reason: string,
): SubscriptionSpec {
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false') {
    throw invalidParameter(
      `${reason}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`,
    );
  }
  if (lower === 'true' && !RAW_PROTOCOLS.has(subscription.protocol)) {
    throw invalidParameter(
      `${reason}Delivery protocol [${subscription.protocol}] does not support raw message delivery.`,
    );
  }
  return { ...subscription, rawMessageDelivery: lower === 'true' };
}

/**
 * The subscription with one attribute set. `reason` is put before the attribute's name in a
 * refusal (`Attributes Reason: ` in a Subscribe). An absent value unsets a kept attribute.
 */
export function withSubscriptionAttribute(
  subscription: SubscriptionSpec,
  name: string,
  value: string | undefined,
  reason = '',
): SubscriptionSpec {
  switch (name) {
    case 'FilterPolicy':
      return withFilterPolicy(subscription, value ?? '', reason);
    case 'FilterPolicyScope':
      return withScope(subscription, value ?? '', reason);
    case 'RawMessageDelivery':
      return withRawDelivery(subscription, value ?? '', reason);
    default:
      break;
  }
  if (!KEPT.has(name)) throw invalidParameter(`${reason}AttributeName`);
  const attributes = { ...subscription.attributes };
  if (value === undefined || value === '') {
    delete attributes[name];
    return { ...subscription, attributes };
  }
  if (name === 'RedrivePolicy') checkRedrivePolicy(value, subscription, reason);
  else if (name !== 'SubscriptionRoleArn' && !isObject(parseJson(value))) {
    throw invalidParameter(`${reason}${name}: failed to parse JSON.`);
  }
  return { ...subscription, attributes: { ...attributes, [name]: value } };
}

/** GetSubscriptionAttributes. */
export function subscriptionAttributes(
  subscription: SubscriptionSpec,
  accountId: string,
): Record<string, string> {
  const pending = subscription.pendingConfirmation === true;
  return {
    Owner: accountId,
    RawMessageDelivery: String(subscription.rawMessageDelivery),
    TopicArn: subscription.topicArn,
    Endpoint: subscription.endpoint,
    Protocol: subscription.protocol,
    PendingConfirmation: String(pending),
    ConfirmationWasAuthenticated: String(!pending),
    SubscriptionArn: subscription.arn,
    SubscriptionPrincipal: `arn:aws:iam::${accountId}:root`,
    ...(subscription.filterPolicy
      ? {
          FilterPolicy: JSON.stringify(subscription.filterPolicy),
          FilterPolicyScope: subscription.filterPolicyScope,
        }
      : {}),
    ...subscription.attributes,
  };
}
