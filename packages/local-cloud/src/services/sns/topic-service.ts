/**
 * The local SNS: the stack's topics and subscriptions, reached by SDK clients through the query
 * protocol and by the rest of the local cloud in process. A publish is delivered at once to
 * every subscription whose filter policy matches: to SQS through QueueService (the JSON envelope,
 * or the message itself with raw delivery), to Lambda through `invokeFunction` with the event
 * AWS sends. A delivery its subscriber refuses is logged, never thrown at the publisher (SNS has
 * already accepted the message); one a queue could not make durable fails the publish. Topics
 * and subscriptions are read from the resource registry on every publish: the stack's, and those
 * the control plane (sns-control-plane.ts) created.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { LocalLog } from '../../log';
import type { SubscriptionSpec, TopicSpec } from '../../stack/topology';
import type { SnsResources } from './sns-control-plane';
import { runControlAction } from './sns-control-plane';
import { subscriptionAttributes } from './sns-subscription-attributes';
import { topicAttributes } from './sns-topic-attributes';
import type { AwsRequest, AwsResponse, EdgeService } from '../edge/types';
import { buffered } from '../edge/edge-service';
import { page } from '../pagination';
import type { QueueService } from '../sqs/queue-service';
import {
  invalidAction,
  invalidParameter,
  SnsError,
  subscriptionNotFound,
  topicNotFound,
} from './sns-errors';
import { matchesFilterPolicy } from './sns-filter-policy';
import { SqsError } from '../sqs/sqs-errors';
import { lambdaEvent, rawDeliveryAttributes, sqsEnvelope } from './sns-notification';
import { MAX_MESSAGE_BYTES, publishSize, validatePublish } from './sns-publish-validation';
import type { Params } from '../aws-query';
import { element, members } from '../aws-query';
import { queryAnswer } from '../query-answer';
import type { Notification, PublishOptions } from './types';
import { attributeMap, messageAttributes, SNS_XMLNS } from './sns-query-protocol';

export interface TopicServiceOptions {
  /** Where the topics and subscriptions are (the registry), read on every request. */
  resources: SnsResources;
  queues: QueueService;
  /** for protocol 'lambda' subscriptions */
  invokeFunction?: (functionArn: string, event: unknown) => void;
  /**
   * Whether the endpoint's policy lets the topic deliver (IAM); a refused delivery fails, as
   * SNS's does, and the message is not delivered to that subscription. Everything by default.
   */
  mayDeliver?: (subscription: SubscriptionSpec) => boolean;
  accountId: string;
  region: string;
  endpoint: string;
  log: LocalLog;
}

/** The SenderId of the messages SNS delivers to SQS on AWS. */
const SNS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';
/** ListTopics and ListSubscriptions answer 100 at a time, as SNS does. */
const PAGE_SIZE = 100;
const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

interface Accepted {
  messageId: string;
  sequenceNumber?: string;
}

export class TopicService implements EdgeService {
  readonly signingName = 'sns';
  readonly handle: EdgeService['handle'];
  private readonly deduplication = new Map<string, Map<string, Accepted & { expiresAt: number }>>();
  private sequence = 0;

  constructor(private readonly options: TopicServiceOptions) {
    this.handle = buffered(this, (request) => Promise.resolve(this.answer(request)));
  }

  publish(
    topicArn: string,
    options: PublishOptions,
  ): { messageId: string; sequenceNumber?: string } {
    const topic = this.options.resources.get('topics', topicArn);
    if (!topic) throw topicNotFound();
    const structure = validatePublish(topic, options);

    let deduplicationId: string | undefined;
    if (topic.fifo) {
      // The stack's topics do not say whether content-based deduplication is on; assuming it is
      // accepts every publish a correctly configured topic would.
      deduplicationId =
        options.messageDeduplicationId ??
        createHash('sha256').update(options.message).digest('hex');
      const seen =
        this.deduplication.get(topic.arn) ?? new Map<string, Accepted & { expiresAt: number }>();
      this.deduplication.set(topic.arn, seen);
      const now = Date.now();
      for (const [id, entry] of seen) if (entry.expiresAt <= now) seen.delete(id);
      const duplicate = seen.get(deduplicationId);
      if (duplicate)
        return { messageId: duplicate.messageId, sequenceNumber: duplicate.sequenceNumber };
    }

    const accepted: Accepted = { messageId: randomUUID() };
    if (topic.fifo && deduplicationId) {
      accepted.sequenceNumber = String(++this.sequence).padStart(20, '0');
      this.deduplication
        .get(topic.arn)
        ?.set(deduplicationId, { ...accepted, expiresAt: Date.now() + DEDUPLICATION_WINDOW_MS });
    }
    const timestamp = new Date().toISOString();
    const subscriptions = this.subscriptionsOf(topic.arn).filter(
      (subscription) => subscription.pendingConfirmation !== true,
    );
    this.options.log.write(
      'debug',
      'sns',
      `publish ${accepted.messageId} to ${topic.name} (${subscriptions.length} subscriptions)`,
    );
    for (const subscription of subscriptions) {
      const message = structure
        ? (structure[subscription.protocol] ?? structure.default ?? options.message)
        : options.message;
      this.deliver(
        subscription,
        topic,
        {
          messageId: accepted.messageId,
          topicArn: topic.arn,
          subject: options.subject,
          message,
          timestamp,
          messageAttributes: options.messageAttributes ?? {},
          sequenceNumber: accepted.sequenceNumber,
          subscriptionArn: subscription.arn,
          endpoint: this.options.endpoint,
        },
        options,
        deduplicationId,
      );
    }
    return accepted;
  }

