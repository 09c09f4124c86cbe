import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQS from 'aws-sdk/clients/sqs';
import type AWS from 'aws-sdk';
import type { AWSError } from 'aws-sdk';
import { DEFAULT_ADMIN_CREDENTIALS, openCallerKeys } from '../../../src/credentials';
import type { Credentials } from '../../../src/credentials';
import { AccessControl } from '../../../src/iam/access-control';
import { createRequestGate } from '../../../src/iam/request-gate';
import { silentLog } from '../../../src/log';
import { createAwsEdge } from '../../../src/services/edge/aws-edge';
import { openEndpoint } from '../../../src/services/edge/http-endpoint';
import type { HttpEndpoint } from '../../../src/services/edge/http-endpoint';
import { QueueService } from '../../../src/services/sqs/queue-service';
import { loadTopology } from '../../../src/stack/load-topology';
import { createNameStore } from '../../../src/stack/name-store';
import type { QueueSpec, StackTopology } from '../../../src/stack/topology';
import { copyFixtureStack } from '../../support/fixture-stack';
import { sdkV2Error } from '../../support/sdk-v2-error';

/**
 * IAM and SigV4 judge a Query-protocol request to SQS as they judge a JSON one, and refuse it in
 * the Query protocol's own error document: the fixture stack's audit consumer may receive from
 * and delete on its queue, and nothing more, as the AWS SDK for JavaScript v2 finds.
 */

let stackDir: string;
let scratch: string;
let server: HttpEndpoint;
let topology: StackTopology;
let queues: QueueService;
let keys: (name: string) => Credentials;

const named = <T extends { name: string }>(items: T[], suffix: string): T => {
  const found = items.find((item) => item.name.endsWith(suffix));
  if (!found) throw new Error(`nothing named …${suffix}`);
  return found;
};
const auditQueue = (): QueueSpec => named(topology.queues, '-audit');
const consumer = (): string => named(topology.functions, '-audit-consumer').name;

/** An SDK v2 client signing with `credentials`. */
const client = (credentials: Credentials): SQS =>
  new SQS({
    apiVersion: '2012-11-05',
    endpoint: server.url,
    region: topology.region,
    credentials,
    maxRetries: 0,
  });

/** AWS.Request#presign, which the SDK v2 documents but its typings leave out. */
const presign = (request: AWS.Request<unknown, AWSError>, expiresSeconds: number): string =>
  (request as unknown as { presign(expires: number): string }).presign(expiresSeconds);

beforeAll(async () => {
  stackDir = await copyFixtureStack();
  scratch = mkdtempSync(join(tmpdir(), 'sqs-query-iam-'));
  server = await openEndpoint('127.0.0.1', 0, 'aws');
  topology = loadTopology({
    stackDir,
    endpoints: {
      web: 'http://127.0.0.1:1',
      api: 'http://127.0.0.1:2',
      httpApi: 'http://127.0.0.1:3',
      aws: server.url,
    },
    names: createNameStore(join(scratch, 'names.json')),
  });
  const callerKeys = openCallerKeys(join(scratch, 'access-keys.json'));
  keys = (name) => callerKeys.credentialsFor('function', name);
  const control = new AccessControl({
    topology,
    mode: 'enforce',
    log: silentLog,
    credentialsFor: (kind, name) => callerKeys.credentialsFor(kind, name),
    admin: DEFAULT_ADMIN_CREDENTIALS,
  });
  queues = new QueueService({
    queues: topology.queues,
    accountId: topology.accountId,
    region: topology.region,
    endpoint: server.url,
    log: silentLog,
  });
  const gate = createRequestGate(control, topology);
  const edge = createAwsEdge([queues], silentLog, () => ({}), gate);
  server.attach((request, response) => edge.handle(request, response));
});

afterAll(async () => {
  await queues.stop();
  await server.close();
  rmSync(stackDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe('a function signing Query requests with its own key', () => {
  it('receives and deletes on the queue its role grants', async () => {
    // Given a message on the audit queue
    await client(DEFAULT_ADMIN_CREDENTIALS)
      .sendMessage({ QueueUrl: auditQueue().url, MessageBody: 'audit me' })
      .promise();
    const sqs = client(keys(consumer()));

    // When the consumer receives and deletes it
    const { Messages = [] } = await sqs.receiveMessage({ QueueUrl: auditQueue().url }).promise();
    await sqs
      .deleteMessage({
        QueueUrl: auditQueue().url,
        ReceiptHandle: Messages[0]?.ReceiptHandle ?? '',
      })
      .promise();

    // Then both were allowed
    expect(Messages.map((message) => message.Body)).toEqual(['audit me']);
    expect(queues.counts(auditQueue().name)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('is refused SendMessage, which its role does not grant, with AccessDenied (403)', async () => {
    const refused = await sdkV2Error(
      client(keys(consumer()))
        .sendMessage({ QueueUrl: auditQueue().url, MessageBody: 'not mine to send' })
        .promise(),
    );

    expect(refused).toMatchObject({ code: 'AccessDenied', statusCode: 403 });
    expect(refused.message).toContain('sqs:SendMessage');
    expect(queues.counts(auditQueue().name).visible).toBe(0);
  });
});

describe('a Query request whose signature does not hold', () => {
  it('is refused with SignatureDoesNotMatch when signed with the wrong secret', async () => {
    const forged = { ...keys(consumer()), secretAccessKey: 'not-the-secret' };

    const refused = await sdkV2Error(
      client(forged).receiveMessage({ QueueUrl: auditQueue().url }).promise(),
    );

    expect(refused).toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 403 });
  });

  it('is refused with InvalidClientTokenId when signed with a key nobody issued', async () => {
    const refused = await sdkV2Error(
      client({ accessKeyId: 'AKIANOBODYISSUED', secretAccessKey: 'x' })
        .getQueueUrl({ QueueName: auditQueue().name })
        .promise(),
    );

    expect(refused).toMatchObject({ code: 'InvalidClientTokenId', statusCode: 403 });
  });

  it('is refused in the Query error document when unsigned, posted to the queue’s URL', async () => {
    const answer = await fetch(auditQueue().url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=SendMessage&MessageBody=anonymous&Version=2012-11-05',
    });

    expect(answer.status).toBe(403);
    expect(await answer.text()).toMatch(
      /^<\?xml version="1.0"\?><ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/,
    );
    expect(queues.counts(auditQueue().name).visible).toBe(0);
  });
});

describe('a pre-signed Query URL (the signature in its query string)', () => {
  it('is answered when it holds, and refused once its parameters are changed', async () => {
    const request = client(keys(consumer())).getQueueAttributes({
      QueueUrl: auditQueue().url,
      AttributeNames: ['QueueArn'],
    });
    const url = presign(request, 60);
    const tampered = url.replace('AttributeName.1=QueueArn', 'AttributeName.1=Policy');

    const answer = await fetch(url);
    const refused = await fetch(tampered);

    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain(
      `<Attribute><Name>QueueArn</Name><Value>${auditQueue().arn}</Value></Attribute>`,
    );
    expect(tampered).not.toBe(url);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
