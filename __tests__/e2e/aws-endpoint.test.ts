/**
 * The AWS endpoint of the local cloud, used the way a user's script would use AWS: plain SDK v3
 * clients with `endpoint` set and the administrator's key pair.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { ListTopicsCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListQueuesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_ADMIN_CREDENTIALS } from '@serverless-week/local-cloud';
import { eventually } from '@serverless-week/test-support';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

let cloud: TestCloud;
let settings: {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
};

beforeAll(async () => {
  cloud = await startTestCloud();
  settings = {
    endpoint: cloud.endpoints.aws,
    region: cloud.topology.region,
    credentials: DEFAULT_ADMIN_CREDENTIALS,
  };
}, 60000);

afterAll(async () => {
  await cloud?.dispose();
});

const named = (suffix: string) => (name: string) => name.endsWith(suffix);

it('lists the stack’s tables, buckets, queues, topics and state machines', async () => {
  const dynamodb = new DynamoDBClient(settings);
  const s3 = new S3Client({ ...settings, forcePathStyle: true });
  const sqs = new SQSClient(settings);
  const sns = new SNSClient(settings);
  const sfn = new SFNClient(settings);

  const [tables, buckets, queues, topics, machines] = await Promise.all([
    dynamodb.send(new ListTablesCommand({})),
    s3.send(new ListBucketsCommand({})),
    sqs.send(new ListQueuesCommand({})),
    sns.send(new ListTopicsCommand({})),
    sfn.send(new ListStateMachinesCommand({})),
  ]);

  expect(tables.TableNames).toEqual(
    expect.arrayContaining(cloud.topology.tables.map((t) => t.name)),
  );
  expect(buckets.Buckets?.map((bucket) => bucket.Name)).toEqual(
    expect.arrayContaining(cloud.topology.buckets.map((bucket) => bucket.name)),
  );
  expect(queues.QueueUrls).toEqual(
    expect.arrayContaining(cloud.topology.queues.map((queue) => queue.url)),
  );
  expect(topics.Topics?.map((topic) => topic.TopicArn)).toEqual(
    cloud.topology.topics.map((topic) => topic.arn),
  );
  expect(machines.stateMachines?.map((machine) => machine.stateMachineArn)).toEqual(
    cloud.topology.stateMachines.map((machine) => machine.arn),
  );
  for (const client of [dynamodb, s3, sqs, sns, sfn]) client.destroy();
});

it('stores and reads back an object in a bucket of the stack', async () => {
  const s3 = new S3Client({
    ...settings,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const bucket = cloud.topology.buckets.find((candidate) => candidate.name.includes('processed'));
  if (!bucket) throw new Error('no processed bucket');

  await s3.send(
    new PutObjectCommand({ Bucket: bucket.name, Key: 'notes/hello.txt', Body: 'hello' }),
  );
  const object = await s3.send(
    new GetObjectCommand({ Bucket: bucket.name, Key: 'notes/hello.txt' }),
  );

  expect(await object.Body?.transformToString()).toBe('hello');
  s3.destroy();
});

it('delivers a message published to the topic to the inbox queue, in the SNS envelope', async () => {
  const sns = new SNSClient(settings);
  const sqs = new SQSClient(settings);
  const topic = cloud.topology.topics[0];
  const inbox = cloud.topology.queues.find((queue) => named('-inbox')(queue.name));
  if (!topic || !inbox) throw new Error('no topic or inbox');
  // Stop the inbox consumers from racing this test: nothing consumes the inbox but the API.
  const text = `from a script ${Date.now()}`;

  await sns.send(
    new PublishCommand({
      TopicArn: topic.arn,
      Message: text,
      MessageAttributes: { type: { DataType: 'String', StringValue: 'notification' } },
    }),
  );

  const received = await eventually(
    async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: inbox.url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      return Messages?.find((message) => message.Body?.includes(text));
    },
    { what: 'the message in the inbox' },
  );
  const envelope = JSON.parse(received.Body ?? '{}') as {
    Type: string;
    Message: string;
    TopicArn: string;
  };
  expect(envelope).toMatchObject({ Type: 'Notification', Message: text, TopicArn: topic.arn });
  sns.destroy();
  sqs.destroy();
});

it('invokes a function through the Lambda API and returns its error as Lambda does', async () => {
  const lambda = new LambdaClient(settings);
  const validate = cloud.topology.functions.find((fn) => fn.name.endsWith('-validate-item'));
  if (!validate) throw new Error('no validate-item function');

  const result = await lambda.send(
    new InvokeCommand({
      FunctionName: validate.name,
      Payload: Buffer.from(JSON.stringify({ itemId: 'missing-item' })),
    }),
  );

  expect(result.StatusCode).toBe(200);
  const payload = JSON.parse(Buffer.from(result.Payload ?? new Uint8Array()).toString()) as unknown;
  expect(payload).toBeDefined();
  lambda.destroy();
});

it('runs the state machine started by a script and describes its execution', async () => {
  const sfn = new SFNClient(settings);
  const machine = cloud.topology.stateMachines[0];
  if (!machine) throw new Error('no state machine');

  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: machine.arn,
      input: JSON.stringify({ itemId: 'no-such-item' }),
    }),
  );
  const finished = await eventually(
    async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return execution.status === 'RUNNING' ? undefined : execution;
    },
    { what: 'the execution to finish' },
  );

  expect(finished.status).toBe('FAILED');
  expect(finished.cause).toBeTruthy();
  sfn.destroy();
});
