/**
 * SNS's query-protocol actions as IAM sees them (src/iam/actions/sns-actions.ts),
 * through authorizationsFor: the requests are the real ones the SDK's SNSClient sends to a
 * recording endpoint (see ../support/sdk-requests.ts).
 */
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand as TagTopicCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { only, recordSdkRequests } from '../support/sdk-requests';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:jobs';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:published';

const sdk = recordSdkRequests();
const { authorizationsOf } = sdk;
let sns: SNSClient;

beforeAll(() => {
  sns = sdk.client((config) => new SNSClient(config));
});

describe('SNS', () => {
  const subscription = `${TOPIC}:5f3c1e2a-0000-4000-8000-000000000001`;

  it('authorizes Publish on the topic', async () => {
    const authorizations = await authorizationsOf(() =>
      sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'hello' })),
    );

    expect(authorizations).toEqual(only('sns:Publish', TOPIC));
  });

  it('authorizes Publish to a TargetArn on that target', async () => {
    const authorizations = await authorizationsOf(() =>
      sns.send(new PublishCommand({ TargetArn: TOPIC, Message: 'hello' })),
    );

    expect(authorizations).toEqual(only('sns:Publish', TOPIC));
  });

  it('authorizes PublishBatch with sns:Publish on the topic', async () => {
    const authorizations = await authorizationsOf(() =>
      sns.send(
        new PublishBatchCommand({
          TopicArn: TOPIC,
          PublishBatchRequestEntries: [{ Id: '1', Message: 'a' }],
        }),
      ),
    );

    expect(authorizations).toEqual(only('sns:Publish', TOPIC));
  });

  it('authorizes Subscribe on the topic, carrying the protocol and endpoint', async () => {
    const authorizations = await authorizationsOf(() =>
      sns.send(new SubscribeCommand({ TopicArn: TOPIC, Protocol: 'sqs', Endpoint: QUEUE })),
    );

    expect(authorizations).toEqual(
      only('sns:Subscribe', TOPIC, { 'sns:Protocol': 'sqs', 'sns:Endpoint': QUEUE }),
    );
  });

  it('authorizes CreateTopic on the topic it will create', async () => {
    const authorizations = await authorizationsOf(() =>
      sns.send(new CreateTopicCommand({ Name: 'published' })),
    );

    expect(authorizations).toEqual(only('sns:CreateTopic', TOPIC));
  });

  it.each<[string, () => Promise<unknown>]>([
    ['DeleteTopic', () => sns.send(new DeleteTopicCommand({ TopicArn: TOPIC }))],
    ['GetTopicAttributes', () => sns.send(new GetTopicAttributesCommand({ TopicArn: TOPIC }))],
    [
      'SetTopicAttributes',
      () =>
        sns.send(
          new SetTopicAttributesCommand({
            TopicArn: TOPIC,
            AttributeName: 'DisplayName',
            AttributeValue: 'x',
          }),
        ),
    ],
    [
      'ListSubscriptionsByTopic',
      () => sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: TOPIC })),
    ],
    ['Unsubscribe', () => sns.send(new UnsubscribeCommand({ SubscriptionArn: subscription }))],
    [
      'GetSubscriptionAttributes',
      () => sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription })),
    ],
    [
      'SetSubscriptionAttributes',
      () =>
        sns.send(
          new SetSubscriptionAttributesCommand({
            SubscriptionArn: subscription,
            AttributeName: 'RawMessageDelivery',
            AttributeValue: 'true',
          }),
        ),
    ],
    [
      'TagResource',
      () => sns.send(new TagTopicCommand({ ResourceArn: TOPIC, Tags: [{ Key: 'a', Value: 'b' }] })),
    ],
    ['ListTagsForResource', () => sns.send(new ListTagsForResourceCommand({ ResourceArn: TOPIC }))],
  ])('authorizes %s with the sns action of its name on the topic', async (action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`sns:${action}`, TOPIC));
  });

  it.each<[string, () => Promise<unknown>]>([
    ['ListTopics', () => sns.send(new ListTopicsCommand({}))],
    ['ListSubscriptions', () => sns.send(new ListSubscriptionsCommand({}))],
  ])('authorizes %s on every resource', async (action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`sns:${action}`, '*'));
  });
});
