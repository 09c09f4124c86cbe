import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalTerraform } from '@serverless-week/test-support';
import { useEmptyCloud } from '../../support/in-process-cloud';
import { plannedChanges } from '../../support/planned-changes';

/**
 * Terraform's AWS provider (5.100.0) deploys the queues of our stack to a cloud started empty: a
 * queue with its dead-letter queue (redrive), the dead-letter queue's redrive allow policy and a
 * queue policy. Apply, plan with no change, destroy with nothing left. (A policy SQS refuses is
 * specified with the SDK, in queue-control-attributes.test.ts: the provider retries SQS's
 * InvalidAttributeValue for the policy for minutes, as it waits out IAM propagation on AWS.)
 */

// The provider waits for every queue attribute to read back six times, five seconds apart
// (waitQueueAttributesPropagated): about 25 s per queue, policy and redrive allow policy.
jest.setTimeout(600_000);

const empty = useEmptyCloud({ prefix: 'sqs-terraform-' });

const sqs = (): SQSClient => empty.client(SQSClient);

const QUEUES = {
  resource: {
    aws_sqs_queue: {
      dlq: {
        name: 'tf-inbox-dlq',
        message_retention_seconds: 1209600,
        sqs_managed_sse_enabled: true,
      },
      inbox: {
        name: 'tf-inbox',
        visibility_timeout_seconds: 30,
        sqs_managed_sse_enabled: true,
        redrive_policy:
          '${jsonencode({deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 5})}',
        tags: { app: 'serverless-week' },
      },
    },
    aws_sqs_queue_redrive_allow_policy: {
      dlq: {
        queue_url: '${aws_sqs_queue.dlq.url}',
        redrive_allow_policy:
          '${jsonencode({redrivePermission = "byQueue", sourceQueueArns = [aws_sqs_queue.inbox.arn]})}',
      },
    },
    aws_sqs_queue_policy: {
      inbox: {
        queue_url: '${aws_sqs_queue.inbox.url}',
        policy:
          '${jsonencode({Version = "2012-10-17", Statement = [{Sid = "TopicOnly", Effect = "Allow", Principal = {Service = "sns.amazonaws.com"}, Action = "sqs:SendMessage", Resource = aws_sqs_queue.inbox.arn}]})}',
      },
    },
  },
};

describe('the queues of our stack', () => {
  let terraform: LocalTerraform;

  beforeAll(async () => {
    terraform = await empty.terraform(QUEUES);
  });

  it('apply, then plan no change, then destroy leaving no queue', async () => {
    // Given the configuration applied
    const applied = await terraform.apply();
    expect(applied.output).toContain('Apply complete! Resources: 4 added');

    // When it is planned again, then there is nothing to change
    expect(await plannedChanges(terraform)).toBe('');

    // And the queue's policy is the model's: SQS reads it back, the registry holds it
    const client = sqs();
    const url = `${empty.cloud.endpoints.aws}/000000000000/tf-inbox`;
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }),
    );
    expect(JSON.parse(Attributes?.Policy ?? '{}')).toMatchObject({
      Statement: [{ Sid: 'TopicOnly' }],
    });
    expect(
      empty.cloud.resources.get('queues', 'arn:aws:sqs:us-east-1:000000000000:tf-inbox')?.policy,
    ).toMatchObject({ Statement: [{ Sid: 'TopicOnly' }] });

    // When it is destroyed
    const destroyed = await terraform.destroy();

    // Then no queue is left
    expect(destroyed.output).toContain('Destroy complete! Resources: 4 destroyed');
    const { QueueUrls = [] } = await client.send(new ListQueuesCommand({}));
    expect(QueueUrls).toEqual([]);
    client.destroy();
  });
});
