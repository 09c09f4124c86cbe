/**
 * The events API's functions: publishNotification (SNS), receiveMessages and deleteMessage (the
 * inbox queue; POST /messages is API Gateway's own SQS integration, with no function). SNS and SQS cannot run here: their clients are mocked, and the specs check what
 * was sent.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { is } from '@serverless-week/test-support';
import type { InboxMessage } from '../../handlers/lib/inbox';
import { CORS_HEADERS, jsonBody, loadApi } from '../support/api-gateway-event';
import type { ApiCaller } from '../support/api-gateway-event';
import { publishedEvents } from '../support/aws-mocks';
import { APP_ENV, startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

type Operation = 'publishNotification' | 'receiveMessages' | 'deleteMessage';

const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
let app: TestApp;
let call: ApiCaller<Operation>;

beforeAll(async () => {
  app = await startTestApp();
  call = await loadApi('publishNotification', 'receiveMessages', 'deleteMessage');
});

afterAll(async () => {
  await app?.stop();
  sns.restore();
  sqs.restore();
});

beforeEach(() => {
  sns.reset();
  sqs.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-message-id' });
});

describe('POST /notifications (publishNotification)', () => {
  it('given a message, when it is published, then the topic receives a notification envelope and it answers 202 with the message id', async () => {
    const before = new Date().toISOString();

    const result = await call('publishNotification', { body: { message: 'Hello, world' } });

    expect(result.statusCode).toBe(202);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(jsonBody(result)).toEqual({ messageId: 'sns-message-id' });
    const [published, ...others] = publishedEvents(sns);
    expect(others).toEqual([]);
    expect(published).toEqual({
      topicArn: APP_ENV.EVENTS_TOPIC_ARN,
      typeAttribute: { DataType: 'String', StringValue: 'notification' },
      subject: undefined,
      envelope: {
        id: is.stringMatching(/^notification-[0-9a-f-]{36}$/),
        type: 'notification',
        occurredAt: is.any(String),
        detail: { message: 'Hello, world' },
      },
    });
    expect((published?.envelope.occurredAt ?? '') >= before).toBe(true);
  });

  it('given a type and a subject, when it is published, then the type attribute and the SNS subject carry them', async () => {
    await call('publishNotification', {
      body: { message: 'Sale starts', subject: 'Sale', type: 'promo.started' },
    });

    expect(publishedEvents(sns)).toEqual([
      is.objectContaining({
        typeAttribute: { DataType: 'String', StringValue: 'promo.started' },
        subject: 'Sale',
        envelope: is.objectContaining({
          type: 'promo.started',
          detail: { message: 'Sale starts', subject: 'Sale' },
        }),
      }),
    ]);
  });

  it.each([
    { case: 'a subject that is not printable ASCII', body: { message: 'Hi', subject: 'Café' } },
    { case: 'an empty message', body: { message: '' } },
    { case: 'a type with capitals', body: { message: 'Hi', type: 'Promo' } },
  ])(
    'given $case, when it is published, then it answers 400 and nothing reaches the topic',
    async ({ body }) => {
      const result = await call('publishNotification', { body });

      expect(result.statusCode).toBe(400);
      expect(result.headers).toMatchObject(CORS_HEADERS);
      expect(sns.calls()).toHaveLength(0);
    },
  );

  it('given the topic fails, when a notification is published, then it answers 500 with the CORS headers and no details', async () => {
    sns.on(PublishCommand).rejects(new Error('AuthorizationError: not allowed to publish'));

    const result = await call('publishNotification', { body: { message: 'Hi' } });

    expect(result.statusCode).toBe(500);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(jsonBody(result)).toEqual({ message: 'Internal server error' });
  });
});

describe('GET /messages (receiveMessages)', () => {
  const SENT = Date.UTC(2025, 0, 2, 3, 4, 5);
  const fannedOutEvent = JSON.stringify({ id: 'item.created-1', type: 'item.created' });
  /** Real SQS receipt handles are base64 with `/`, `+` and `=`, which a URL path cannot carry as is. */
  const HANDLE = 'AQEBzW4+x/3kR2v0Ka1b/Zp+qQ==';

  /** As SQS returns them: one sent directly, one fanned out from the topic. */
  const queued: Message[] = [
    {
      MessageId: 'sqs-1',
      ReceiptHandle: HANDLE,
      Body: 'Remember the milk',
      Attributes: { SentTimestamp: String(SENT) },
    },
    {
      MessageId: 'sqs-2',
      ReceiptHandle: 'receipt-2',
      Body: JSON.stringify({
        Type: 'Notification',
        MessageId: 'sns-2',
        TopicArn: APP_ENV.EVENTS_TOPIC_ARN,
        Message: fannedOutEvent,
        Timestamp: new Date(SENT).toISOString(),
        SignatureVersion: '1',
        Signature: 'c2lnbmF0dXJl',
        SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/cert.pem',
        UnsubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe',
        MessageAttributes: { type: { Type: 'String', Value: 'item.created' } },
      }),
      Attributes: { SentTimestamp: String(SENT + 1000) },
    },
  ];

  it('given queued messages, when they are received, then it asks the inbox queue for up to 10 with a short wait, hidden for 30 seconds', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [] });

    await call('receiveMessages');

    expect(
      sqs.commandCalls(ReceiveMessageCommand).map(({ args: [command] }) => command.input),
    ).toEqual([
      {
        QueueUrl: APP_ENV.INBOX_QUEUE_URL,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 30,
        MessageSystemAttributeNames: ['SentTimestamp'],
      },
    ]);
  });

  it('given max=3, when messages are received, then at most 3 are asked for', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [] });

    await call('receiveMessages', { query: { max: '3' } });

    expect(sqs.commandCalls(ReceiveMessageCommand)[0]?.args[0].input.MaxNumberOfMessages).toBe(3);
  });

  it('given queued messages, when they are received, then each comes with a URL-safe receipt, SNS envelopes unwrapped, and none is deleted', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: queued });

    const result = await call('receiveMessages');

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject(CORS_HEADERS);
    expect(jsonBody(result)).toEqual({
      messages: [
        {
          id: 'sqs-1',
          body: 'Remember the milk',
          sentAt: new Date(SENT).toISOString(),
          receipt: is.stringMatching(/^[A-Za-z0-9_-]+$/),
        },
        {
          id: 'sqs-2',
          body: fannedOutEvent,
          sentAt: new Date(SENT + 1000).toISOString(),
          receipt: is.stringMatching(/^[A-Za-z0-9_-]+$/),
          type: 'item.created',
        },
      ],
      visibilityTimeout: 30,
    });
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageBatchCommand)).toHaveLength(0);
  });

  it('given a received message, when its receipt is acknowledged, then SQS deletes it by its own receipt handle', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: queued });
    sqs.on(DeleteMessageCommand).resolves({});
    const [first] = jsonBody<{ messages: InboxMessage[] }>(await call('receiveMessages')).messages;

    const result = await call('deleteMessage', {
      pathParameters: { receipt: first?.receipt ?? '' },
    });

    expect(result).toEqual({
      statusCode: 204,
      headers: is.objectContaining(CORS_HEADERS),
      body: '',
    });
    expect(
      sqs.commandCalls(DeleteMessageCommand).map(({ args: [command] }) => command.input),
    ).toEqual([{ QueueUrl: APP_ENV.INBOX_QUEUE_URL, ReceiptHandle: HANDLE }]);
  });

  it('given an empty queue, when messages are received, then the list is empty', async () => {
    sqs.on(ReceiveMessageCommand).resolves({});

    const result = await call('receiveMessages');

    expect(result.statusCode).toBe(200);
    expect(jsonBody(result)).toEqual({ messages: [], visibilityTimeout: 30 });
  });

  it.each(['0', '11', 'all'])(
    'given max=%s, when messages are received, then it answers 400 and the queue is not touched',
    async (max) => {
      const result = await call('receiveMessages', { query: { max } });

      expect(result.statusCode).toBe(400);
      expect(result.headers).toMatchObject(CORS_HEADERS);
      expect(sqs.calls()).toHaveLength(0);
    },
  );
});

