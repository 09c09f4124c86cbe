import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
import { EventsTopic } from '../../stacks/constructs/events-topic';
import { SubscribedQueue } from '../../stacks/constructs/subscribed-queue';
import type { SubscribedQueueProps } from '../../stacks/constructs/subscribed-queue';
import { ref, statementsOfDocument, synthScope, theResource } from '../support/synth';
import { testNaming } from '../support/stack-fixtures';

function synthQueue(props: Omit<SubscribedQueueProps, 'naming' | 'purpose' | 'topic'>): string {
  return synthScope((scope) => {
    const topic = new EventsTopic(scope, 'events', { naming: testNaming });
    new SubscribedQueue(scope, 'inbox', { naming: testNaming, purpose: 'inbox', topic, ...props });
  });
}

describe('SubscribedQueue', () => {
  describe('with a filter policy and SNS envelopes', () => {
    let synthesized: string;
    const queue = () => theResource(synthesized, 'aws_sqs_queue', (q) => !q.name.endsWith('-dlq'));
    const dlq = () => theResource(synthesized, 'aws_sqs_queue', (q) => q.name.endsWith('-dlq'));
    const topic = () => theResource(synthesized, 'aws_sns_topic');

    beforeAll(() => {
      // Given a filtered queue that keeps SNS envelopes, dead-lettered after 4 receives.
      synthesized = synthQueue({
        rawMessageDelivery: false,
        filterPolicy: { type: ['notification'] },
        visibilityTimeoutSeconds: 45,
        maxReceiveCount: 4,
      });
    });

    it('creates the queue and its dead-letter queue, both encrypted with SQS managed keys', () => {
      expect(synthesized).toHaveResourceWithProperties(SqsQueue, {
        name: 'serverless-week-test-inbox',
        sqs_managed_sse_enabled: true,
        visibility_timeout_seconds: 45,
      });
      expect(synthesized).toHaveResourceWithProperties(SqsQueue, {
        name: 'serverless-week-test-inbox-dlq',
        sqs_managed_sse_enabled: true,
      });
    });

    it('keeps dead letters for the SQS maximum of 14 days', () => {
      expect(dlq().block.message_retention_seconds).toBe(14 * 24 * 3600);
    });

    it('moves a message to the dead-letter queue after maxReceiveCount receives', () => {
      // Given the redrive policy, then it names the DLQ and the bounded receive count.
      expect(queue().block.redrive_policy).toBe(
        `\${jsonencode({"deadLetterTargetArn" = ${dlq().address}.arn, "maxReceiveCount" = 4})}`,
      );
    });

    it('lets only its own queue redrive into the dead-letter queue', () => {
      expect(synthesized).toHaveResourceWithProperties(SqsQueueRedriveAllowPolicy, {
        queue_url: ref(dlq(), 'url'),
        redrive_allow_policy: `\${jsonencode({"redrivePermission" = "byQueue", "sourceQueueArns" = [${queue().address}.arn]})}`,
      });
    });

    it('has a queue policy that lets only the topic send, and only over TLS', () => {
      const policy = theResource(synthesized, 'aws_sqs_queue_policy');
      expect(policy.block.queue_url).toBe(ref(queue(), 'url'));
      expect(statementsOfDocument(synthesized, String(policy.block.policy))).toEqual([
        {
          sid: 'AllowEventsTopic',
          effect: 'Allow',
          actions: ['sqs:SendMessage'],
          resources: [ref(queue(), 'arn')],
          principals: [{ type: 'Service', identifiers: ['sns.amazonaws.com'] }],
          condition: [
            { test: 'ArnEquals', variable: 'aws:SourceArn', values: [ref(topic(), 'arn')] },
          ],
        },
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['sqs:*'],
          resources: [ref(queue(), 'arn')],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ]);
    });

    it('subscribes the queue to the topic with the filter policy on message attributes', () => {
      expect(synthesized).toHaveResourceWithProperties(SnsTopicSubscription, {
        topic_arn: ref(topic(), 'arn'),
        protocol: 'sqs',
        endpoint: ref(queue(), 'arn'),
        raw_message_delivery: false,
        filter_policy: '{"type":["notification"]}',
        filter_policy_scope: 'MessageAttributes',
      });
    });

    it('subscribes only once the queue policy lets the topic deliver', () => {
      expect(theResource(synthesized, 'aws_sns_topic_subscription').block.depends_on).toEqual([
        theResource(synthesized, 'aws_sqs_queue_policy').address,
      ]);
    });
  });

  describe('with raw delivery and no filter', () => {
    let synthesized: string;

    beforeAll(() => {
      synthesized = synthQueue({
        rawMessageDelivery: true,
        visibilityTimeoutSeconds: 180,
        maxReceiveCount: 5,
      });
    });

    it('delivers every published message as is, without a filter policy', () => {
      const { block } = theResource(synthesized, 'aws_sns_topic_subscription');
      expect(block.raw_message_delivery).toBe(true);
      expect(block.filter_policy).toBeUndefined();
      expect(block.filter_policy_scope).toBeUndefined();
    });
  });
});
