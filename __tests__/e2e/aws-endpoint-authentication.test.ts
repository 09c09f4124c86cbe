/**
 * Who may call the AWS endpoint of the real stack: the administrator's key pair and the keys the
 * local cloud made for its functions, each with a signature that verifies. A key nobody issued, a
 * wrong secret, a missing signature and a web page's request are refused, each the way the service
 * refuses it in AWS, so the real SDK clients raise what they would raise there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient, LambdaServiceException } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand, SFNClient, SFNServiceException } from '@aws-sdk/client-sfn';
import {
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
  SNSServiceException,
} from '@aws-sdk/client-sns';
import { ListQueuesCommand, SQSClient, SQSServiceException } from '@aws-sdk/client-sqs';
import { DEFAULT_ADMIN_CREDENTIALS, openCallerKeys } from '@serverless-week/local-cloud';
import type { Credentials } from '@serverless-week/local-cloud';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
}, 60000);

afterAll(async () => {
  await cloud?.dispose();
});

const settings = (credentials: Credentials) => ({
  endpoint: cloud.endpoints.aws,
  region: cloud.topology.region,
  credentials,
  maxAttempts: 1,
});

/** A key pair the local cloud never issued. */
const STRANGER: Credentials = { accessKeyId: 'AKIASTRANGER00000000', secretAccessKey: 'anything' };
/** The administrator's key with a secret that is not its own. */
const WRONG_SECRET: Credentials = {
  accessKeyId: DEFAULT_ADMIN_CREDENTIALS.accessKeyId,
  secretAccessKey: 'not-the-secret',
};

function named<T extends { name: string }>(items: T[], suffix: string): T {
  const found = items.find((item) => item.name.endsWith(suffix));
  if (!found) throw new Error(`nothing named …${suffix}`);
  return found;
}

const websiteBucket = (): string => {
  const bucket = cloud.topology.buckets.find((candidate) => candidate.website);
  if (!bucket) throw new Error('no website bucket');
  return bucket.name;
};

type Service = 'S3' | 'DynamoDB' | 'SQS' | 'SNS' | 'Lambda' | 'Step Functions';

/** A call of `service` as a script signing with `credentials` makes it, and what its SDK raises. */
function callOf(
  service: Service,
  credentials: Credentials,
): { call: () => Promise<unknown>; exception: unknown } {
  const config = settings(credentials);
  const calls: Record<Service, [() => Promise<unknown>, unknown]> = {
    S3: [() => new S3Client(config).send(new ListBucketsCommand({})), S3ServiceException],
    DynamoDB: [
      () => new DynamoDBClient(config).send(new ListTablesCommand({})),
      DynamoDBServiceException,
    ],
    SQS: [() => new SQSClient(config).send(new ListQueuesCommand({})), SQSServiceException],
    SNS: [() => new SNSClient(config).send(new ListTopicsCommand({})), SNSServiceException],
    Lambda: [
      () =>
        new LambdaClient(config).send(
          new InvokeCommand({ FunctionName: named(cloud.topology.functions, '-list-items').name }),
        ),
      LambdaServiceException,
    ],
    'Step Functions': [
      () => new SFNClient(config).send(new ListStateMachinesCommand({})),
      SFNServiceException,
    ],
  };
  const [call, exception] = calls[service];
  return { call, exception };
}

/** `20261126T120000Z` */
const isoBasic = (date: Date): string =>
  date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/** The query string of a pre-signed URL that names `accessKeyId` and signs nothing. */
function forgedPresignature(accessKeyId: string, service: string): string {
  const stamp = isoBasic(new Date());
  const credential = `${accessKeyId}/${stamp.slice(0, 8)}/us-east-1/${service}/aws4_request`;
  return new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': credential,
    'X-Amz-Date': stamp,
    'X-Amz-Expires': '300',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': '00',
  }).toString();
}

