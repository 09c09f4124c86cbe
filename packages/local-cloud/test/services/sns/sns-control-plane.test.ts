import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { is } from '@serverless-week/test-support';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { silentLog } from '../../../src/log';
import type { ResourceRegistry } from '../../../src/model/resource-registry';
import { createAwsEdge } from '../../../src/services/edge/aws-edge';
import { openEndpoint } from '../../../src/services/edge/http-endpoint';
import type { HttpEndpoint } from '../../../src/services/edge/http-endpoint';
import { TopicService } from '../../../src/services/sns/topic-service';
import { QueueService } from '../../../src/services/sqs/queue-service';
import { emptyRegistry } from '../../support/empty-registry';
import { FIXTURE_ACCOUNT, FIXTURE_REGION, queueArn, queueSpec } from '../../support/queue-fixtures';

/**
 * SNS's control plane through the real SNSClient: topics and subscriptions created, changed and
 * deleted, kept in the resource registry, and delivering exactly as the stack's do.
 */

const REGION = FIXTURE_REGION;
const ACCOUNT = FIXTURE_ACCOUNT;
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:on-order`;
const topicArn = (name: string): string => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;

let server: HttpEndpoint;
let registry: ResourceRegistry;
let queues: QueueService;
let sns: SNSClient;
let sqs: SQSClient;
const invocations: string[] = [];

beforeAll(async () => {
  server = await openEndpoint('127.0.0.1', 0, 'aws');
  registry = emptyRegistry();
  queues = new QueueService({
    queues: ['orders', 'big-orders'].map((name) => queueSpec(name, server.url)),
    accountId: ACCOUNT,
    region: REGION,
    endpoint: server.url,
    log: silentLog,
  });
  const topics = new TopicService({
    resources: registry,
    queues,
    invokeFunction: (functionArn) => invocations.push(functionArn),
    accountId: ACCOUNT,
    region: REGION,
    endpoint: server.url,
    log: silentLog,
  });
  const edge = createAwsEdge([queues, topics], silentLog);
  server.attach((request, response) => edge.handle(request, response));
  const client = { region: REGION, endpoint: server.url, credentials: DEFAULT_ADMIN_CREDENTIALS };
  sns = new SNSClient(client);
  sqs = new SQSClient(client);
});

afterAll(async () => {
  sns.destroy();
  sqs.destroy();
  await queues.stop();
  await server.close();
});

beforeEach(() => {
  for (const topic of registry.list('topics')) registry.remove('topics', topic.arn);
  for (const each of registry.list('subscriptions')) registry.remove('subscriptions', each.arn);
  queues.purge('orders');
  queues.purge('big-orders');
  invocations.length = 0;
});

async function bodiesOf(queue: string): Promise<string[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: `${server.url}/${ACCOUNT}/${queue}`,
      MaxNumberOfMessages: 10,
    }),
  );
  return Messages.map((message) => message.Body ?? '');
}

/** Subscribes a queue of the spec to a topic; the subscription's ARN. */
async function subscribeQueue(
  TopicArn: string,
  queue: string,
  Attributes?: Record<string, string>,
): Promise<string> {
  const { SubscriptionArn = '' } = await sns.send(
    new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn(queue), Attributes }),
  );
  return SubscriptionArn;
}

const createTopic = async (name: string): Promise<string> =>
  (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn ?? '';

describe('topics', () => {
  it('creates a topic with its attributes and tags, and reads them back', async () => {
    // When a topic is created with a display name, a KMS key and a tag
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({
        Name: 'orders',
        Attributes: { DisplayName: 'Orders', KmsMasterKeyId: 'alias/aws/sns' },
        Tags: [{ Key: 'team', Value: 'shop' }],
      }),
    );

    // Then its ARN is the account's, and it reads back what was set
    expect(TopicArn).toBe(topicArn('orders'));
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({
      TopicArn,
      Owner: ACCOUNT,
      DisplayName: 'Orders',
      KmsMasterKeyId: 'alias/aws/sns',
      SubscriptionsConfirmed: '0',
    });
    const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    expect(Tags).toEqual([{ Key: 'team', Value: 'shop' }]);
  });

  it('writes the default access policy when the topic is given none', async () => {
    // Given a topic created without a policy
    const TopicArn = await createTopic('plain');

    // Then its policy lets the account's principals use it, as SNS's default does
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(JSON.parse(Attributes?.Policy ?? '{}')).toMatchObject({
      Version: '2008-10-17',
      Id: '__default_policy_ID',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Resource: TopicArn,
          Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } },
        },
      ],
    });
  });

  it('answers the same topic to a second create with the same name and attributes', async () => {
    // Given a topic
    const first = await createTopic('twice');

    // When it is created again, then the same ARN comes back and there is one topic
    expect(await createTopic('twice')).toBe(first);
    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics).toEqual([{ TopicArn: first }]);
  });

  it('refuses a second create of a name with other attributes', async () => {
    // Given a topic without a display name
    await createTopic('taken');

    // When it is created again with one, then SNS's InvalidParameter comes back
    await expect(
      sns.send(new CreateTopicCommand({ Name: 'taken', Attributes: { DisplayName: 'Other' } })),
    ).rejects.toMatchObject({
      name: InvalidParameterException.name,
      message:
        'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    });
  });

  it('creates a FIFO topic only with a .fifo name', async () => {
    // When a FIFO topic is asked for under a standard name, then it is refused
    await expect(
      sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { FifoTopic: 'true' } })),
    ).rejects.toMatchObject({ name: InvalidParameterException.name });

    // And under a .fifo name it is made, FIFO
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({
        Name: 'orders.fifo',
        Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' },
      }),
    );
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'true' });
  });

  it('refuses a topic name with characters SNS does not allow', async () => {
    await expect(sns.send(new CreateTopicCommand({ Name: 'a/../b' }))).rejects.toMatchObject({
      name: InvalidParameterException.name,
      message: 'Invalid parameter: Topic Name',
    });
  });

  it('sets and unsets an attribute', async () => {
    // Given a topic with a delivery policy set
    const TopicArn = await createTopic('settable');
    const delivery = JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 5 } } });
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'DeliveryPolicy',
        AttributeValue: delivery,
      }),
    );
    const { Attributes: set } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(set?.DeliveryPolicy).toBe(delivery);

    // When it is set to nothing, then it is gone
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'DeliveryPolicy',
        AttributeValue: '',
      }),
    );
    const { Attributes: unset } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(unset).not.toHaveProperty('DeliveryPolicy');
  });

  it('refuses an attribute SNS does not know', async () => {
    const TopicArn = await createTopic('strict');
    await expect(
      sns.send(
        new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Color', AttributeValue: 'red' }),
      ),
    ).rejects.toMatchObject({
      name: InvalidParameterException.name,
      message: 'Invalid parameter: AttributeName',
    });
  });

  it('tags and untags a topic', async () => {
    // Given a topic tagged twice
    const ResourceArn = await createTopic('tagged');
    await sns.send(
      new TagResourceCommand({
        ResourceArn,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );

    // When one tag is removed, then the other remains
    await sns.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['a'] }));
    const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn }));
    expect(Tags).toEqual([{ Key: 'b', Value: '2' }]);
  });

  it('deletes a topic with its subscriptions, and a second delete is no error', async () => {
    // Given a topic with a subscription
    const TopicArn = await createTopic('doomed');
    const SubscriptionArn = await subscribeQueue(TopicArn, 'orders');

    // When it is deleted twice
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));

    // Then neither the topic nor its subscription is found
    await expect(sns.send(new GetTopicAttributesCommand({ TopicArn }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
    await expect(
      sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe('subscriptions', () => {
  it('confirms a queue subscription at once and delivers to it', async () => {
    // Given a topic and a queue subscribed with raw delivery
    const TopicArn = await createTopic('orders');
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queueArn('orders'),
        Attributes: { RawMessageDelivery: 'true' },
        ReturnSubscriptionArn: true,
      }),
    );

    // Then the subscription is confirmed, authenticated, and listed under its topic
    const { Attributes } = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn }),
    );
    expect(Attributes).toMatchObject({
      SubscriptionArn,
      TopicArn,
      Protocol: 'sqs',
      Endpoint: queueArn('orders'),
      RawMessageDelivery: 'true',
      PendingConfirmation: 'false',
      ConfirmationWasAuthenticated: 'true',
      Owner: ACCOUNT,
    });
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(Subscriptions?.map((each) => each.SubscriptionArn)).toEqual([SubscriptionArn]);

    // And a message published reaches the queue as it was published
    await sns.send(new PublishCommand({ TopicArn, Message: 'order 7' }));
    expect(await bodiesOf('orders')).toEqual(['order 7']);
  });

  it('delivers only what the filter policy set after the subscription lets through', async () => {
    // Given a queue subscribed, then given a filter policy on the message body
    const TopicArn = await createTopic('orders');
    const SubscriptionArn = await subscribeQueue(TopicArn, 'big-orders', {
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
    });
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn,
        AttributeName: 'FilterPolicy',
        AttributeValue: JSON.stringify({ total: [{ numeric: ['>', 100] }] }),
      }),
    );

    // When a small and a big order are published
    await sns.send(new PublishCommand({ TopicArn, Message: '{"total":5}' }));
    await sns.send(new PublishCommand({ TopicArn, Message: '{"total":500}' }));

    // Then only the big one is delivered
    expect(await bodiesOf('big-orders')).toEqual(['{"total":500}']);
  });

  it('invokes a function subscribed to the topic', async () => {
    // Given a function subscribed
    const TopicArn = await createTopic('orders');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: FUNCTION_ARN }));

    // When a message is published, then the function is invoked
    await sns.send(new PublishCommand({ TopicArn, Message: 'order 8' }));
    expect(invocations).toEqual([FUNCTION_ARN]);
  });

  it('answers the same subscription to a second subscribe of the same endpoint', async () => {
    const TopicArn = await createTopic('orders');
    const subscribe = new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: queueArn('orders'),
    });
    const first = await sns.send(subscribe);
    const second = await sns.send(subscribe);
    expect(second.SubscriptionArn).toBe(first.SubscriptionArn);
  });

  it('refuses a filter policy SNS cannot read, with its reason', async () => {
    const TopicArn = await createTopic('orders');
    await expect(
      subscribeQueue(TopicArn, 'orders', {
        FilterPolicy: JSON.stringify({ type: [{ between: [1, 2] }] }),
      }),
    ).rejects.toMatchObject({
      name: InvalidParameterException.name,
      message:
        'Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type between',
    });
  });

  it('refuses a nested filter policy on message attributes', async () => {
    const TopicArn = await createTopic('orders');
    await expect(
      subscribeQueue(TopicArn, 'orders', {
        FilterPolicy: JSON.stringify({ order: { total: [1] } }),
      }),
    ).rejects.toMatchObject({
      message: is.stringContaining('Filter policy scope MessageAttributes does not support nested'),
    });
  });

  it('refuses raw delivery to a function', async () => {
    const TopicArn = await createTopic('orders');
    await expect(
      sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'lambda',
          Endpoint: FUNCTION_ARN,
          Attributes: { RawMessageDelivery: 'true' },
        }),
      ),
    ).rejects.toMatchObject({
      message:
        'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.',
    });
  });

  it('refuses a protocol SNS does not have, and a topic that is not there', async () => {
    const TopicArn = await createTopic('orders');
    await expect(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: 'pigeon', Endpoint: 'x' })),
    ).rejects.toMatchObject({
      message: 'Invalid parameter: Amazon SNS does not support this protocol string: pigeon',
    });
    await expect(
      sns.send(
        new SubscribeCommand({
          TopicArn: topicArn('nowhere'),
          Protocol: 'sqs',
          Endpoint: queueArn('orders'),
        }),
      ),
    ).rejects.toMatchObject({ name: NotFoundException.name, message: 'Topic does not exist' });
  });

  it('keeps an https subscription pending, and does not deliver to it', async () => {
    const TopicArn = await createTopic('hooks');
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: 'https://example.com/hook' }),
    );
    expect(SubscriptionArn).toBe('pending confirmation');
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ SubscriptionsPending: '1', SubscriptionsConfirmed: '0' });
  });

  it('stops delivering once unsubscribed, and the subscription is not found', async () => {
    // Given a subscription, unsubscribed
    const TopicArn = await createTopic('orders');
    const SubscriptionArn = await subscribeQueue(TopicArn, 'orders');
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));

    // When a message is published, then nothing arrives and the subscription is gone
    await sns.send(new PublishCommand({ TopicArn, Message: 'lost' }));
    expect(await bodiesOf('orders')).toEqual([]);
    await expect(
      sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })),
    ).rejects.toMatchObject({
      name: NotFoundException.name,
      message: 'Subscription does not exist',
    });
  });
});
