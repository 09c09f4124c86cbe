import { Fn } from 'cdktf';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
import { Construct } from 'constructs';
import type { Naming } from '../naming';
import { denyInsecureTransport, policyDocument } from '../lib/policy';
import type { EventsTopic } from './events-topic';

export interface SubscribedQueueProps {
  naming: Naming;
  purpose: string;
  topic: EventsTopic;
  /** Deliver the published message as is, instead of wrapped in SNS's JSON envelope. */
  rawMessageDelivery: boolean;
  /** SNS filter policy on message attributes; without one, every event is delivered. */
  filterPolicy?: Record<string, unknown>;
  /** At least six times the consumer's timeout when a Lambda function consumes the queue. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message is moved to the dead-letter queue. */
  maxReceiveCount: number;
}

const FOURTEEN_DAYS = 14 * 24 * 3600;

/**
 * An SQS queue subscribed to the events topic, with its dead-letter queue. Both are encrypted
 * (SQS managed SSE, which SNS can deliver to without a KMS grant); only the topic may send to
 * the queue, and only over TLS.
 */
export class SubscribedQueue extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  readonly subscription: SnsTopicSubscription;

  constructor(scope: Construct, id: string, props: SubscribedQueueProps) {
    super(scope, id);
    const name = props.naming.name(props.purpose);

    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: `${name}-dlq`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: FOURTEEN_DAYS,
    });
    this.queue = new SqsQueue(this, 'queue', {
      name,
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      messageRetentionSeconds: 4 * 24 * 3600,
      redrivePolicy: Fn.jsonencode({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: props.maxReceiveCount,
      }),
    });
    new SqsQueueRedriveAllowPolicy(this, 'dlq-sources', {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: Fn.jsonencode({
        redrivePermission: 'byQueue',
        sourceQueueArns: [this.queue.arn],
      }),
    });

    const policy = new SqsQueuePolicy(this, 'policy', {
      queueUrl: this.queue.url,
      policy: policyDocument(this, 'topic-only', [
        {
          sid: 'AllowEventsTopic',
          actions: ['sqs:SendMessage'],
          resources: [this.queue.arn],
          principals: [{ type: 'Service', identifiers: ['sns.amazonaws.com'] }],
          conditions: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [props.topic.arn] }],
        },
        denyInsecureTransport('sqs:*', [this.queue.arn]),
      ]).json,
    });

    this.subscription = new SnsTopicSubscription(this, 'subscription', {
      topicArn: props.topic.arn,
      protocol: 'sqs',
      endpoint: this.queue.arn,
      rawMessageDelivery: props.rawMessageDelivery,
      filterPolicy: props.filterPolicy ? JSON.stringify(props.filterPolicy) : undefined,
      filterPolicyScope: props.filterPolicy ? 'MessageAttributes' : undefined,
      // Messages published before the queue accepts them would be lost.
      dependsOn: [policy],
    });
  }

  get arn(): string {
    return this.queue.arn;
  }

  get url(): string {
    return this.queue.url;
  }

  get name(): string {
    return this.queue.name;
  }
}