describe('a key nobody issued', () => {
  it.each<[Service, string, number]>([
    ['S3', 'InvalidAccessKeyId', 403],
    ['DynamoDB', 'UnrecognizedClientException', 400],
    ['SQS', 'InvalidClientTokenId', 403],
    ['SNS', 'InvalidClientTokenId', 403],
    ['Lambda', 'UnrecognizedClientException', 403],
    ['Step Functions', 'UnrecognizedClientException', 400],
  ])('is refused by %s with %s (%i), as the SDK raises it', async (service, name, status) => {
    const { call, exception } = callOf(service, STRANGER);

    const refused = call();

    await expect(refused).rejects.toBeInstanceOf(exception);
    await expect(refused).rejects.toMatchObject({ name, $metadata: { httpStatusCode: status } });
  });

  it('cannot upload into the website bucket through a forged pre-signed URL', async () => {
    // Given a pre-signed URL naming a key nobody issued, with a signature of nothing
    const url = `${cloud.endpoints.aws}/${websiteBucket()}/defaced.html?${forgedPresignature('EVIL', 's3')}`;

    // When a page is PUT through it
    const put = await fetch(url, { method: 'PUT', body: '<h1>defaced</h1>' });

    // Then S3 refuses it, naming the key, and the website has no such page
    expect(put.status).toBe(403);
    const body = await put.text();
    expect(body).toContain('<Code>InvalidAccessKeyId</Code>');
    expect(body).toContain('<AWSAccessKeyId>EVIL</AWSAccessKeyId>');
    expect((await fetch(`${cloud.endpoints.web}/defaced.html`)).status).toBe(404);
  });

  it('cannot publish to the topic through a forged pre-signed URL', async () => {
    const topic = cloud.topology.topics[0];
    const publish = new URLSearchParams({
      Action: 'Publish',
      TopicArn: topic?.arn ?? '',
      Message: 'forged',
    });

    const response = await fetch(
      `${cloud.endpoints.aws}/?${publish.toString()}&${forgedPresignature('EVIL', 'sns')}`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    );

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>InvalidClientTokenId</Code>');
  });

  it('includes a function’s key made for another data directory', async () => {
    // Given get-item's key as another data directory would have made it
    const getItem = named(cloud.topology.functions, '-get-item');
    const elsewhere = mkdtempSync(join(tmpdir(), 'other-data-dir-'));
    const foreign = openCallerKeys(join(elsewhere, 'access-keys.json')).credentialsFor(
      'function',
      getItem.name,
    );
    rmSync(elsewhere, { recursive: true, force: true });
    const read = (credentials: Credentials) =>
      new DynamoDBClient(settings(credentials)).send(
        new GetItemCommand({
          TableName: named(cloud.topology.tables, '-items').name,
          Key: { id: { S: 'missing' } },
        }),
      );

    // When it reads an item with that key, and with the one this cloud made
    const withForeign = read(foreign).catch((error: unknown) => error);
    const withOwn = read(cloud.credentialsFor('function', getItem.name));

    // Then only this cloud's key is get-item's
    expect(await withForeign).toMatchObject({ name: 'UnrecognizedClientException' });
    await expect(withOwn).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
  });
});

describe('the administrator’s key with a wrong secret', () => {
  it.each<[Service, string, number]>([
    ['S3', 'SignatureDoesNotMatch', 403],
    ['DynamoDB', 'InvalidSignatureException', 400],
    ['SQS', 'SignatureDoesNotMatch', 403],
    ['SNS', 'SignatureDoesNotMatch', 403],
    ['Lambda', 'InvalidSignatureException', 403],
    ['Step Functions', 'InvalidSignatureException', 400],
  ])('is refused by %s with %s (%i)', async (service, name, status) => {
    const { call } = callOf(service, WRONG_SECRET);

    await expect(call()).rejects.toMatchObject({ name, $metadata: { httpStatusCode: status } });
  });
});

describe('the administrator’s key pair', () => {
  it.each<Service>(['S3', 'DynamoDB', 'SQS', 'SNS', 'Lambda', 'Step Functions'])(
    'is answered by %s',
    async (service) => {
      const { call } = callOf(service, DEFAULT_ADMIN_CREDENTIALS);

      await expect(call()).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    },
  );
});

