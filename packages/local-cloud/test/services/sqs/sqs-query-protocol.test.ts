import { createHash } from 'node:crypto';
import SQS from 'aws-sdk/clients/sqs';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { FIXTURE_ACCOUNT, FIXTURE_REGION, queueSpec } from '../../support/queue-fixtures';
import { sdkV2Error } from '../../support/sdk-v2-error';
import { serveQueues } from '../../support/served-queues';
import type { ServedQueues } from '../../support/served-queues';

/**
 * SQS's Query protocol (form in, XML out) served beside the JSON one, as AWS serves both: driven
 * by the AWS SDK for JavaScript v2 (2.1490.0, from before SQS moved its SDKs to JSON; it checks
 * the MD5 of every body it sends and receives) and by hand-written forms for the wire shapes.
 */

const ACCOUNT = FIXTURE_ACCOUNT;
/** The edge routes a request by its credential scope; nothing here checks the signature. */
const SQS_SCOPE =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sqs/aws4_request, ' +
  'SignedHeaders=host, Signature=0';

let served: ServedQueues;
let endpoint: string;
let queues: ServedQueues['queues'];
let sqs: SQS;

const url = (name: string): string => `${endpoint}/${ACCOUNT}/${name}`;
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

beforeAll(async () => {
  served = await serveQueues((on) =>
    ['basic', 'attributes', 'batch', 'escaped', 'json', 'by-path', 'by-get', 'visibility'].map(
      (name) => queueSpec(name, on),
    ),
  );
  ({ endpoint, queues } = served);
  sqs = new SQS({
    apiVersion: '2012-11-05',
    endpoint,
    region: FIXTURE_REGION,
    credentials: DEFAULT_ADMIN_CREDENTIALS,
  });
});

afterAll(async () => {
  await served.close();
});

/** A Query request as a form, posted to `path` (the endpoint's root unless told). */
async function postForm(
  params: Record<string, string>,
  options: { path?: string; accept?: string } = {},
): Promise<Response> {
  return fetch(`${endpoint}${options.path ?? '/'}`, {
    method: 'POST',
    headers: {
      authorization: SQS_SCOPE,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      ...(options.accept ? { accept: options.accept } : {}),
    },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
  });
}

