/**
 * SNS's control plane: topics and subscriptions created, changed and deleted through the query
 * API (CreateTopic, SetTopicAttributes, DeleteTopic, Subscribe, SetSubscriptionAttributes,
 * Unsubscribe, and the tagging actions), written to the resource registry, which the topic
 * service reads on every publish: a subscription made here delivers exactly as a booted one.
 *
 * As SNS does for endpoints in the same account, a subscription to a queue or a function is
 * confirmed at once; http(s) and email ones wait for a confirmation the local cloud never sends.
 */
import { randomUUID } from 'node:crypto';
import type { ResourceRegistry } from '../../model/resource-registry';
import type { SubscriptionSpec, TopicSpec } from '../../stack/topology';
import type { Params } from '../aws-query';
import { element } from '../aws-query';
import { invalidParameter, SnsError, subscriptionNotFound, topicNotFound } from './sns-errors';
import { members } from '../aws-query';
import { stringMap } from './sns-query-protocol';
import { withSubscriptionAttribute } from './sns-subscription-attributes';
import { withTopicAttribute } from './sns-topic-attributes';
import { topicArn } from '../../model/arns';

/** The registry's doors the control plane uses. */
export type SnsResources = Pick<ResourceRegistry, 'list' | 'get' | 'put' | 'remove'>;

export interface SnsControlContext {
  resources: SnsResources;
  accountId: string;
  region: string;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const PROTOCOLS = new Set([
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'sqs',
  'application',
  'lambda',
  'firehose',
]);
/** Endpoints SNS confirms without a confirmation message. */
const CONFIRMED_AT_ONCE = new Set(['sqs', 'lambda', 'firehose', 'application', 'sms']);
const MAX_TAGS = 50;

/** Runs a control-plane action; undefined when the action is not one. */
export function runControlAction(
  action: string,
  params: Params,
  context: SnsControlContext,
): string | undefined {
  switch (action) {
    case 'CreateTopic':
      return element('TopicArn', createTopic(params, context));
    case 'SetTopicAttributes':
      setTopicAttributes(params, context);
      return '';
    case 'DeleteTopic':
      deleteTopic(params, context);
      return '';
    case 'Subscribe':
      return element('SubscriptionArn', subscribe(params, context));
    case 'SetSubscriptionAttributes':
      setSubscriptionAttributes(params, context);
      return '';
    case 'Unsubscribe':
      unsubscribe(params, context);
      return '';
    case 'TagResource':
      tagResource(params, context);
      return '';
    case 'UntagResource':
      untagResource(params, context);
      return '';
    case 'ListTagsForResource':
      return listTags(params, context);
    default:
      return undefined;
  }
}

function required(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') {
    throw invalidParameter(`${name} Reason: no value for required parameter`);
  }
  return value;
}

function tagsOf(params: Params): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const member of members(params, 'Tags')) {
    const key = member.get('Key') ?? '';
    const value = member.get('Value') ?? '';
    if (key in tags) throw invalidParameter('Duplicated keys are not allowed.');
    if (key.length < 1 || key.length > 128 || key.startsWith('aws:')) {
      throw invalidParameter(
        'Tags Reason: Keys must be 1 to 128 characters and not start with aws:',
      );
    }
    if (value.length > 256)
      throw invalidParameter('Tags Reason: Values must be at most 256 characters');
    tags[key] = value;
  }
  return tags;
}

function requireTopic(arn: string, { resources }: SnsControlContext): TopicSpec {
  const topic = resources.get('topics', arn);
  if (!topic) throw topicNotFound();
  return topic;
}

function requireSubscription(arn: string, { resources }: SnsControlContext): SubscriptionSpec {
  const subscription = resources.get('subscriptions', arn);
  if (!subscription) throw subscriptionNotFound();
  return subscription;
}

// ----- topics ------------------------------------------------------------------------------------