describe('an unsigned request', () => {
  const unsigned = (path: string, headers: Record<string, string>, body: string) =>
    fetch(`${cloud.endpoints.aws}${path}`, { method: 'POST', headers, body });
  const json = (target: string) => ({
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': target,
  });

  it('is refused by DynamoDB with MissingAuthenticationTokenException', async () => {
    const response = await unsigned('/', json('DynamoDB_20120810.ListTables'), '{}');

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      Message: 'Request is missing Authentication Token',
    });
  });

  it('is refused by SQS with MissingAuthenticationToken', async () => {
    const response = await unsigned('/', json('AmazonSQS.ListQueues'), '{}');

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-query-error')).toBe('MissingAuthenticationToken;Sender');
  });

  it('is refused by SNS with MissingAuthenticationToken', async () => {
    const response = await unsigned(
      '/',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'Action=ListTopics&Version=2010-03-31',
    );

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('is refused by Step Functions with MissingAuthenticationTokenException', async () => {
    const response = await unsigned('/', json('AWSStepFunctions.ListStateMachines'), '{}');

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('is refused by Lambda with MissingAuthenticationTokenException', async () => {
    const name = named(cloud.topology.functions, '-list-items').name;

    const response = await unsigned(`/2015-03-31/functions/${name}/invocations`, {}, '{}');

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('reads the website bucket, which its policy makes public, and writes nothing', async () => {
    const bucket = `${cloud.endpoints.aws}/${websiteBucket()}`;

    const read = await fetch(`${bucket}/index.html`);
    const write = await fetch(`${bucket}/anonymous.html`, { method: 'PUT', body: 'hi' });

    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
    expect(await write.text()).toContain('<Code>AccessDenied</Code>');
  });
});

describe('a request a web page sends', () => {
  it('is refused by SNS before it publishes, even signed with the administrator’s key', async () => {
    // Given the administrator's well-known key, which any page can sign with, in a page's fetch
    const sns = new SNSClient(settings(DEFAULT_ADMIN_CREDENTIALS));
    sns.middlewareStack.add(
      (next) => (args) => {
        const { request } = args as { request: { headers: Record<string, string> } };
        request.headers.origin = 'https://evil.example';
        return next(args);
      },
      { step: 'build' },
    );

    // When it publishes to the topic
    const call = sns.send(
      new PublishCommand({ TopicArn: cloud.topology.topics[0]?.arn, Message: 'from a page' }),
    );

    // Then SNS refuses it as not authorized, and the log says why
    await expect(call).rejects.toMatchObject({
      name: 'AuthorizationErrorException',
      $metadata: { httpStatusCode: 403 },
    });
    expect(cloud.lines.join('\n')).toContain(
      'refused a sns request a web page sent (Origin: https://evil.example)',
    );
  });

  it('is refused by SNS when it is a form posted from another site', async () => {
    const form = new URLSearchParams({
      Action: 'Publish',
      TopicArn: cloud.topology.topics[0]?.arn ?? '',
      Message: 'from a form',
    });

    const response = await fetch(
      `${cloud.endpoints.aws}/?${forgedPresignature(DEFAULT_ADMIN_CREDENTIALS.accessKeyId, 'sns')}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        },
        body: form.toString(),
      },
    );

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AuthorizationError</Code>');
  });

  it('still reaches S3 for the website’s upload through its pre-signed URL', async () => {
    // Given an item and the upload URL the API hands the website
    const created = await cloud.post('/items', { name: 'Uploaded from the website' });
    const { id } = (await created.json()) as { id: string };
    const answer = await cloud.post(`/items/${id}/image`, { contentType: 'image/jpeg' });
    const upload = (await answer.json()) as { uploadUrl: string; headers: Record<string, string> };

    // When the website's page PUTs the image, as a browser does, with its Origin
    const put = await fetch(upload.uploadUrl, {
      method: 'PUT',
      headers: { ...upload.headers, origin: cloud.endpoints.web },
      body: Buffer.from('bytes'),
    });

    // Then S3 takes it
    expect(put.status).toBe(200);
  });
});