describe('the AWS SDK for JavaScript v2 (Query protocol)', () => {
  it('sends, receives and deletes a message with attributes, the SDK checking every MD5', async () => {
    // Given a message with a string and a binary attribute, sent with the Query protocol
    const body = 'héllo <&> 👋';
    const sent = await sqs
      .sendMessage({
        QueueUrl: url('basic'),
        MessageBody: body,
        MessageAttributes: {
          colour: { DataType: 'String', StringValue: 'blue & <green>' },
          raw: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      })
      .promise();

    // When it is received with its attributes, then deleted
    const { Messages = [] } = await sqs
      .receiveMessage({
        QueueUrl: url('basic'),
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      })
      .promise();
    const [received] = Messages;
    await sqs
      .deleteMessage({ QueueUrl: url('basic'), ReceiptHandle: received?.ReceiptHandle ?? '' })
      .promise();

    // Then it is the message sent, attributes and all, and the queue is empty
    expect(sent.MD5OfMessageBody).toBe(md5(body));
    expect(received).toMatchObject({
      MessageId: sent.MessageId,
      Body: body,
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      Attributes: { ApproximateReceiveCount: '1' },
      MessageAttributes: {
        colour: { DataType: 'String', StringValue: 'blue & <green>' },
        raw: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
      },
    });
    expect(queues.counts('basic')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('gets a queue’s URL, sets its attributes and reads them back', async () => {
    const { QueueUrl } = await sqs.getQueueUrl({ QueueName: 'attributes' }).promise();
    await sqs
      .setQueueAttributes({
        QueueUrl: QueueUrl ?? '',
        Attributes: { VisibilityTimeout: '45', DelaySeconds: '2' },
      })
      .promise();

    const { Attributes } = await sqs
      .getQueueAttributes({
        QueueUrl: QueueUrl ?? '',
        AttributeNames: ['VisibilityTimeout', 'DelaySeconds', 'QueueArn'],
      })
      .promise();

    expect(QueueUrl).toBe(url('attributes'));
    expect(Attributes).toEqual({
      VisibilityTimeout: '45',
      DelaySeconds: '2',
      QueueArn: `arn:aws:sqs:${FIXTURE_REGION}:${ACCOUNT}:attributes`,
    });
  });

  it('sends, changes the visibility of and deletes messages in batches, naming failed entries', async () => {
    // Given two messages sent in one batch and received
    const sent = await sqs
      .sendMessageBatch({
        QueueUrl: url('batch'),
        Entries: [
          { Id: 'one', MessageBody: 'first' },
          { Id: 'two', MessageBody: 'second', DelaySeconds: 0 },
        ],
      })
      .promise();
    const { Messages = [] } = await sqs
      .receiveMessage({ QueueUrl: url('batch'), MaxNumberOfMessages: 10 })
      .promise();
    const handles = Messages.map((message) => message.ReceiptHandle ?? '');

    // When their visibility is changed and they are deleted, with one unknown handle each time
    const changed = await sqs
      .changeMessageVisibilityBatch({
        QueueUrl: url('batch'),
        Entries: [
          ...handles.map((handle, index) => ({
            Id: `m${index}`,
            ReceiptHandle: handle,
            VisibilityTimeout: 60,
          })),
          { Id: 'bogus', ReceiptHandle: 'not-a-handle', VisibilityTimeout: 60 },
        ],
      })
      .promise();
    const deleted = await sqs
      .deleteMessageBatch({
        QueueUrl: url('batch'),
        Entries: [
          ...handles.map((handle, index) => ({ Id: `m${index}`, ReceiptHandle: handle })),
          { Id: 'bogus', ReceiptHandle: 'not-a-handle' },
        ],
      })
      .promise();

    // Then every real entry succeeded, and the unknown handle failed by its Id, as the sender's fault
    expect(sent.Successful.map((entry) => entry.Id)).toEqual(['one', 'two']);
    expect(sent.Failed).toEqual([]);
    expect(Messages.map((message) => message.Body).sort()).toEqual(['first', 'second']);
    expect(changed.Successful.map((entry) => entry.Id)).toEqual(['m0', 'm1']);
    expect(deleted.Successful.map((entry) => entry.Id)).toEqual(['m0', 'm1']);
    for (const result of [changed, deleted])
      expect(result.Failed).toEqual([
        {
          Id: 'bogus',
          SenderFault: true,
          Code: 'ReceiptHandleIsInvalid',
          Message: expect.stringContaining('not-a-handle') as unknown,
        },
      ]);
    expect(queues.counts('batch')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('creates, lists, purges and deletes a queue', async () => {
    const { QueueUrl = '' } = await sqs
      .createQueue({ QueueName: 'made-by-v2', Attributes: { MessageRetentionPeriod: '600' } })
      .promise();
    await sqs.sendMessage({ QueueUrl, MessageBody: 'x' }).promise();
    const listed = await sqs.listQueues({ QueueNamePrefix: 'made-by' }).promise();
    await sqs.purgeQueue({ QueueUrl }).promise();
    const counted = queues.counts('made-by-v2');
    await sqs.deleteQueue({ QueueUrl }).promise();

    expect(listed.QueueUrls).toEqual([QueueUrl]);
    expect(counted).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(queues.queue('made-by-v2')).toBeUndefined();
  });

  it('tags a queue at creation, changes and removes tags, and lists them', async () => {
    const { QueueUrl = '' } = await sqs
      .createQueue({ QueueName: 'tagged-by-v2', tags: { team: 'blue', 'cost centre': 'a&b' } })
      .promise();
    await sqs.tagQueue({ QueueUrl, Tags: { team: 'green', env: 'local' } }).promise();
    await sqs.untagQueue({ QueueUrl, TagKeys: ['cost centre'] }).promise();

    const { Tags } = await sqs.listQueueTags({ QueueUrl }).promise();

    expect(Tags).toEqual({ team: 'green', env: 'local' });
  });

  it('raises the legacy Query error codes: a missing queue, an invalid receipt handle', async () => {
    const missing = await sdkV2Error(
      sqs.sendMessage({ QueueUrl: url('no-such-queue'), MessageBody: 'x' }).promise(),
    );
    const badHandle = await sdkV2Error(
      sqs.deleteMessage({ QueueUrl: url('basic'), ReceiptHandle: 'not-a-handle' }).promise(),
    );

    expect(missing).toMatchObject({
      code: 'AWS.SimpleQueueService.NonExistentQueue',
      statusCode: 400,
      message: 'The specified queue does not exist.',
    });
    expect(badHandle).toMatchObject({ code: 'ReceiptHandleIsInvalid', statusCode: 404 });
  });
});

describe('the Query protocol on the wire', () => {
  it('answers SendMessage in AWS’s XML, with the result and the request id', async () => {
    const answer = await postForm({
      Action: 'SendMessage',
      QueueUrl: url('escaped'),
      MessageBody: 'a',
    });

    const xml = await answer.text();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/xml');
    expect(xml).toMatch(
      new RegExp(
        '^<\\?xml version="1.0"\\?><SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">' +
          `<SendMessageResult><MessageId>[0-9a-f-]{36}</MessageId><MD5OfMessageBody>${md5('a')}</MD5OfMessageBody></SendMessageResult>` +
          '<ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata></SendMessageResponse>$',
      ),
    );
  });

  it('escapes what the XML carries: a body with markup, ampersands and unicode comes back intact', async () => {
    const body = '</Body><evil>&amp; "quoted" \'single\' ünïcode 👋';
    await postForm({ Action: 'SendMessage', QueueUrl: url('escaped'), MessageBody: body });

    const answer = await postForm({
      Action: 'ReceiveMessage',
      QueueUrl: url('escaped'),
      MaxNumberOfMessages: '10',
    });

    const xml = await answer.text();
    expect(xml).toContain(
      '<Body>&lt;/Body&gt;&lt;evil&gt;&amp;amp; &quot;quoted&quot; &apos;single&apos; ünïcode 👋</Body>',
    );
    expect(xml).not.toContain('<evil>');
  });

  it('answers as JSON in the same shape when the client accepts JSON, as API Gateway’s integrations do', async () => {
    const answer = await postForm(
      { Action: 'SendMessage', QueueUrl: url('json'), MessageBody: '{"hello":"world"}' },
      { accept: 'application/json' },
    );

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(await answer.json()).toEqual({
      SendMessageResponse: {
        SendMessageResult: {
          MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
          MD5OfMessageBody: md5('{"hello":"world"}'),
        },
        ResponseMetadata: { RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown },
      },
    });
  });

  it('takes the queue from the URL a form is posted to, as AWS’s queue URLs are used', async () => {
    const answer = await postForm(
      { Action: 'SendMessage', MessageBody: 'by path' },
      { path: `/${ACCOUNT}/by-path` },
    );

    expect(answer.status).toBe(200);
    expect(queues.counts('by-path').visible).toBe(1);
  });

  it('reads a GET request’s query string, flattened lists and all', async () => {
    await postForm({ Action: 'SendMessage', QueueUrl: url('by-get'), MessageBody: 'x' });
    const query = new URLSearchParams({
      Action: 'GetQueueAttributes',
      Version: '2012-11-05',
      'AttributeName.1': 'ApproximateNumberOfMessages',
      'AttributeName.2': 'QueueArn',
    });

    const answer = await fetch(`${url('by-get')}?${query.toString()}`, {
      headers: { authorization: SQS_SCOPE },
    });

    expect(await answer.text()).toContain(
      '<GetQueueAttributesResult>' +
        '<Attribute><Name>ApproximateNumberOfMessages</Name><Value>1</Value></Attribute>' +
        `<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:${FIXTURE_REGION}:${ACCOUNT}:by-get</Value></Attribute>` +
        '</GetQueueAttributesResult>',
    );
  });

  it('answers an operation without a result with only its response metadata', async () => {
    await postForm({ Action: 'SendMessage', QueueUrl: url('visibility'), MessageBody: 'x' });
    const received = await postForm({ Action: 'ReceiveMessage', QueueUrl: url('visibility') });
    const handle = /<ReceiptHandle>([^<]+)<\/ReceiptHandle>/.exec(await received.text())?.[1];

    const answer = await postForm({
      Action: 'ChangeMessageVisibility',
      QueueUrl: url('visibility'),
      ReceiptHandle: handle ?? '',
      VisibilityTimeout: '0',
    });

    expect(await answer.text()).toMatch(
      /^<\?xml version="1.0"\?><ChangeMessageVisibilityResponse xmlns="[^"]+"><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/ChangeMessageVisibilityResponse>$/,
    );
    expect(queues.counts('visibility').visible).toBe(1);
  });

  it('answers an error with AWS’s ErrorResponse document and the legacy code', async () => {
    const answer = await postForm({
      Action: 'GetQueueUrl',
      QueueName: 'no-such-queue',
    });

    expect(answer.status).toBe(400);
    expect(await answer.text()).toMatch(
      /^<\?xml version="1.0"\?><ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AWS.SimpleQueueService.NonExistentQueue<\/Code><Message>The specified queue does not exist.<\/Message><Detail\/><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
  });

  it('answers a missing parameter and an unknown action by their Query codes', async () => {
    const missing = await postForm({ Action: 'SendMessage', MessageBody: 'x' });
    const unknown = await postForm({ Action: 'Frobnicate' }, { accept: 'application/json' });

    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('<Code>MissingParameter</Code>');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      Error: { Type: 'Sender', Code: 'InvalidAction' },
    });
  });
});
