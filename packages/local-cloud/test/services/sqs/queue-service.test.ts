import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { is } from '@serverless-week/test-support';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { createLog, silentLog } from '../../../src/log';
import { QueueService } from '../../../src/services/sqs/queue-service';
import type { QueueServiceOptions } from '../../../src/services/sqs/queue-service';
import type { QueueSpec } from '../../../src/stack/topology';
import { queueSpec as fixtureQueue } from '../../support/queue-fixtures';
import { serveQueues } from '../../support/served-queues';
import type { ServedQueues } from '../../support/served-queues';

/**
 * The local SQS through the real SQSClient (which checks the MD5 of every body it sends and
 * receives), against QueueService on an HTTP server. Time is the service's injectable clock,
 * moved forward by the tests instead of waiting.
 */

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const CREDENTIALS = DEFAULT_ADMIN_CREDENTIALS;

let served: ServedQueues;
let endpoint: string;
let queues: QueueService;
let sqs: SQSClient;
let clockOffsetMs = 0;
const clock = (): number => Date.now() + clockOffsetMs;
const advance = (seconds: number): void => {
  clockOffsetMs += seconds * 1000;
};

const queueSpec = (name: string, settings: Partial<QueueSpec> = {}): QueueSpec =>
  fixtureQueue(name, endpoint, settings);

const url = (name: string): string => `${endpoint}/${ACCOUNT}/${name}`;
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
/** What the queue service logged, as `npm start` prints it. */
const printed: string[] = [];

