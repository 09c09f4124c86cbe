/**
 * Terraform's AWS provider (5.100.0) against an empty local cloud: a topic with its policy and
 * tags, and a queue subscribed to it with a filter policy and raw delivery, applied, planned
 * again without changes, delivering as a booted subscription does, and destroyed. The queue and
 * its policy are made with the SDK beforehand: the provider's SQS waiters (six reads five seconds
 * apart per queue and per policy) would make the spec minutes long.
 */
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LocalTerraform } from '@serverless-week/test-support';
import { useEmptyCloud } from '../../support/in-process-cloud';

jest.setTimeout(600_000);

const TOPIC_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AccountPublishes',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::000000000000:root' },
      Action: 'sns:Publish',
      Resource: 'arn:aws:sns:us-east-1:000000000000:tf-events',
    },
  ],
});

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:tf-inbox';

/** The queue accepts what the topic sends it, and nothing else. */
const QUEUE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'TopicSends',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: QUEUE,
      Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:000000000000:tf-events' } },
    },
  ],
});

const CONFIGURATION = {
  resource: {
    aws_sns_topic: {
      events: {
        name: 'tf-events',
        kms_master_key_id: 'alias/aws/sns',
        policy: TOPIC_POLICY,
        tags: { team: 'shop' },
      },
    },
    aws_sns_topic_subscription: {
      inbox: {
        topic_arn: '${aws_sns_topic.events.arn}',
        protocol: 'sqs',
        endpoint: QUEUE,
        raw_message_delivery: true,
        filter_policy: JSON.stringify({ type: ['order'] }),
      },
    },
  },
  output: {
    topic_arn: { value: '${aws_sns_topic.events.arn}' },
  },
};

// The queue's policy is set through SQS at apply time; IAM's policy store reads the policies the
// boot loaded, so SNS's right to send is judged without it here (see the report).
const empty = useEmptyCloud({ prefix: 'sns-terraform-', iam: 'warn' });
let terraform: LocalTerraform;

beforeAll(async () => {
  await empty
    .client(SQSClient)
    .send(new CreateQueueCommand({ QueueName: 'tf-inbox', Attributes: { Policy: QUEUE_POLICY } }));
  // Not the cloud's own Terraform directory: KEEP_TF=1 keeps this one to look into.
  terraform = await LocalTerraform.create(
    { aws: empty.cloud.endpoints.aws, credentials: empty.cloud.adminCredentials },
    CONFIGURATION,
  );
});

afterAll(() => {
  if (process.env.KEEP_TF !== '1') terraform?.remove();
});

it('applies a topic and a filtered raw subscription, plans no change, delivers, and destroys them', async () => {
  // When the configuration is applied
  const apply = await terraform.apply();
  expect(apply.output).toContain('Apply complete! Resources: 2 added');

  // Then a plan right after finds nothing to change
  const plan = await terraform.plan();
  expect({ exitCode: plan.exitCode, output: plan.output }).toMatchObject({ exitCode: 0 });

  // And a message the filter lets through reaches the queue as published, another does not
  const { topic_arn: topicArn } = (await terraform.outputs()) as Record<string, string>;
  const queueUrl = `${empty.cloud.endpoints.aws}/000000000000/tf-inbox`;
  const sns = empty.client(SNSClient);
  const sqs = empty.client(SQSClient);
  const typed = (type: string): Record<string, { DataType: string; StringValue: string }> => ({
    type: { DataType: 'String', StringValue: type },
  });
  await sns.send(
    new PublishCommand({ TopicArn: topicArn, Message: 'kept', MessageAttributes: typed('order') }),
  );
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Message: 'dropped',
      MessageAttributes: typed('refund'),
    }),
  );
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
  );
  expect(Messages.map((message) => message.Body)).toEqual(['kept']);

  // When it is destroyed, then no topic and no subscription is left
  const destroy = await terraform.destroy();
  expect(destroy.output).toContain('Destroy complete! Resources: 2 destroyed');
  const { Topics } = await sns.send(new ListTopicsCommand({}));
  expect(Topics).toEqual([]);
  expect(empty.cloud.resources.list('subscriptions')).toEqual([]);
});