  private deliver(
    subscription: SubscriptionSpec,
    topic: TopicSpec,
    notification: Notification,
    options: PublishOptions,
    deduplicationId: string | undefined,
  ): void {
    const { log } = this.options;
    if (
      subscription.filterPolicy &&
      !matchesFilterPolicy(subscription.filterPolicy, subscription.filterPolicyScope, {
        body: notification.message,
        attributes: notification.messageAttributes,
      })
    ) {
      log.write(
        'debug',
        'sns',
        `message ${notification.messageId} filtered out for ${subscription.arn}`,
      );
      return;
    }
    if (this.options.mayDeliver && !this.options.mayDeliver(subscription)) {
      log.write(
        'warn',
        'sns',
        `message ${notification.messageId} not delivered to ${subscription.endpoint}: its policy does not let sns.amazonaws.com deliver from ${topic.name}`,
      );
      return;
    }
    try {
      switch (subscription.protocol) {
        case 'sqs': {
          const fifoQueue = this.options.queues.queue(subscription.endpoint)?.fifo === true;
          this.options.queues.send(subscription.endpoint, {
            body: subscription.rawMessageDelivery
              ? notification.message
              : sqsEnvelope(notification),
            messageAttributes: subscription.rawMessageDelivery
              ? rawDeliveryAttributes(notification.messageAttributes)
              : undefined,
            senderId: SNS_SENDER_ID,
            ...(fifoQueue
              ? { messageGroupId: options.messageGroupId, messageDeduplicationId: deduplicationId }
              : {}),
          });
          break;
        }
        case 'lambda': {
          const invoke = this.options.invokeFunction;
          if (!invoke) throw new Error('no Lambda runtime is attached to the local SNS');
          invoke(subscription.endpoint, lambdaEvent(notification));
          break;
        }
        default:
          log.write(
            'warn',
            'sns',
            `topic ${topic.name}: subscription ${subscription.arn} uses protocol ${subscription.protocol}, which the local cloud does not deliver to`,
          );
      }
    } catch (error) {
      const what = `delivery of message ${notification.messageId} to subscription ${subscription.arn} (${subscription.protocol} ${subscription.endpoint})`;
      // A queue that could not keep the message (the local cloud stopping, a failed write) fails
      // the publish: SNS must not acknowledge what it has not durably handed on. A delivery the
      // subscription's own queue refuses (gone, or the message too large for it) is logged.
      if (subscription.protocol === 'sqs' && !(error instanceof SqsError && error.senderFault))
        throw new SnsError(
          'InternalError',
          `${what} failed: ${(error as Error).message}`,
          500,
          false,
        );
      log.write('error', 'sns', `topic ${topic.arn}: ${what} failed: ${(error as Error).message}`);
    }
  }

  // ----- the query API ---------------------------------------------------------------------------

  private answer(request: AwsRequest): AwsResponse {
    return queryAnswer(
      {
        namespace: SNS_XMLNS,
        isOwnError: (error) => error instanceof SnsError,
        run: (action, params) => {
          this.options.log.write('debug', 'sns', action || '(no Action)');
          return this.run(action, params);
        },
      },
      request,
    );
  }

  private run(action: string, params: Params): string {
    const { resources, accountId, region } = this.options;
    const control = runControlAction(action, params, { resources, accountId, region });
    if (control !== undefined) return control;
    switch (action) {
      case 'Publish':
        return this.publishAction(params);
      case 'PublishBatch':
        return this.publishBatchAction(params);
      case 'ListTopics': {
        const { items, next } = page(
          [...resources.list('topics')],
          params.get('NextToken'),
          PAGE_SIZE,
        );
        const topics = items.map((topic) => `<member>${element('TopicArn', topic.arn)}</member>`);
        return `<Topics>${topics.join('')}</Topics>${element('NextToken', next)}`;
      }
      case 'GetTopicAttributes': {
        const topic = this.requireTopic(params.get('TopicArn'));
        const subscriptions = this.subscriptionsOf(topic.arn);
        const pending = subscriptions.filter((s) => s.pendingConfirmation === true).length;
        return attributeMap(
          topicAttributes(topic, accountId, {
            confirmed: subscriptions.length - pending,
            pending,
          }),
        );
      }
      case 'ListSubscriptions':
        return this.subscriptionList(resources.list('subscriptions'), params.get('NextToken'));
      case 'ListSubscriptionsByTopic': {
        const topic = this.requireTopic(params.get('TopicArn'));
        return this.subscriptionList(this.subscriptionsOf(topic.arn), params.get('NextToken'));
      }
      case 'GetSubscriptionAttributes': {
        const arn = params.get('SubscriptionArn') ?? '';
        const subscription = resources.get('subscriptions', arn);
        if (!subscription) throw subscriptionNotFound();
        return attributeMap(subscriptionAttributes(subscription, accountId));
      }
      default:
        throw invalidAction(action || '(none)');
    }
  }