function createTopic(params: Params, context: SnsControlContext): string {
  const name = required(params, 'Name');
  const attributes = stringMap(params, 'Attributes');
  const fifo = attributes.some(([key, value]) => key === 'FifoTopic' && value === 'true');
  if (fifo ? !FIFO_TOPIC_NAME.test(name) : !TOPIC_NAME.test(name)) {
    throw invalidParameter(
      fifo || name.endsWith('.fifo')
        ? 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
        : 'Topic Name',
    );
  }
  const arn = topicArn(context, name);
  let topic: TopicSpec = { address: arn, name, arn, fifo };
  for (const [key, value] of attributes) {
    if (key === 'FifoTopic') {
      if (value !== 'true' && value !== 'false') {
        throw invalidParameter(`Attributes Reason: FifoTopic: Invalid value [${value}]`);
      }
      continue;
    }
    topic = withTopicAttribute(topic, key, value, 'Attributes Reason: ');
  }
  const tags = tagsOf(params);
  if (Object.keys(tags).length > MAX_TAGS) throw tagLimitExceeded();

  const existing = context.resources.get('topics', arn);
  if (existing) {
    // CreateTopic is idempotent: the same name and attributes answer the topic there is.
    const asked = attributes
      .filter(([key]) => key !== 'FifoTopic')
      .reduce((spec, [key, value]) => withTopicAttribute(spec, key, value), existing);
    if (JSON.stringify(asked) !== JSON.stringify(existing) || existing.fifo !== fifo) {
      throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
    }
    const differentTag = Object.entries(tags).some(
      ([key, value]) => existing.tags?.[key] !== value,
    );
    if (differentTag) {
      throw invalidParameter('Tags Reason: Topic already exists with different tags');
    }
    return arn;
  }
  context.resources.put('topics', Object.keys(tags).length > 0 ? { ...topic, tags } : topic);
  return arn;
}

function setTopicAttributes(params: Params, context: SnsControlContext): void {
  const topic = requireTopic(required(params, 'TopicArn'), context);
  const name = required(params, 'AttributeName');
  context.resources.put(
    'topics',
    withTopicAttribute(topic, name, params.get('AttributeValue') ?? ''),
  );
}

/** Deleting a topic that is not there is no error; its subscriptions go with it. */
function deleteTopic(params: Params, context: SnsControlContext): void {
  const arn = required(params, 'TopicArn');
  if (!arn.startsWith('arn:')) throw invalidParameter('TopicArn');
  const { resources } = context;
  for (const subscription of resources.list('subscriptions')) {
    if (subscription.topicArn === arn) resources.remove('subscriptions', subscription.arn);
  }
  resources.remove('topics', arn);
}

// ----- subscriptions -----------------------------------------------------------------------------

function checkEndpoint(protocol: string, endpoint: string, topic: TopicSpec): void {
  const arnOf = (service: string): boolean =>
    new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:.+`).test(endpoint);
  if (protocol === 'sqs') {
    if (!arnOf('sqs')) throw invalidParameter('SQS endpoint ARN');
    if (endpoint.endsWith('.fifo') && !topic.fifo) {
      throw invalidParameter(
        'Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
      );
    }
  } else if (protocol === 'lambda') {
    if (!arnOf('lambda')) throw invalidParameter('Lambda endpoint ARN');
  } else if (protocol === 'http' || protocol === 'https') {
    if (!endpoint.startsWith(`${protocol}://`)) {
      throw invalidParameter('Endpoint must match the specified protocol');
    }
  } else if (protocol === 'email' || protocol === 'email-json') {
    if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalidParameter('Email address');
  }
}