describe('DELETE /messages/{receipt} (deleteMessage)', () => {
  const receiptOf = (handle: string): string => Buffer.from(handle).toString('base64url');

  it('given a receipt SQS no longer knows (expired, or never issued), when it is acknowledged, then it answers 404, not 500', async () => {
    sqs
      .on(DeleteMessageCommand)
      .rejects(
        new ReceiptHandleIsInvalid({ message: 'The receipt handle has expired.', $metadata: {} }),
      );

    const result = await call('deleteMessage', {
      pathParameters: { receipt: receiptOf('AQEBexpired/handle+==') },
    });

    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject({ ...CORS_HEADERS, 'Content-Type': 'application/json' });
    expect(jsonBody(result)).toEqual({ message: is.any(String) });
  });

  it('given the same receipt twice, when both are acknowledged, then both answer 204 (as SQS accepts)', async () => {
    sqs.on(DeleteMessageCommand).resolves({});
    const receipt = receiptOf('AQEBtwice');

    const answers = [
      await call('deleteMessage', { pathParameters: { receipt } }),
      await call('deleteMessage', { pathParameters: { receipt } }),
    ];

    expect(answers.map((answer) => answer.statusCode)).toEqual([204, 204]);
  });

  it.each([
    { case: 'characters base64url has not', receipt: 'not+a/receipt=' },
    { case: 'padding', receipt: 'YQ==' },
    { case: 'one that decodes to nothing', receipt: 'A' },
    { case: 'a second spelling of a receipt (stray bits)', receipt: 'YR' },
    { case: 'one that decodes to a control character', receipt: receiptOf('\u0001') },
    { case: 'one that decodes to text that is not UTF-8', receipt: '__8' },
    { case: 'one longer than any receipt', receipt: 'A'.repeat(2049) },
  ])(
    'given a receipt with $case, when it is acknowledged, then it answers 400 naming it and SQS is not called',
    async ({ receipt }) => {
      const result = await call('deleteMessage', { pathParameters: { receipt } });

      expect(result.statusCode).toBe(400);
      expect(result.headers).toMatchObject(CORS_HEADERS);
      expect(jsonBody(result)).toEqual({
        message: is.any(String),
        errors: [{ path: 'path.receipt', message: is.any(String) }],
      });
      expect(sqs.calls()).toHaveLength(0);
    },
  );
});