  private requireTopic(arn: string | undefined): TopicSpec {
    if (!arn) throw invalidParameter('TopicArn');
    const topic = this.options.resources.get('topics', arn);
    if (!topic) throw topicNotFound();
    return topic;
  }

  private subscriptionsOf(topicArn: string): SubscriptionSpec[] {
    return this.options.resources
      .list('subscriptions')
      .filter((subscription) => subscription.topicArn === topicArn);
  }

  private publishOptions(params: Params): PublishOptions {
    const structure = params.get('MessageStructure');
    if (structure !== undefined && structure !== 'json') throw invalidParameter('MessageStructure');
    const options: PublishOptions = { message: params.get('Message') ?? '' };
    const subject = params.get('Subject');
    const attributes = messageAttributes(params, 'MessageAttributes');
    const groupId = params.get('MessageGroupId');
    const deduplicationId = params.get('MessageDeduplicationId');
    if (subject !== undefined) options.subject = subject;
    if (attributes) options.messageAttributes = attributes;
    if (structure === 'json') options.messageStructure = 'json';
    if (groupId) options.messageGroupId = groupId;
    if (deduplicationId) options.messageDeduplicationId = deduplicationId;
    return options;
  }

  private publishAction(params: Params): string {
    if (params.get('PhoneNumber'))
      throw invalidParameter('PhoneNumber Reason: the local cloud does not send SMS');
    const arn = params.get('TopicArn') ?? params.get('TargetArn');
    if (!arn)
      throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    if (!arn.startsWith('arn:')) throw invalidParameter('TopicArn');
    const accepted = this.publish(arn, this.publishOptions(params));
    return (
      element('MessageId', accepted.messageId) + element('SequenceNumber', accepted.sequenceNumber)
    );
  }

  private publishBatchAction(params: Params): string {
    const topic = this.requireTopic(params.get('TopicArn'));
    const entries = members(params, 'PublishBatchRequestEntries');
    if (entries.length === 0)
      throw new SnsError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
    if (entries.length > MAX_BATCH_ENTRIES)
      throw new SnsError(
        'TooManyEntriesInBatchRequest',
        'The batch request contains more entries than permissible.',
      );
    const ids = entries.map((entry) => entry.get('Id') ?? '');
    if (ids.some((id) => !BATCH_ENTRY_ID.test(id)))
      throw new SnsError(
        'InvalidBatchEntryId',
        "The Id of a batch entry in a batch request doesn't abide by the specification.",
      );
    if (new Set(ids).size !== ids.length)
      throw new SnsError(
        'BatchEntryIdsNotDistinct',
        'Two or more batch entries in the request have the same Id.',
      );
    const total = entries.reduce(
      (sum, entry) =>
        sum +
        publishSize({
          message: entry.get('Message') ?? '',
          messageAttributes: messageAttributes(entry, 'MessageAttributes'),
        }),
      0,
    );
    if (total > MAX_MESSAGE_BYTES)
      throw new SnsError(
        'BatchRequestTooLong',
        'The length of all the messages put together is more than the limit.',
      );
    const successful: string[] = [];
    const failed: string[] = [];
    entries.forEach((entry, index) => {
      const id = ids[index] ?? '';
      try {
        const accepted = this.publish(topic.arn, this.publishOptions(entry));
        successful.push(
          `<member>${element('Id', id)}${element('MessageId', accepted.messageId)}${element('SequenceNumber', accepted.sequenceNumber)}</member>`,
        );
      } catch (error) {
        if (!(error instanceof SnsError)) throw error;
        failed.push(
          `<member>${element('Id', id)}${element('Code', error.code)}${element('Message', error.message)}${element('SenderFault', String(error.senderFault))}</member>`,
        );
      }
    });
    return `<Successful>${successful.join('')}</Successful><Failed>${failed.join('')}</Failed>`;
  }

  private subscriptionList(
    subscriptions: readonly SubscriptionSpec[],
    token: string | undefined,
  ): string {
    const { items, next } = page(subscriptions, token, PAGE_SIZE);
    const listed = items.map(
      (s) =>
        `<member>${element('TopicArn', s.topicArn)}${element('Protocol', s.protocol)}${element('SubscriptionArn', s.pendingConfirmation ? 'PendingConfirmation' : s.arn)}${element('Owner', this.options.accountId)}${element('Endpoint', s.endpoint)}</member>`,
    );
    return `<Subscriptions>${listed.join('')}</Subscriptions>${element('NextToken', next)}`;
  }
}
