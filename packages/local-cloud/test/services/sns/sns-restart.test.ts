/**
 * What the SNS control plane made on an empty cloud is still there, and still delivers, after the
 * cloud restarts on the same data directory (`npm start -- --empty` again).
 */
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { useEmptyCloud } from '../../support/in-process-cloud';

jest.setTimeout(60_000);

// SNS's right to send is not what is tested here.
const empty = useEmptyCloud({ prefix: 'sns-restart-', iam: 'off' });

it('keeps a topic and its subscription across a restart, and delivers through them', async () => {
  // Given a topic and a queue's raw subscription made on an empty cloud, which then stops
  const before = { sns: empty.client(SNSClient), sqs: empty.client(SQSClient) };
  await before.sqs.send(new CreateQueueCommand({ QueueName: 'kept-inbox' }));
  const { TopicArn } = await before.sns.send(new CreateTopicCommand({ Name: 'kept' }));
  const { SubscriptionArn } = await before.sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: 'arn:aws:sqs:us-east-1:000000000000:kept-inbox',
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );

  // When the cloud starts again on the same data directory
  await empty.restart();
  const after = { sns: empty.client(SNSClient), sqs: empty.client(SQSClient) };

  // Then the subscription is there, and a message published reaches the queue
  const { Attributes } = await after.sns.send(
    new GetSubscriptionAttributesCommand({ SubscriptionArn }),
  );
  expect(Attributes).toMatchObject({ TopicArn, RawMessageDelivery: 'true' });
  await after.sns.send(new PublishCommand({ TopicArn, Message: 'after the restart' }));
  const { Messages = [] } = await after.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: `${empty.cloud.endpoints.aws}/000000000000/kept-inbox`,
    }),
  );
  expect(Messages.map((message) => message.Body)).toEqual(['after the restart']);
});
