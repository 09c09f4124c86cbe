/**
 * SQS operations as IAM sees them (src/iam/actions/sqs-actions.ts),
 * through authorizationsFor: the requests are the real ones the SDK's SQSClient sends to a
 * recording endpoint (see ../support/sdk-requests.ts).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { authorizationsFor } from '../../../src/iam/request-authorizations';
import { context, incoming, only, recordSdkRequests } from '../support/sdk-requests';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:jobs';

const sdk = recordSdkRequests();
const { received, authorizationsOf } = sdk;
let sqs: SQSClient;

beforeAll(() => {
  sqs = sdk.client((config) => new SQSClient(config));
});

describe('SQS', () => {
  const QueueUrl = 'http://127.0.0.1:4566/000000000000/jobs';

  it('authorizes SendMessage on the queue the URL names, in the URL’s account', async () => {
    const authorizations = await authorizationsOf(() =>
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' })),
    );

    expect(authorizations).toEqual(only('sqs:SendMessage', QUEUE));
  });

  it('reads the region and account of an AWS queue URL', async () => {
    const authorizations = await authorizationsOf(() =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/210987654321/remote',
          MessageBody: 'x',
        }),
      ),
    );

    expect(authorizations).toEqual(
      only('sqs:SendMessage', 'arn:aws:sqs:eu-west-1:210987654321:remote'),
    );
  });

  it.each<[string, string, () => Promise<unknown>]>([
    [
      'SendMessageBatch',
      'sqs:SendMessage',
      () =>
        sqs.send(
          new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: '1', MessageBody: 'x' }] }),
        ),
    ],
    [
      'ReceiveMessage',
      'sqs:ReceiveMessage',
      () => sqs.send(new ReceiveMessageCommand({ QueueUrl })),
    ],
    [
      'DeleteMessage',
      'sqs:DeleteMessage',
      () => sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'r' })),
    ],
    [
      'DeleteMessageBatch',
      'sqs:DeleteMessage',
      () =>
        sqs.send(
          new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: '1', ReceiptHandle: 'r' }] }),
        ),
    ],
    [
      'ChangeMessageVisibility',
      'sqs:ChangeMessageVisibility',
      () =>
        sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl,
            ReceiptHandle: 'r',
            VisibilityTimeout: 5,
          }),
        ),
    ],
    [
      'ChangeMessageVisibilityBatch',
      'sqs:ChangeMessageVisibility',
      () =>
        sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl,
            Entries: [{ Id: '1', ReceiptHandle: 'r', VisibilityTimeout: 5 }],
          }),
        ),
    ],
    [
      'GetQueueAttributes',
      'sqs:GetQueueAttributes',
      () => sqs.send(new GetQueueAttributesCommand({ QueueUrl })),
    ],
    [
      'SetQueueAttributes',
      'sqs:SetQueueAttributes',
      () =>
        sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: '1' } })),
    ],
    ['PurgeQueue', 'sqs:PurgeQueue', () => sqs.send(new PurgeQueueCommand({ QueueUrl }))],
    ['DeleteQueue', 'sqs:DeleteQueue', () => sqs.send(new DeleteQueueCommand({ QueueUrl }))],
    [
      'ListDeadLetterSourceQueues',
      'sqs:ListDeadLetterSourceQueues',
      () => sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl })),
    ],
    [
      'TagQueue',
      'sqs:TagQueue',
      () => sqs.send(new TagQueueCommand({ QueueUrl, Tags: { a: 'b' } })),
    ],
    [
      'UntagQueue',
      'sqs:UntagQueue',
      () => sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['a'] })),
    ],
    ['ListQueueTags', 'sqs:ListQueueTags', () => sqs.send(new ListQueueTagsCommand({ QueueUrl }))],
    [
      'StartMessageMoveTask',
      'sqs:StartMessageMoveTask',
      () => sqs.send(new StartMessageMoveTaskCommand({ SourceArn: QUEUE })),
    ],
  ])('authorizes %s with %s on the queue', async (_operation, action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(action, QUEUE));
  });

  it('authorizes GetQueueUrl on the queue its name and owner account name', async () => {
    const authorizations = await authorizationsOf(() =>
      sqs.send(
        new GetQueueUrlCommand({ QueueName: 'jobs', QueueOwnerAWSAccountId: '000000000000' }),
      ),
    );

    expect(authorizations).toEqual(only('sqs:GetQueueUrl', QUEUE));
  });

  it('authorizes GetQueueUrl without an owner in the caller’s account', async () => {
    const authorizations = await authorizationsOf(() =>
      sqs.send(new GetQueueUrlCommand({ QueueName: 'jobs' })),
    );

    expect(authorizations).toEqual(
      only('sqs:GetQueueUrl', 'arn:aws:sqs:us-east-1:123456789012:jobs'),
    );
  });

  it('authorizes CreateQueue on the queue it will create', async () => {
    const authorizations = await authorizationsOf(() =>
      sqs.send(
        new CreateQueueCommand({ QueueName: 'fresh.fifo', Attributes: { FifoQueue: 'true' } }),
      ),
    );

    expect(authorizations).toEqual(
      only('sqs:CreateQueue', 'arn:aws:sqs:us-east-1:123456789012:fresh.fifo'),
    );
  });

  it('authorizes ListQueues on every resource', async () => {
    const authorizations = await authorizationsOf(() => sqs.send(new ListQueuesCommand({})));

    expect(authorizations).toEqual(only('sqs:ListQueues', '*'));
  });

  it('reads the query protocol of older SDKs, posted to the queue’s URL', async () => {
    const request = await received(async () => {
      const response = await fetch(`${sdk.endpoint}/000000000000/jobs`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization:
            `AWS4-HMAC-SHA256 Credential=${sdk.config.credentials.accessKeyId}/20261126/us-east-1/sqs/aws4_request, ` +
            'SignedHeaders=host;x-amz-date, Signature=0000',
        },
        body: 'Action=SendMessage&MessageBody=hi&Version=2012-11-05',
      });
      await response.arrayBuffer();
    });

    const authorizations = authorizationsFor(incoming(request), context);

    expect(authorizations).toEqual(only('sqs:SendMessage', QUEUE));
  });

  it('authorizes an operation it does not know with sqs:<operation> on every resource', async () => {
    const request = await received(() =>
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })),
    );

    const authorizations = authorizationsFor(
      {
        ...incoming(request),
        headers: { ...request.headers, 'x-amz-target': 'AmazonSQS.Frobnicate' },
      },
      context,
    );

    expect(authorizations).toEqual(only('sqs:Frobnicate', '*'));
  });
});
