import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  InvalidParameterValueException,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  ListPlatformApplicationsCommand,
} from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { is } from '@serverless-week/test-support';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { openEndpoint } from '../../../src/services/edge/http-endpoint';
import type { HttpEndpoint } from '../../../src/services/edge/http-endpoint';
import { createLog, silentLog } from '../../../src/log';
import { createAwsEdge } from '../../../src/services/edge/aws-edge';
import { QueueService } from '../../../src/services/sqs/queue-service';
import { TopicService } from '../../../src/services/sns/topic-service';
import type { QueueSpec, SubscriptionSpec, TopicSpec } from '../../../src/stack/topology';
import type { ResourceRegistry } from '../../../src/model/resource-registry';
import { queueArn, queueSpec } from '../../support/queue-fixtures';
import { emptyRegistry } from '../../support/empty-registry';

/**
 * The local SNS through the real SNSClient (query protocol, XML answers), fanning out to the
 * local SQS (read back through the real SQSClient) and to a recorded Lambda stand-in.
 */

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const CREDENTIALS = DEFAULT_ADMIN_CREDENTIALS;
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:on-event`;

const topicArn = (name: string): string => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
const EVENTS = topicArn('events');
const ORPHANS = topicArn('orphans');

let server: HttpEndpoint;
let endpoint: string;
let queues: QueueService;
let topics: TopicService;
let sns: SNSClient;
let sqs: SQSClient;
const invocations: { functionArn: string; event: unknown }[] = [];
const logLines: string[] = [];

function topic(name: string): TopicSpec {
  return { address: `aws_sns_topic.${name}`, name, arn: topicArn(name), fifo: false };
}

const queue = (name: string): QueueSpec => queueSpec(name, endpoint);

/** The registry a topic service reads, holding these topics and subscriptions. */
function holding(topics: TopicSpec[], subscriptions: SubscriptionSpec[]): ResourceRegistry {
  const registry = emptyRegistry();
  for (const each of topics) registry.put('topics', each);
  for (const each of subscriptions) registry.put('subscriptions', each);
  return registry;
}

function subscription(
  id: string,
  settings: Partial<SubscriptionSpec> & Pick<SubscriptionSpec, 'endpoint'>,
): SubscriptionSpec {
  return {
    address: `aws_sns_topic_subscription.${id}`,
    arn: `${EVENTS}:${id}-0000-0000-0000-000000000000`,
    topicArn: EVENTS,
    protocol: 'sqs',
    rawMessageDelivery: false,
    filterPolicyScope: 'MessageAttributes',
    ...settings,
  };
}

const QUEUES = ['raw-inbox', 'audit', 'created-only', 'big-orders'];

beforeAll(async () => {
  server = await openEndpoint('127.0.0.1', 0, 'aws');
  endpoint = server.url;
  const log = createLog({ level: 'debug', sink: (line) => logLines.push(line) });
  queues = new QueueService({
    queues: QUEUES.map(queue),
    accountId: ACCOUNT,
    region: REGION,
    endpoint,
    log,
  });
  topics = new TopicService({
    resources: holding(
      [topic('events'), topic('orphans')],
      [
        subscription('raw', { endpoint: queueArn('raw-inbox'), rawMessageDelivery: true }),
        subscription('enveloped', { endpoint: queueArn('audit') }),
        subscription('filtered', {
          endpoint: queueArn('created-only'),
          rawMessageDelivery: true,
          filterPolicy: { type: ['item.created'] },
        }),
        subscription('body-filtered', {
          endpoint: queueArn('big-orders'),
          rawMessageDelivery: true,
          filterPolicy: { order: { total: [{ numeric: ['>', 100] }] } },
          filterPolicyScope: 'MessageBody',
        }),
        subscription('function', { protocol: 'lambda', endpoint: FUNCTION_ARN }),
        {
          ...subscription('gone', { endpoint: queueArn('gone') }),
          arn: `${ORPHANS}:gone-0000-0000-0000-000000000000`,
          topicArn: ORPHANS,
        },
      ],
    ),
    queues,
    invokeFunction: (functionArn, event) => invocations.push({ functionArn, event }),
    accountId: ACCOUNT,
    region: REGION,
    endpoint,
    log,
  });
  const edge = createAwsEdge([queues, topics], log);
  server.attach((request, response) => edge.handle(request, response));
  sns = new SNSClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  sqs = new SQSClient({ region: REGION, endpoint, credentials: CREDENTIALS });
});

beforeEach(() => {
  for (const name of QUEUES) queues.purge(name);
  invocations.length = 0;
  logLines.length = 0;
});

afterAll(async () => {
  sns.destroy();
  sqs.destroy();
  await queues.stop();
  await server.close();
});

async function messagesOf(name: string): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: `${endpoint}/${ACCOUNT}/${name}`,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages;
}

describe('fan-out', () => {
  it('delivers the message itself to a raw-delivery queue, with its attributes (String.Array as String)', async () => {
    // When a message with attributes is published
    await sns.send(
      new PublishCommand({
        TopicArn: EVENTS,
        Message: 'item 42 created',
        MessageAttributes: {
          type: { DataType: 'String', StringValue: 'item.created' },
          tags: { DataType: 'String.Array', StringValue: '["new","blue"]' },
          size: { DataType: 'Number', StringValue: '3' },
        },
      }),
    );

    // Then the raw queue holds the message as published, its attributes SQS-typed
    const [message] = await messagesOf('raw-inbox');
    expect(message?.Body).toBe('item 42 created');
    expect(message?.MessageAttributes).toEqual({
      type: { DataType: 'String', StringValue: 'item.created' },
      tags: { DataType: 'String', StringValue: '["new","blue"]' },
      size: { DataType: 'Number', StringValue: '3' },
    });
  });

  it('delivers the SNS JSON notification to a queue without raw delivery', async () => {
    // When a message with a subject and an attribute is published
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: EVENTS,
        Message: 'item 42 created',
        Subject: 'Item created',
        MessageAttributes: { type: { DataType: 'String', StringValue: 'item.created' } },
      }),
    );

    // Then the enveloped queue holds SNS's notification
    const [message] = await messagesOf('audit');
    expect(JSON.parse(message?.Body ?? '{}')).toEqual({
      Type: 'Notification',
      MessageId,
      TopicArn: EVENTS,
      Subject: 'Item created',
      Message: 'item 42 created',
      Timestamp: is.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      SignatureVersion: '1',
      Signature: is.any(String),
      SigningCertURL: is.stringMatching(/\.pem$/),
      UnsubscribeURL: is.stringContaining('Action=Unsubscribe'),
      MessageAttributes: { type: { Type: 'String', Value: 'item.created' } },
    });
    expect(message?.MessageAttributes).toBeUndefined();
  });

  it('skips a subscription whose filter policy does not match the message attributes', async () => {
    // When one message of each type is published
    for (const type of ['item.deleted', 'item.created'])
      await sns.send(
        new PublishCommand({
          TopicArn: EVENTS,
          Message: type,
          MessageAttributes: { type: { DataType: 'String', StringValue: type } },
        }),
      );

    // Then the filtered queue only holds the matching one
    expect((await messagesOf('created-only')).map((message) => message.Body)).toEqual([
      'item.created',
    ]);
  });

  it('filters on the JSON body for a subscription scoped to MessageBody', async () => {
    // When a small and a big order are published
    for (const total of [20, 200])
      await sns.send(
        new PublishCommand({ TopicArn: EVENTS, Message: JSON.stringify({ order: { total } }) }),
      );

    // Then only the big one reaches the queue filtering on order.total
    expect((await messagesOf('big-orders')).map((message) => message.Body)).toEqual([
      '{"order":{"total":200}}',
    ]);
  });

  it('invokes a Lambda subscriber with the event SNS sends Lambda', async () => {
    // When a message is published
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: EVENTS,
        Message: 'hello',
        MessageAttributes: { type: { DataType: 'String', StringValue: 'greeting' } },
      }),
    );

    // Then the function is invoked with one SNS record
    expect(invocations).toEqual([
      {
        functionArn: FUNCTION_ARN,
        event: {
          Records: [
            {
              EventSource: 'aws:sns',
              EventVersion: '1.0',
              EventSubscriptionArn: `${EVENTS}:function-0000-0000-0000-000000000000`,
              Sns: {
                Type: 'Notification',
                MessageId,
                TopicArn: EVENTS,
                Subject: null,
                Message: 'hello',
                Timestamp: is.any(String),
                SignatureVersion: '1',
                Signature: is.any(String),
                SigningCertUrl: is.any(String),
                UnsubscribeUrl: is.any(String),
                MessageAttributes: { type: { Type: 'String', Value: 'greeting' } },
              },
            },
          ],
        },
      },
    ]);
  });

  it('delivers to each protocol its own message of a MessageStructure json publish', async () => {
    // When a message is published with one text for SQS and a default
    await sns.send(
      new PublishCommand({
        TopicArn: EVENTS,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for everyone', sqs: 'for queues' }),
      }),
    );

    // Then queues get theirs and the function the default
    expect((await messagesOf('raw-inbox'))[0]?.Body).toBe('for queues');
    expect(invocations[0]?.event).toMatchObject({
      Records: [{ Sns: { Message: 'for everyone' } }],
    });
  });

  it('logs a delivery that fails, naming topic and subscription, without failing the publish', async () => {
    // When a message is published to a topic whose subscribed queue does not exist
    const published = await sns.send(new PublishCommand({ TopicArn: ORPHANS, Message: 'x' }));

    // Then the publish succeeded and the failure is in the log
    expect(published.MessageId).toEqual(is.any(String));
    const errors = logLines.filter((line) => line.includes('ERROR'));
    expect(errors).toEqual([
      is.stringMatching(/^sns\s+ERROR .*orphans.*gone-0000.*does not exist/),
    ]);
  });

  it('logs each publish at debug level', async () => {
    const { MessageId = '' } = await sns.send(
      new PublishCommand({ TopicArn: EVENTS, Message: 'x' }),
    );
    expect(logLines.some((line) => /^sns\s+DEBUG/.test(line) && line.includes(MessageId))).toBe(
      true,
    );
  });

  it('publishes in process like through the API', async () => {
    const { messageId } = topics.publish(EVENTS, { message: 'from a destination' });
    const [message] = await messagesOf('audit');
    expect(JSON.parse(message?.Body ?? '{}')).toMatchObject({
      MessageId: messageId,
      Message: 'from a destination',
    });
  });

  it('publishes a batch entry by entry, reporting the invalid ones as failed', async () => {
    // When a batch has a valid and an empty message
    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn: EVENTS,
        PublishBatchRequestEntries: [
          { Id: 'ok', Message: 'fine' },
          { Id: 'empty', Message: '' },
        ],
      }),
    );

    // Then the valid one is delivered and the other reported
    expect(result.Successful).toEqual([{ Id: 'ok', MessageId: is.any(String) }]);
    expect(result.Failed).toEqual([
      {
        Id: 'empty',
        Code: 'InvalidParameter',
        Message: 'Invalid parameter: Empty message',
        SenderFault: true,
      },
    ]);
    expect((await messagesOf('raw-inbox')).map((message) => message.Body)).toEqual(['fine']);
  });
});

describe('errors', () => {
  it('throws NotFoundException for a topic that does not exist', async () => {
    await expect(
      sns.send(new PublishCommand({ TopicArn: topicArn('missing'), Message: 'x' })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('throws InvalidParameterException for an empty message', async () => {
    await expect(
      sns.send(new PublishCommand({ TopicArn: EVENTS, Message: '' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('throws InvalidParameterException for a message over 256 KB', async () => {
    await expect(
      sns.send(new PublishCommand({ TopicArn: EVENTS, Message: 'x'.repeat(262145) })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Message too long',
    });
  });

  it('refuses a batch whose messages and attributes together are over 256 KiB, and delivers none of it', async () => {
    // Given two entries of 100,000-byte messages, each with a 40,000-byte attribute
    const entry = (id: string) => ({
      Id: id,
      Message: 'x'.repeat(100000),
      MessageAttributes: { note: { DataType: 'String', StringValue: 'y'.repeat(40000) } },
    });

    // When they are published in one batch (280,016 bytes in all)
    const publishing = sns.send(
      new PublishBatchCommand({
        TopicArn: EVENTS,
        PublishBatchRequestEntries: [entry('one'), entry('two')],
      }),
    );

    // Then SNS refuses the batch as a whole
    await expect(publishing).rejects.toMatchObject({
      name: 'BatchRequestTooLongException',
      message: 'The length of all the messages put together is more than the limit.',
    });
    expect(await messagesOf('raw-inbox')).toEqual([]);
  });

  it('throws InvalidParameterException for a json structure without a default', async () => {
    await expect(
      sns.send(
        new PublishCommand({
          TopicArn: EVENTS,
          MessageStructure: 'json',
          Message: JSON.stringify({ sqs: 'only for queues' }),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Message Structure - No default entry in JSON message body',
    });
  });

  it('throws InvalidParameterValueException for an attribute of an unknown data type', async () => {
    await expect(
      sns.send(
        new PublishCommand({
          TopicArn: EVENTS,
          Message: 'x',
          MessageAttributes: { type: { DataType: 'Text', StringValue: 'x' } },
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
  });

  it('answers errors in the query protocol XML shape', async () => {
    // When a raw query request names a missing topic
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        Action: 'Publish',
        Version: '2010-03-31',
        TopicArn: topicArn('missing'),
        Message: 'x',
      }).toString(),
    });

    // Then SNS's ErrorResponse comes back with a 404
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(
      /^<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>NotFound<\/Code><Message>Topic does not exist<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
  });

  it('answers an action it does not support with an error naming it', async () => {
    await expect(sns.send(new ListPlatformApplicationsCommand({}))).rejects.toMatchObject({
      name: 'InvalidAction',
      message: is.stringContaining('ListPlatformApplications'),
    });
  });
});

describe('reading topics and subscriptions', () => {
  it('lists the topics', async () => {
    const { Topics } = await sns.send(new ListTopicsCommand({}));
    expect(Topics).toEqual([{ TopicArn: EVENTS }, { TopicArn: ORPHANS }]);
  });

  it("answers a topic's attributes", async () => {
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: EVENTS }));
    expect(Attributes).toMatchObject({
      TopicArn: EVENTS,
      Owner: ACCOUNT,
      SubscriptionsConfirmed: '5',
      Policy: is.stringContaining('"Resource":"arn:aws:sns:us-east-1:000000000000:events"'),
    });
  });

  it('lists the subscriptions, of all topics or of one', async () => {
    const all = await sns.send(new ListSubscriptionsCommand({}));
    const ofOrphans = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: ORPHANS }));
    expect(all.Subscriptions).toHaveLength(6);
    expect(ofOrphans.Subscriptions).toEqual([
      {
        SubscriptionArn: `${ORPHANS}:gone-0000-0000-0000-000000000000`,
        Owner: ACCOUNT,
        Protocol: 'sqs',
        Endpoint: queueArn('gone'),
        TopicArn: ORPHANS,
      },
    ]);
  });

  it("answers a subscription's attributes, its filter policy included", async () => {
    const { Attributes } = await sns.send(
      new GetSubscriptionAttributesCommand({
        SubscriptionArn: `${EVENTS}:filtered-0000-0000-0000-000000000000`,
      }),
    );
    expect(Attributes).toMatchObject({
      Protocol: 'sqs',
      Endpoint: queueArn('created-only'),
      RawMessageDelivery: 'true',
      FilterPolicy: '{"type":["item.created"]}',
      FilterPolicyScope: 'MessageAttributes',
    });
  });
});

describe('durability', () => {
  it("keeps an acknowledged publish's queue deliveries when the process dies right after", async () => {
    // Given a topic delivering to a queue whose service keeps a journal
    const directory = await mkdtemp(join(tmpdir(), 'topic-durability-'));
    const journalFile = join(directory, 'sqs.journal');
    const queueOptions = {
      queues: [queue('durable-inbox')],
      accountId: ACCOUNT,
      region: REGION,
      endpoint,
      journalFile,
      log: silentLog,
    };
    const crashedQueues = new QueueService(queueOptions);
    const durableTopics = new TopicService({
      resources: holding(
        [topic('events')],
        [subscription('durable', { endpoint: queueArn('durable-inbox') })],
      ),
      queues: crashedQueues,
      accountId: ACCOUNT,
      region: REGION,
      endpoint,
      log: silentLog,
    });

    // When a publish is acknowledged and the process dies (nothing stopped, nothing flushed)
    const { messageId } = durableTopics.publish(EVENTS, { message: 'kept' });
    const reopened = new QueueService(queueOptions);
    const [delivered] = await reopened.receive('durable-inbox', { maxMessages: 1 });
    await rm(directory, { recursive: true, force: true });

    // Then the delivery is in the queue a new service opens
    expect(JSON.parse(delivered?.body ?? '{}')).toMatchObject({ MessageId: messageId });
  });

  it('fails a publish whose queue could not keep the delivery, rather than acknowledge it', async () => {
    // Given a topic delivering to a queue service that has stopped (the local cloud stopping)
    const stoppedQueues = new QueueService({
      queues: [queue('closed-inbox')],
      accountId: ACCOUNT,
      region: REGION,
      endpoint,
      log: silentLog,
    });
    await stoppedQueues.stop();
    const closedTopics = new TopicService({
      resources: holding(
        [topic('events')],
        [subscription('closed', { endpoint: queueArn('closed-inbox') })],
      ),
      queues: stoppedQueues,
      accountId: ACCOUNT,
      region: REGION,
      endpoint,
      log: silentLog,
    });

    // When a message is published, then the publish fails with SNS's internal error
    expect(() => closedTopics.publish(EVENTS, { message: 'lost?' })).toThrow(
      expect.objectContaining({ code: 'InternalError', status: 500 }) as Error,
    );
  });
});
