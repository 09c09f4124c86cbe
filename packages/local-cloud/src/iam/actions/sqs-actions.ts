/**
 * SQS operations as IAM sees them: each needs `sqs:<Operation>` on the queue its QueueUrl names
 * (the batch operations need the single-message action), the queue's ARN being
 * `arn:aws:sqs:<region>:<account in the URL>:<name>`. SQS has no service-specific condition keys.
 */
import type { ActionContext, RequiredAuthorization } from '../access-types';

type Input = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Operations whose IAM action has another name. */
const ACTIONS: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

const ACCOUNT_WIDE = new Set(['ListQueues']);

/** The operations this module knows the resource of; another one needs its action on `*`. */
const OPERATIONS = new Set([
  'AddPermission',
  'CancelMessageMoveTask',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'CreateQueue',
  'DeleteMessage',
  'DeleteMessageBatch',
  'DeleteQueue',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'ListMessageMoveTasks',
  'ListQueueTags',
  'ListQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'RemovePermission',
  'SendMessage',
  'SendMessageBatch',
  'SetQueueAttributes',
  'StartMessageMoveTask',
  'TagQueue',
  'UntagQueue',
]);

/** The region an AWS queue URL's host names: sqs.<region>.amazonaws.com, <region>.queue.amazonaws.com. */
function regionOfHost(host: string): string | undefined {
  const region = String.raw`([a-z]{2}(?:-[a-z]+)+-\d+)`;
  return (
    new RegExp(`^sqs\\.${region}\\.`).exec(host)?.[1] ??
    new RegExp(`^${region}\\.queue\\.amazonaws\\.com`).exec(host)?.[1]
  );
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const queueArn = (region: string, account: string, name: string): string =>
  `arn:aws:sqs:${region}:${account}:${name}`;

/**
 * The ARN of the queue a QueueUrl names. The local queues also answer to a bare name or an ARN
 * in its place, so those are read too.
 */
function arnOfQueueRef(ref: string, context: ActionContext): string | undefined {
  if (ref.startsWith('arn:')) return ref;
  if (!/^https?:\/\//i.test(ref)) return queueArn(context.region, context.accountId, ref);
  let url: URL;
  try {
    url = new URL(ref);
  } catch {
    return undefined;
  }
  const segments = url.pathname.split('/').filter(Boolean).map(decode);
  const name = segments[segments.length - 1];
  if (!name || segments.length > 2) return undefined;
  const account = segments.length === 2 ? (segments[0] ?? '') : context.accountId;
  return queueArn(regionOfHost(url.hostname) ?? context.region, account, name);
}

/**
 * A message-move task handle: AWS's is base64 JSON naming the source queue's ARN; anything else
 * leaves the queue unknown.
 */
function sourceOfTaskHandle(handle: string): string | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(handle, 'base64').toString('utf8'));
    if (typeof decoded !== 'object' || decoded === null) return undefined;
    const source = (decoded as Record<string, unknown>).sourceArn;
    return typeof source === 'string' && source.startsWith('arn:') ? source : undefined;
  } catch {
    return undefined;
  }
}

function resourceOf(operation: string, input: Input, context: ActionContext): string | undefined {
  if (ACCOUNT_WIDE.has(operation) || !OPERATIONS.has(operation)) return '*';
  switch (operation) {
    case 'GetQueueUrl':
    case 'CreateQueue': {
      const name = text(input.QueueName);
      const account = text(input.QueueOwnerAWSAccountId) ?? context.accountId;
      return name ? queueArn(context.region, account, name) : undefined;
    }
    case 'StartMessageMoveTask':
    case 'ListMessageMoveTasks':
      return text(input.SourceArn);
    case 'CancelMessageMoveTask': {
      const handle = text(input.TaskHandle);
      return handle ? sourceOfTaskHandle(handle) : undefined;
    }
    default: {
      const url = text(input.QueueUrl);
      return url ? arnOfQueueRef(url, context) : undefined;
    }
  }
}

export function sqsAuthorizations(
  operation: string,
  input: Input | undefined,
  context: ActionContext,
): RequiredAuthorization[] {
  const action = `sqs:${ACTIONS[operation] ?? operation}`;
  // An unreadable body: SQS rejects it; it still needs the operation's permission.
  const resource = input ? (resourceOf(operation, input, context) ?? '*') : '*';
  return [{ action, resource, conditionKeys: {} }];
}