function subscribe(params: Params, context: SnsControlContext): string {
  const topic = requireTopic(required(params, 'TopicArn'), context);
  const protocol = required(params, 'Protocol');
  if (!PROTOCOLS.has(protocol)) {
    throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  }
  const endpoint = required(params, 'Endpoint');
  checkEndpoint(protocol, endpoint, topic);
  const attributes = stringMap(params, 'Attributes');
  const existing = context.resources
    .list('subscriptions')
    .find(
      (each) =>
        each.topicArn === topic.arn && each.protocol === protocol && each.endpoint === endpoint,
    );
  // The scope first: the filter policy is checked against it.
  const ordered = [
    ...attributes.filter(([key]) => key === 'FilterPolicyScope'),
    ...attributes.filter(([key]) => key !== 'FilterPolicyScope'),
  ];
  const pendingConfirmation = !CONFIRMED_AT_ONCE.has(protocol);
  const fresh: SubscriptionSpec = {
    address: '',
    arn: `${topic.arn}:${randomUUID()}`,
    topicArn: topic.arn,
    protocol,
    endpoint,
    rawMessageDelivery: false,
    filterPolicyScope: 'MessageAttributes',
    ...(pendingConfirmation ? { pendingConfirmation } : {}),
  };
  const base = existing ?? fresh;
  const subscription = ordered.reduce(
    (spec, [key, value]) => withSubscriptionAttribute(spec, key, value, 'Attributes Reason: '),
    base,
  );
  if (existing) {
    // Subscribing an endpoint again answers the subscription there is, unless it asks for more.
    if (JSON.stringify(subscription) !== JSON.stringify(existing)) {
      throw invalidParameter(
        'Attributes Reason: Subscription already exists with different attributes',
      );
    }
  } else {
    context.resources.put('subscriptions', { ...subscription, address: subscription.arn });
  }
  const returnArn = params.get('ReturnSubscriptionArn') === 'true';
  return subscription.pendingConfirmation && !returnArn ? 'pending confirmation' : subscription.arn;
}

function setSubscriptionAttributes(params: Params, context: SnsControlContext): void {
  const subscription = requireSubscription(required(params, 'SubscriptionArn'), context);
  const name = required(params, 'AttributeName');
  context.resources.put(
    'subscriptions',
    withSubscriptionAttribute(subscription, name, params.get('AttributeValue')),
  );
}

function unsubscribe(params: Params, context: SnsControlContext): void {
  const arn = required(params, 'SubscriptionArn');
  const parts = arn.split(':');
  if (parts.length < 6 || !arn.startsWith('arn:')) {
    throw invalidParameter(
      `SubscriptionArn Reason: An ARN must have at least 6 elements, not ${parts.length}`,
    );
  }
  if (parts.length !== 7) throw invalidParameter('SubscriptionId');
  // Unsubscribing twice is no error.
  context.resources.remove('subscriptions', arn);
}

// ----- tags --------------------------------------------------------------------------------------

const tagLimitExceeded = (): SnsError =>
  new SnsError(
    'TagLimitExceeded',
    'Could not complete request: tag quota of per resource exceeded',
  );

function taggedTopic(params: Params, context: SnsControlContext): TopicSpec {
  const arn = required(params, 'ResourceArn');
  const topic = context.resources.get('topics', arn);
  if (!topic) throw new SnsError('ResourceNotFound', 'Resource does not exist', 404);
  return topic;
}

function tagResource(params: Params, context: SnsControlContext): void {
  const topic = taggedTopic(params, context);
  const tags = { ...topic.tags, ...tagsOf(params) };
  if (Object.keys(tags).length > MAX_TAGS) throw tagLimitExceeded();
  context.resources.put('topics', { ...topic, tags });
}

function untagResource(params: Params, context: SnsControlContext): void {
  const topic = taggedTopic(params, context);
  const tags = { ...topic.tags };
  for (const member of members(params, 'TagKeys')) delete tags[member.get('') ?? ''];
  context.resources.put('topics', { ...topic, tags });
}

function listTags(params: Params, context: SnsControlContext): string {
  const topic = taggedTopic(params, context);
  const listed = Object.entries(topic.tags ?? {}).map(
    ([key, value]) => `<member>${element('Key', key)}${element('Value', value)}</member>`,
  );
  return `<Tags>${listed.join('')}</Tags>`;
}