beforeAll(async () => {
  served = await serveQueues(
    (on) => {
      endpoint = on;
      return [
        ...[
          'basic',
          'attributes',
          'selected',
          'system',
          'visibility',
          'stale',
          'malformed',
          'change',
          'long-poll',
          'empty-poll',
          'validation',
          'batch',
          'batch-delete',
          'stats',
          'purged',
          'own-delay',
          'batch-visibility',
          'batch-too-long',
        ].map((name) => queueSpec(name)),
        queueSpec('delayed', { delaySeconds: 10 }),
        queueSpec('short-lived', { messageRetentionSeconds: 60 }),
        queueSpec('work', {
          redrive: {
            deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:work-dlq`,
            maxReceiveCount: 2,
          },
        }),
        queueSpec('work-dlq', { messageRetentionSeconds: 1209600 }),
        queueSpec('orders.fifo', { fifo: true }),
        queueSpec('app-one'),
        queueSpec('app-two'),
      ];
    },
    { now: clock, log: createLog({ sink: (line) => printed.push(line) }) },
  );
  queues = served.queues;
  sqs = new SQSClient({ region: REGION, endpoint, credentials: CREDENTIALS });
});

afterAll(async () => {
  sqs.destroy();
  await served.close();
});

async function receiveOne(name: string, options: { VisibilityTimeout?: number } = {}) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url(name), MaxNumberOfMessages: 1, ...options }),
  );
  return Messages[0];
}

describe('messages', () => {
  it('sends, receives and deletes a message, the SDK checking the body MD5 both ways', async () => {
    // Given a message sent to a queue
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: url('basic'), MessageBody: 'héllo 👋' }),
    );
    expect(sent.MD5OfMessageBody).toBe(md5('héllo 👋'));

    // When it is received and deleted
    const received = await receiveOne('basic');
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: url('basic'), ReceiptHandle: received?.ReceiptHandle }),
    );

    // Then it was the message sent, and the queue is empty
    expect(received).toMatchObject({ MessageId: sent.MessageId, Body: 'héllo 👋' });
    expect(queues.counts('basic')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('round-trips message attributes with the MD5 SQS documents for them', async () => {
    // Given the attributes of a published SQS example (digest 8ae21a79… on AWS)
    const MessageAttributes = {
      ccc: { DataType: 'String', StringValue: 'testjunk' },
      aaa: { DataType: 'Binary', BinaryValue: new Uint8Array([2, 3, 4]) },
      zzz: { DataType: 'Number', StringValue: '0230.01' },
      öther_encodings: { DataType: 'String', StringValue: 'Tüst' },
    };

    // When a message carries them
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url('attributes'),
        MessageBody: 'derp',
        MessageAttributes,
      }),
    );
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url('attributes'), MessageAttributeNames: ['All'] }),
    );

    // Then both answers carry the documented digest and the attributes come back as sent
    expect(sent.MD5OfMessageAttributes).toBe('8ae21a7957029ef04146b42aeaa18a22');
    expect(Messages[0]?.MD5OfMessageAttributes).toBe('8ae21a7957029ef04146b42aeaa18a22');
    expect(Messages[0]?.MessageAttributes).toEqual(MessageAttributes);
  });

  it('returns only the message attributes asked for, with the MD5 of those', async () => {
    // Given a message with three attributes
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: url('selected'),
        MessageBody: 'x',
        MessageAttributes: {
          'trace.id': { DataType: 'String', StringValue: 't-1' },
          'trace.span': { DataType: 'String', StringValue: 's-1' },
          type: { DataType: 'String', StringValue: 'created' },
        },
      }),
    );

    // When it is received asking for the trace.* family
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url('selected'), MessageAttributeNames: ['trace.*'] }),
    );

    // Then only those two come back
    expect(Object.keys(Messages[0]?.MessageAttributes ?? {}).sort()).toEqual([
      'trace.id',
      'trace.span',
    ]);
  });

  it('answers the system attributes asked for: sender, timestamps and receive count', async () => {
    // Given a message sent by a caller
    await sqs.send(new SendMessageCommand({ QueueUrl: url('system'), MessageBody: 'x' }));

    // When it is received asking for all system attributes
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url('system'), MessageSystemAttributeNames: ['All'] }),
    );

    // Then they are there, as strings
    expect(Messages[0]?.Attributes).toEqual({
      SenderId: CREDENTIALS.accessKeyId,
      SentTimestamp: is.stringMatching(/^\d{13}$/),
      ApproximateReceiveCount: '1',
      ApproximateFirstReceiveTimestamp: is.stringMatching(/^\d{13}$/),
    });
  });

  it('hides a received message until its visibility timeout expires', async () => {
    // Given a received message (visibility timeout 30 s)
    await sqs.send(new SendMessageCommand({ QueueUrl: url('visibility'), MessageBody: 'x' }));
    const first = await receiveOne('visibility');

    // When the queue is read again before and after the timeout
    const during = await receiveOne('visibility');
    advance(31);
    const after = await receiveOne('visibility');

    // Then it is hidden, then handed out again with a new receipt handle
    expect(during).toBeUndefined();
    expect(after?.MessageId).toBe(first?.MessageId);
    expect(after?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
  });

  it('accepts a stale receipt handle without deleting the message', async () => {
    // Given a message received twice (so its first receipt handle is stale)
    await sqs.send(new SendMessageCommand({ QueueUrl: url('stale'), MessageBody: 'x' }));
    const first = await receiveOne('stale', { VisibilityTimeout: 0 });
    await receiveOne('stale');

    // When it is deleted with the stale handle
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: url('stale'), ReceiptHandle: first?.ReceiptHandle }),
    );

    // Then SQS accepts the request and the message stays in flight
    expect(queues.counts('stale')).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
  });

  it('rejects a receipt handle it never issued with ReceiptHandleIsInvalid', async () => {
    // When a made-up handle is used
    const deleting = sqs.send(
      new DeleteMessageCommand({ QueueUrl: url('malformed'), ReceiptHandle: 'not-a-handle' }),
    );

    // Then SQS's error is thrown
    await expect(deleting).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('makes a message visible again when its visibility timeout is changed to 0', async () => {
    // Given a message in flight
    await sqs.send(new SendMessageCommand({ QueueUrl: url('change'), MessageBody: 'x' }));
    const first = await receiveOne('change');

    // When its visibility timeout is set to 0
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url('change'),
        ReceiptHandle: first?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );

    // Then it can be received at once
    expect((await receiveOne('change'))?.MessageId).toBe(first?.MessageId);
  });

  it('answers a long poll as soon as a message is sent', async () => {
    // Given a long poll waiting on an empty queue
    const polling = sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url('long-poll'), WaitTimeSeconds: 20 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));

    // When a message is sent
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: url('long-poll'), MessageBody: 'wake up' }),
    );

    // Then the poll answers with it (well before its 20 s: this test's timeout is 10 s)
    const { Messages = [] } = await polling;
    expect(Messages.map((message) => message.MessageId)).toEqual([sent.MessageId]);
  }, 10000);

  it('answers a long poll with no messages once its wait is over', async () => {
    // When an empty queue is polled for a second
    const answer = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url('empty-poll'), WaitTimeSeconds: 1 }),
    );

    // Then there are no messages
    expect(answer.Messages).toBeUndefined();
  });

  it("holds a new message back for the queue's delay", async () => {
    // Given a queue delaying messages by 10 s, and a message sent to it
    await sqs.send(new SendMessageCommand({ QueueUrl: url('delayed'), MessageBody: 'later' }));

    // When it is read before and after the delay
    const early = await receiveOne('delayed');
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url('delayed'),
        AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
      }),
    );
    advance(10);
    const late = await receiveOne('delayed');

    // Then it is delayed at first, then delivered
    expect(early).toBeUndefined();
    expect(Attributes).toEqual({ ApproximateNumberOfMessagesDelayed: '1' });
    expect(late?.Body).toBe('later');
  });

  it('holds a message back for its own DelaySeconds', async () => {
    // Given a message sent with a delay of 5 s to a queue without one
    await sqs.send(
      new SendMessageCommand({ QueueUrl: url('own-delay'), MessageBody: 'x', DelaySeconds: 5 }),
    );

    // When it is read before and after its delay
    const early = await receiveOne('own-delay');
    advance(5);
    const late = await receiveOne('own-delay');

    // Then it is only delivered after it
    expect(early).toBeUndefined();
    expect(late?.Body).toBe('x');
  });

  it('moves a message to the DLQ after maxReceiveCount receives, keeping its id and attributes', async () => {
    // Given a message received maxReceiveCount (2) times without being deleted
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url('work'),
        MessageBody: 'poison',
        MessageAttributes: { type: { DataType: 'String', StringValue: 'order' } },
      }),
    );
    await receiveOne('work');
    advance(31);
    await receiveOne('work');
    advance(31);

    // When it would be received a third time
    const third = await receiveOne('work');
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url('work-dlq'), MessageAttributeNames: ['All'] }),
    );

    // Then it is in the dead-letter queue instead
    expect(third).toBeUndefined();
    expect(Messages[0]).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'poison',
      MessageAttributes: { type: { DataType: 'String', StringValue: 'order' } },
    });
  });

  it('warns which queue dead-lettered which message to which queue, and why', async () => {
    // Given a message received maxReceiveCount (2) times without being deleted
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: url('work'), MessageBody: 'x' }),
    );
    await receiveOne('work');
    advance(31);
    await receiveOne('work');
    advance(31);
    printed.length = 0;

    // When it would be received a third time
    await receiveOne('work');

    // Then one warning names the source queue, the dead-letter queue, the message and the reason
    const warnings = printed.filter((line) => /^sqs +WARN /.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`message ${sent.MessageId ?? ''}`);
    expect(warnings[0]).toContain('from queue work to dead-letter queue work-dlq');
    expect(warnings[0]).toContain('received 2 times, maxReceiveCount 2');
  });

  it('drops messages older than the retention period', async () => {
    // Given a message on a queue keeping messages for 60 s
    await sqs.send(new SendMessageCommand({ QueueUrl: url('short-lived'), MessageBody: 'x' }));

    // When 61 s pass
    advance(61);

    // Then it is gone
    expect(await receiveOne('short-lived')).toBeUndefined();
    expect(queues.counts('short-lived')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('delivers a FIFO group in order, holding the group while a message is in flight', async () => {
    // Given three messages of one group and one of another
    for (const [body, group] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
      ['a3', 'a'],
    ] as const)
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: url('orders.fifo'),
          MessageBody: body,
          MessageGroupId: group,
          MessageDeduplicationId: body,
        }),
      );

    // When one message is received, then the rest
    const first = await receiveOne('orders.fifo');
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url('orders.fifo'), MaxNumberOfMessages: 10 }),
    );

    // Then group a starts in order and stays held while a1 is in flight
    expect(first?.Body).toBe('a1');
    expect(Messages.map((message) => message.Body)).toEqual(['b1']);
  });
});

describe('errors', () => {
  it('throws QueueDoesNotExist for a queue that does not exist', async () => {
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'missing' }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: url('missing'), MessageBody: 'x' })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('rejects an empty body as a missing parameter', async () => {
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: url('validation'), MessageBody: '' })),
    ).rejects.toMatchObject({ name: 'MissingParameter', $metadata: { httpStatusCode: 400 } });
  });

  it('rejects a message larger than the queue allows', async () => {
    await expect(
      sqs.send(
        new SendMessageCommand({ QueueUrl: url('validation'), MessageBody: 'x'.repeat(262145) }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: is.stringContaining('Message must be shorter than 262144 bytes'),
    });
  });

  it('rejects characters outside those SQS allows', async () => {
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: url('validation'), MessageBody: 'bell \u0007' })),
    ).rejects.toMatchObject({
      name: 'InvalidMessageContents',
      message: is.stringContaining("Invalid binary character '#x7'"),
    });
  });

  it('rejects an attribute of an unknown data type', async () => {
    await expect(
      sqs.send(
        new SendMessageCommand({
          QueueUrl: url('validation'),
          MessageBody: 'x',
          MessageAttributes: { a: { DataType: 'Text', StringValue: 'x' } },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: is.stringContaining('invalid message attribute type'),
    });
  });

  it('rejects MaxNumberOfMessages outside 1 to 10', async () => {
    await expect(
      sqs.send(new ReceiveMessageCommand({ QueueUrl: url('validation'), MaxNumberOfMessages: 11 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('answers an unknown operation with UnsupportedOperation naming it', async () => {
    // When an operation the local SQS does not have is called
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.StartMessageMoveTask',
      },
      body: JSON.stringify({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq' }),
    });

    // Then the JSON protocol's error names it
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-query-error')).toBe(
      'AWS.SimpleQueueService.UnsupportedOperation;Sender',
    );
    expect(await response.json()).toEqual({
      __type: 'com.amazonaws.sqs#UnsupportedOperation',
      message: is.stringContaining('StartMessageMoveTask'),
    });
  });
});

describe('batches', () => {
  it('sends the valid entries of a batch and reports the others as failed', async () => {
    // When a batch has one good entry and one with a forbidden character
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url('batch'),
        Entries: [
          { Id: 'good', MessageBody: 'fine' },
          { Id: 'bad', MessageBody: 'nul \u0000' },
        ],
      }),
    );

    // Then the good one is sent (the SDK checked its MD5) and the bad one is reported
    expect(result.Successful).toEqual([
      { Id: 'good', MessageId: is.any(String), MD5OfMessageBody: md5('fine') },
    ]);
    expect(result.Failed).toEqual([
      {
        Id: 'bad',
        SenderFault: true,
        Code: 'InvalidMessageContents',
        Message: is.stringContaining('#x0'),
      },
    ]);
    expect(queues.counts('batch').visible).toBe(1);
  });

  it('rejects a batch whose entries share an id', async () => {
    await expect(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url('batch'),
          Entries: [
            { Id: 'same', MessageBody: 'a' },
            { Id: 'same', MessageBody: 'b' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinct' });
  });

  it("refuses a batch whose messages together are over the queue's maximum, saying how much was sent", async () => {
    // When two messages of 150,000 bytes are sent together to a queue that takes 262,144
    const sending = sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url('batch-too-long'),
        Entries: [
          { Id: 'first', MessageBody: 'x'.repeat(150000) },
          { Id: 'second', MessageBody: 'y'.repeat(150000) },
        ],
      }),
    );

    // Then the whole batch is refused as SQS refuses it, and nothing is sent
    await expect(sending).rejects.toMatchObject({
      name: 'BatchRequestTooLong',
      message: 'Batch requests cannot be longer than 262144 bytes. You have sent 300000 bytes.',
      $metadata: { httpStatusCode: 400 },
    });
    expect(queues.counts('batch-too-long').visible).toBe(0);
  });

  it('deletes in batch, reporting an invalid receipt handle as a failed entry', async () => {
    // Given a received message
    await sqs.send(new SendMessageCommand({ QueueUrl: url('batch-delete'), MessageBody: 'x' }));
    const message = await receiveOne('batch-delete');

    // When it is deleted in a batch with a made-up handle
    const result = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url('batch-delete'),
        Entries: [
          { Id: 'real', ReceiptHandle: message?.ReceiptHandle },
          { Id: 'fake', ReceiptHandle: 'made-up' },
        ],
      }),
    );

    // Then the real one is deleted and the fake one reported
    expect(result.Successful).toEqual([{ Id: 'real' }]);
    expect(result.Failed).toEqual([
      {
        Id: 'fake',
        SenderFault: true,
        Code: 'ReceiptHandleIsInvalid',
        Message: is.any(String),
      },
    ]);
    expect(queues.counts('batch-delete')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
  it('changes visibility in batch, reporting a message gone as a failed entry', async () => {
    // Given a received message, and the handle of one deleted since
    await sqs.send(new SendMessageCommand({ QueueUrl: url('batch-visibility'), MessageBody: '1' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url('batch-visibility'), MessageBody: '2' }));
    const kept = await receiveOne('batch-visibility');
    const gone = await receiveOne('batch-visibility');
    await sqs.send(
      new DeleteMessageCommand({
        QueueUrl: url('batch-visibility'),
        ReceiptHandle: gone?.ReceiptHandle,
      }),
    );

    // When both are made visible again in one batch
    const result = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url('batch-visibility'),
        Entries: [
          { Id: 'kept', ReceiptHandle: kept?.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'gone', ReceiptHandle: gone?.ReceiptHandle, VisibilityTimeout: 0 },
        ],
      }),
    );

    // Then the first is visible again and the second reported
    expect(result.Successful).toEqual([{ Id: 'kept' }]);
    expect(result.Failed).toEqual([
      {
        Id: 'gone',
        SenderFault: true,
        Code: 'InvalidParameterValue',
        Message: is.stringContaining('Message does not exist or is not available'),
      },
    ]);
    expect(queues.counts('batch-visibility').visible).toBe(1);
  });
});

describe('queues', () => {
  it('tags a queue at creation, changes and removes tags, and lists them', async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'tagged', tags: { team: 'blue', cost: 'low' } }),
    );
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { team: 'green', env: 'local' } }));
    await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['cost'] }));

    const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl }));

    expect(Tags).toEqual({ team: 'green', env: 'local' });
  });

  it('answers GetQueueAttributes with message counts and the queue settings', async () => {
    // Given one visible and one in-flight message
    await sqs.send(new SendMessageCommand({ QueueUrl: url('stats'), MessageBody: '1' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url('stats'), MessageBody: '2' }));
    await receiveOne('stats');

    // When all attributes are asked for
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url('stats'), AttributeNames: ['All'] }),
    );

    // Then they describe the queue as SQS does
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:stats`,
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '1',
      ApproximateNumberOfMessagesDelayed: '0',
      VisibilityTimeout: '30',
      MessageRetentionPeriod: '345600',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      MaximumMessageSize: '262144',
      CreatedTimestamp: is.stringMatching(/^\d+$/),
    });
  });

  it('answers the redrive policy of a queue with a dead-letter queue', async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url('work'), AttributeNames: ['RedrivePolicy'] }),
    );
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:work-dlq`,
      maxReceiveCount: 2,
    });
  });

  it('lists the queues whose name starts with a prefix', async () => {
    const { QueueUrls } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'app-' }));
    expect(QueueUrls).toEqual([url('app-one'), url('app-two')]);
  });

  it('creates a queue at run time, on the local endpoint, idempotently', async () => {
    // When the same queue is created twice
    const first = await sqs.send(
      new CreateQueueCommand({ QueueName: 'runtime', Attributes: { VisibilityTimeout: '5' } }),
    );
    const second = await sqs.send(
      new CreateQueueCommand({ QueueName: 'runtime', Attributes: { VisibilityTimeout: '5' } }),
    );

    // Then both answer its URL on this endpoint, and it works
    expect(first.QueueUrl).toBe(url('runtime'));
    expect(second.QueueUrl).toBe(url('runtime'));
    await sqs.send(new SendMessageCommand({ QueueUrl: url('runtime'), MessageBody: 'x' }));
    expect(queues.counts('runtime').visible).toBe(1);
  });

  it('refuses to create a queue that exists with different attributes', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'settled' }));
    await expect(
      sqs.send(
        new CreateQueueCommand({ QueueName: 'settled', Attributes: { VisibilityTimeout: '99' } }),
      ),
    ).rejects.toBeInstanceOf(QueueNameExists);
  });

  it('deletes a queue', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'doomed' }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url('doomed') }));
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'doomed' }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
  });

  it('purges every message of a queue', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: url('purged'), MessageBody: '1' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url('purged'), MessageBody: '2' }));
    await receiveOne('purged');

    await sqs.send(new PurgeQueueCommand({ QueueUrl: url('purged') }));

    expect(queues.counts('purged')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });
});

describe('in process', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'queue-service-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const options = (journalFile: string, specs: QueueSpec[]): QueueServiceOptions => ({
    queues: specs,
    accountId: ACCOUNT,
    region: REGION,
    endpoint: 'http://127.0.0.1:4566',
    journalFile,
    log: silentLog,
  });

  it('keeps messages across two instances sharing a journal', async () => {
    // Given a message sent and one received on a first instance, which stops
    const journalFile = join(directory, 'kept.journal');
    const first = new QueueService(options(journalFile, [queueSpec('kept')]));
    first.send('kept', { body: 'in flight' });
    await first.receive('kept', { maxMessages: 1 });
    const waiting = first.send('kept', { body: 'still here' });
    await first.stop();

    // When a second instance starts from the same journal
    const second = new QueueService(options(journalFile, [queueSpec('kept')]));
    const [message] = await second.receive('kept', { maxMessages: 10 });
    await second.stop();

    // Then the waiting message is there, and the one in flight still is
    expect(message?.messageId).toBe(waiting.messageId);
    expect(second.counts('kept')).toEqual({ visible: 0, inFlight: 2, delayed: 0 });
  });

  it('drops the messages of a queue the stack no longer has, keeping queues created at run time', async () => {
    // Given messages on a stack queue and on a queue created at run time
    const journalFile = join(directory, 'changed-stack.journal');
    const first = new QueueService(options(journalFile, [queueSpec('retired')]));
    first.createQueue('made-at-run-time');
    first.send('retired', { body: 'x' });
    first.send('made-at-run-time', { body: 'y' });
    await first.stop();

    // When the next boot's stack no longer has the stack queue
    const second = new QueueService(options(journalFile, []));
    await second.stop();

    // Then only the queue created at run time is back, with its message
    expect(second.queue('retired')).toBeUndefined();
    expect(second.counts('made-at-run-time').visible).toBe(1);
  });

  it('finds a queue by ARN, by URL on any host and by name', () => {
    const service = new QueueService({
      ...options('', [queueSpec('found')]),
      journalFile: undefined,
    });
    expect(service.queue(`arn:aws:sqs:${REGION}:${ACCOUNT}:found`)?.name).toBe('found');
    expect(service.queue(`http://localhost:9999/${ACCOUNT}/found`)?.name).toBe('found');
    expect(service.queue('found')?.name).toBe('found');
  });

  it('releases pending long polls with no messages when stopped', async () => {
    // Given a long poll on an empty queue
    const service = new QueueService({
      ...options('', [queueSpec('idle')]),
      journalFile: undefined,
    });
    const polling = service.receive('idle', { maxMessages: 1, waitTimeSeconds: 20 });

    // When the service stops
    await service.stop();

    // Then the poll answers with nothing (this test's timeout is far below 20 s)
    await expect(polling).resolves.toEqual([]);
  }, 5000);
});
