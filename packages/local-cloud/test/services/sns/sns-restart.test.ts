/**
 * What the SNS control plane made on an empty cloud is still there, and still delivers, after the
 * cloud restarts on the same data directory (`npm start -- --empty` again).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { silentLog } from '../../../src/log';
import { startLocalCloud } from '../../../src/local-cloud';
import type { LocalCloud } from '../../../src/local-cloud';

jest.setTimeout(60_000);

let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sns-restart-'));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** An empty cloud on the spec's data directory; SNS's right to send is not what is tested here. */
const emptyCloud = (): Promise<LocalCloud> =>
  startLocalCloud({
    dataDir,
    ports: { web: 0, api: 0, httpApi: 0, aws: 0 },
    log: silentLog,
    iam: 'off',
  });

function clients(cloud: LocalCloud): { sns: SNSClient; sqs: SQSClient } {
  const config = {
    region: 'us-east-1',
    endpoint: cloud.endpoints.aws,
    credentials: cloud.adminCredentials,
  };
  return { sns: new SNSClient(config), sqs: new SQSClient(config) };
}

it('keeps a topic and its subscription across a restart, and delivers through them', async () => {
  // Given a topic and a queue's raw subscription made on an empty cloud, which then stops
  const first = await emptyCloud();
  const before = clients(first);
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
  before.sns.destroy();
  before.sqs.destroy();
  await first.stop();

  // When the cloud starts again on the same data directory
  const second = await emptyCloud();
  const after = clients(second);
  try {
    // Then the subscription is there, and a message published reaches the queue
    const { Attributes } = await after.sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn }),
    );
    expect(Attributes).toMatchObject({ TopicArn, RawMessageDelivery: 'true' });
    await after.sns.send(new PublishCommand({ TopicArn, Message: 'after the restart' }));
    const { Messages = [] } = await after.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: `${second.endpoints.aws}/000000000000/kept-inbox` }),
    );
    expect(Messages.map((message) => message.Body)).toEqual(['after the restart']);
  } finally {
    after.sns.destroy();
    after.sqs.destroy();
    await second.stop();
  }
});
