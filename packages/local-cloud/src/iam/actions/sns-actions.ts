/**
 * SNS's query-protocol actions as IAM sees them: `sns:<Action>` on the topic the request names.
 * Subscription operations are authorized on the subscription's topic (a subscription ARN is its
 * topic's ARN plus `:<id>`); Subscribe carries sns:Protocol and sns:Endpoint.
 */
import type { ActionContext, RequiredAuthorization } from '../access-types';
import { topicArn } from '../../model/arns';

type Params = ReadonlyMap<string, string>;
type Keys = Record<string, string | string[]>;

/** Actions whose IAM action has another name. */
const ACTIONS: Record<string, string> = { PublishBatch: 'Publish' };

const ON_TOPIC_ARN = new Set([
  'PublishBatch',
  'Subscribe',
  'ConfirmSubscription',
  'DeleteTopic',
  'GetTopicAttributes',
  'SetTopicAttributes',
  'ListSubscriptionsByTopic',
  'AddPermission',
  'RemovePermission',
]);

const ON_SUBSCRIPTION_TOPIC = new Set([
  'Unsubscribe',
  'GetSubscriptionAttributes',
  'SetSubscriptionAttributes',
]);

const ON_RESOURCE_ARN = new Set([
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'GetDataProtectionPolicy',
  'PutDataProtectionPolicy',
]);

/** Actions without resource-level permissions. */
const ACCOUNT_WIDE = new Set([
  'ListTopics',
  'ListSubscriptions',
  'ListPlatformApplications',
  'ListPhoneNumbersOptedOut',
  'ListOriginationNumbers',
  'ListSMSSandboxPhoneNumbers',
  'GetSMSAttributes',
  'SetSMSAttributes',
  'GetSMSSandboxAccountStatus',
  'CheckIfPhoneNumberIsOptedOut',
  'OptInPhoneNumber',
]);

/** arn:aws:sns:<region>:<account>:<topic>:<subscription id> → the topic's ARN. */
function topicOfSubscription(arn: string | undefined): string | undefined {
  // A pending subscription's "ARN" is the text `pending confirmation`: no topic to name.
  if (!arn?.startsWith('arn:')) return undefined;
  const parts = arn.split(':');
  return parts.length === 7 ? parts.slice(0, 6).join(':') : undefined;
}

function resourceOf(action: string, params: Params, context: ActionContext): string | undefined {
  if (ACCOUNT_WIDE.has(action)) return '*';
  if (action === 'Publish') {
    // Publishing to a phone number (PhoneNumber) names no resource.
    return params.get('TopicArn') ?? params.get('TargetArn');
  }
  if (action === 'CreateTopic') {
    const name = params.get('Name');
    return name ? topicArn(context, name) : undefined;
  }
  if (ON_TOPIC_ARN.has(action)) return params.get('TopicArn');
  if (ON_SUBSCRIPTION_TOPIC.has(action)) return topicOfSubscription(params.get('SubscriptionArn'));
  if (ON_RESOURCE_ARN.has(action)) return params.get('ResourceArn');
  return undefined;
}

function conditionKeys(action: string, params: Params): Keys {
  if (action !== 'Subscribe') return {};
  const keys: Keys = {};
  const protocol = params.get('Protocol');
  const endpoint = params.get('Endpoint');
  if (protocol !== undefined) keys['sns:Protocol'] = protocol;
  if (endpoint !== undefined) keys['sns:Endpoint'] = endpoint;
  return keys;
}

export function snsAuthorizations(
  action: string,
  params: Params,
  context: ActionContext,
): RequiredAuthorization[] {
  return [
    {
      action: `sns:${ACTIONS[action] ?? action}`,
      resource: resourceOf(action, params, context) || '*',
      conditionKeys: conditionKeys(action, params),
    },
  ];
}
