/**
 * SigV4 checked the way AWS checks it, on requests the real SDK v3 clients signed: a server on
 * 127.0.0.1 captures each request exactly as it arrived (raw target, headers, body) and answers
 * just enough for the client to be satisfied.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { is } from '@serverless-week/test-support';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../src/credentials';
import { signatureScopeOf, verifySignature } from '../../src/iam/signature-v4';
import type { SignedRequestParts } from '../../src/iam/signature-v4';
import { startRecordingEndpoint } from '../support/recording-endpoint';
import type { RecordingEndpoint } from '../support/recording-endpoint';

interface Captured extends SignedRequestParts {
  body: Buffer;
}

const SIGNER = DEFAULT_ADMIN_CREDENTIALS;
/** Another key's secret, as a function's would be. */
const SOMEONE_ELSE = { accessKeyId: 'LKIAOTHERFUNCTIONKEY', secretAccessKey: 'another-secret' };
const ACCOUNT = '123456789012';
const KEY = 'photos/a summer day/été+hiver (1).jpg';
const MINUTE = 60_000;

let recording: RecordingEndpoint;
let endpoint: string;

/** Just enough of each service's answer for its client to accept it. */
function answer(request: IncomingMessage, response: ServerResponse): void {
  const type = request.headers['content-type'] ?? '';
  if (request.headers['x-amz-target']) {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    response.end('{}');
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(
      '<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>',
    );
  } else if (request.url?.includes('list-type=2')) {
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.end('<ListBucketResult><Name>bucket</Name></ListBucketResult>');
  } else {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(request.method === 'GET' ? 'hello' : '{}');
  }
}

beforeAll(async () => {
  recording = await startRecordingEndpoint(answer);
  endpoint = recording.url;
});

afterAll(async () => {
  await recording.close();
});

const config = (): {
  endpoint: string;
  region: string;
  credentials: typeof SIGNER;
  maxAttempts: number;
} => ({ endpoint, region: 'us-east-1', credentials: SIGNER, maxAttempts: 1 });

/** As the local functions run: AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_REQUIRED. */
const s3 = (): S3Client =>
  new S3Client({ ...config(), forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
/** The SDK's default: a CRC32 checksum on every upload, in a trailer when the body is a stream. */
const s3WithChecksums = (): S3Client => new S3Client({ ...config(), forcePathStyle: true });

/** The request a client sent while `send` ran, its repeated headers kept apart. */
async function sent(send: () => Promise<unknown>): Promise<Captured> {
  const { method, url, headersDistinct, body } = await recording.during(send);
  return { method, url, headers: headersDistinct, body };
}

/** Requests a pre-signed URL as a browser would, and captures what arrived. */
async function fetched(url: string, init: RequestInit = {}): Promise<Captured> {
  return sent(() => fetch(url, init).then((response) => response.arrayBuffer()));
}

const FUNCTION_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:serverless-week-local-create-item`;

const SIGNED_REQUESTS: [string, string, () => Promise<Captured>][] = [
  [
    'an S3 PutObject of a key with spaces, accents and +',
    's3',
    () =>
      sent(() =>
        s3().send(new PutObjectCommand({ Bucket: 'bucket', Key: KEY, Body: Buffer.from('hi') })),
      ),
  ],
  [
    'an S3 PutObject with the SDK’s default checksum',
    's3',
    () =>
      sent(() =>
        s3WithChecksums().send(
          new PutObjectCommand({ Bucket: 'bucket', Key: KEY, Body: Buffer.from('hi') }),
        ),
      ),
  ],
  [
    'an S3 PutObject streamed as aws-chunked with a checksum trailer',
    's3',
    () =>
      sent(() =>
        s3WithChecksums().send(
          new PutObjectCommand({
            Bucket: 'bucket',
            Key: KEY,
            Body: Readable.from([Buffer.from('streamed')]),
            ContentLength: 8,
          }),
        ),
      ),
  ],
  [
    'an S3 GetObject',
    's3',
    () => sent(() => s3().send(new GetObjectCommand({ Bucket: 'bucket', Key: KEY }))),
  ],
  [
    'an S3 ListObjectsV2 with a prefix',
    's3',
    () =>
      sent(() =>
        s3().send(new ListObjectsV2Command({ Bucket: 'bucket', Prefix: 'photos/a summer day/' })),
      ),
  ],
  [
    'a DynamoDB PutItem',
    'dynamodb',
    () =>
      sent(() =>
        new DynamoDBClient(config()).send(
          new PutItemCommand({ TableName: 'items', Item: { id: { S: 'i-1' } } }),
        ),
      ),
  ],
  [
    'an SQS SendMessage',
    'sqs',
    () =>
      sent(() =>
        new SQSClient({ ...config(), md5: false }).send(
          new SendMessageCommand({
            QueueUrl: `${endpoint}/${ACCOUNT}/thumbnails`,
            MessageBody: 'a message',
          }),
        ),
      ),
  ],
  [
    'an SNS Publish (a Query-protocol form)',
    'sns',
    () =>
      sent(() =>
        new SNSClient(config()).send(
          new PublishCommand({
            TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:item-events`,
            Message: 'an item was created: 50% off!',
          }),
        ),
      ),
  ],
  [
    'a Step Functions StartExecution',
    'states',
    () =>
      sent(() =>
        new SFNClient(config()).send(
          new StartExecutionCommand({
            stateMachineArn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:publish-item`,
            input: '{"id":"i-1"}',
          }),
        ),
      ),
  ],
  [
    'a Lambda Invoke by function name',
    'lambda',
    () =>
      sent(() =>
        new LambdaClient(config()).send(
          new InvokeCommand({ FunctionName: 'create-item', Payload: Buffer.from('{}') }),
        ),
      ),
  ],
  [
    'a Lambda Invoke by ARN (its colons encoded in the path)',
    'lambda',
    () =>
      sent(() =>
        new LambdaClient(config()).send(
          new InvokeCommand({ FunctionName: FUNCTION_ARN, Payload: Buffer.from('{}') }),
        ),
      ),
  ],
  [
    'a pre-signed S3 GET URL',
    's3',
    async () =>
      fetched(await getSignedUrl(s3(), new GetObjectCommand({ Bucket: 'bucket', Key: KEY }))),
  ],
  [
    'a pre-signed S3 PUT URL with its content type',
    's3',
    async () => {
      const url = await getSignedUrl(
        s3(),
        new PutObjectCommand({ Bucket: 'bucket', Key: KEY, ContentType: 'image/jpeg' }),
        { signableHeaders: new Set(['content-type']) },
      );
      return fetched(url, {
        method: 'PUT',
        headers: { 'Content-Type': 'image/jpeg' },
        body: Buffer.from('jpeg bytes'),
      });
    },
  ],
];

describe('a request signed by the SDK', () => {
  it.each(SIGNED_REQUESTS)(
    'verifies %s with the signer’s secret',
    async (_name, _service, make) => {
      const request = await make();

      const check = verifySignature(request, SIGNER.secretAccessKey);

      expect(check).toEqual({ valid: true, signedAt: is.any(Date) });
    },
  );

  it.each(SIGNED_REQUESTS)(
    'names the signer’s key, region and service of %s',
    async (_name, service, make) => {
      const request = await make();

      const scope = signatureScopeOf(request);

      expect(scope).toEqual({
        accessKeyId: SIGNER.accessKeyId,
        date: is.stringMatching(/^\d{8}$/),
        region: 'us-east-1',
        service,
        authType: new URL(request.url, endpoint).searchParams.has('X-Amz-Signature')
          ? 'query'
          : 'header',
      });
    },
  );

  it.each(SIGNED_REQUESTS)(
    'refuses %s with another key’s secret as SignatureDoesNotMatch',
    async (_name, _service, make) => {
      const request = await make();

      const check = verifySignature(request, SOMEONE_ELSE.secretAccessKey);

      expect(check).toMatchObject({
        valid: false,
        code: 'SignatureDoesNotMatch',
        message:
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      });
    },
  );
});

describe('a request changed after it was signed', () => {
  it('refuses an S3 upload whose body is not the one hashed in x-amz-content-sha256', async () => {
    const request = await sent(() =>
      s3().send(new PutObjectCommand({ Bucket: 'bucket', Key: KEY, Body: Buffer.from('hi') })),
    );

    const check = verifySignature({ ...request, body: Buffer.from('ha') }, SIGNER.secretAccessKey);

    expect(check).toMatchObject({ valid: false, code: 'XAmzContentSHA256Mismatch' });
  });

  it('refuses a DynamoDB request whose body was changed', async () => {
    const request = await sent(() =>
      new DynamoDBClient(config()).send(
        new PutItemCommand({ TableName: 'items', Item: { id: { S: 'i-1' } } }),
      ),
    );
    const body = Buffer.from(request.body.toString().replace('items', 'audit'));

    const check = verifySignature({ ...request, body }, SIGNER.secretAccessKey);

    expect(check).toMatchObject({ valid: false, code: 'SignatureDoesNotMatch' });
  });

  it('refuses an SNS form whose message was changed', async () => {
    const request = await sent(() =>
      new SNSClient(config()).send(
        new PublishCommand({ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:t`, Message: 'yes' }),
      ),
    );
    const body = Buffer.from(request.body.toString().replace('Message=yes', 'Message=no'));

    const check = verifySignature({ ...request, body }, SIGNER.secretAccessKey);

    expect(check).toMatchObject({ valid: false, code: 'SignatureDoesNotMatch' });
  });

  it('refuses an S3 list whose prefix was changed in the query', async () => {
    const request = await sent(() =>
      s3().send(new ListObjectsV2Command({ Bucket: 'bucket', Prefix: 'mine/' })),
    );
    const url = request.url.replace('prefix=mine', 'prefix=yours');

    const check = verifySignature({ ...request, url }, SIGNER.secretAccessKey);

    expect(check).toMatchObject({ valid: false, code: 'SignatureDoesNotMatch' });
  });

  it('refuses a Lambda Invoke sent to another function than the ARN signed', async () => {
    const request = await sent(() =>
      new LambdaClient(config()).send(
        new InvokeCommand({ FunctionName: FUNCTION_ARN, Payload: Buffer.from('{}') }),
      ),
    );
    const url = request.url.replace('create-item', 'delete-item');

    const check = verifySignature({ ...request, url }, SIGNER.secretAccessKey);

    expect(check).toMatchObject({ valid: false, code: 'SignatureDoesNotMatch' });
  });

  it('refuses a pre-signed URL whose expiry was lengthened', async () => {
    const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket: 'bucket', Key: KEY }), {
      expiresIn: 60,
    });
    const request = await fetched(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=6000'));

    const check = verifySignature(request, SIGNER.secretAccessKey);

    expect(check).toMatchObject({ valid: false, code: 'SignatureDoesNotMatch' });
  });

  it('refuses a pre-signed PUT sent with another content type than the one signed', async () => {
    const url = await getSignedUrl(
      s3(),
      new PutObjectCommand({ Bucket: 'bucket', Key: KEY, ContentType: 'image/jpeg' }),
      { signableHeaders: new Set(['content-type']) },
    );
    const request = await fetched(url, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/html' },
      body: '<script>',
    });

    const check = verifySignature(request, SIGNER.secretAccessKey);

    expect(check).toMatchObject({ valid: false, code: 'SignatureDoesNotMatch' });
  });

  it('tells the canonical request and string to sign it computed, as S3 does', async () => {
    const request = await sent(() =>
      s3().send(new GetObjectCommand({ Bucket: 'bucket', Key: KEY })),
    );

    const check = verifySignature(request, SOMEONE_ELSE.secretAccessKey);

    expect(check).toMatchObject({
      canonicalRequest: is.stringMatching(
        /^GET\n\/bucket\/photos\/a%20summer%20day\/%C3%A9t%C3%A9%2Bhiver%20%281%29\.jpg\nx-id=GetObject\n/,
      ),
      stringToSign: is.stringMatching(
        /^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/,
      ),
    });
  });
});

describe('the time of a signature', () => {
  it('refuses a header-signed request 20 minutes after it was signed as RequestTimeTooSkewed', async () => {
    const request = await sent(() =>
      new DynamoDBClient(config()).send(
        new PutItemCommand({ TableName: 'items', Item: { id: { S: 'i-1' } } }),
      ),
    );
    const later = new Date(Date.now() + 20 * MINUTE);

    const check = verifySignature(request, SIGNER.secretAccessKey, later);

    expect(check).toMatchObject({ valid: false, code: 'RequestTimeTooSkewed' });
  });

  it('accepts a header-signed request 10 minutes after it was signed', async () => {
    const request = await sent(() =>
      s3().send(new GetObjectCommand({ Bucket: 'bucket', Key: KEY })),
    );
    const later = new Date(Date.now() + 10 * MINUTE);

    const check = verifySignature(request, SIGNER.secretAccessKey, later);

    expect(check.valid).toBe(true);
  });

  it('refuses a pre-signed URL used after it expired as RequestExpired', async () => {
    const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket: 'bucket', Key: KEY }), {
      expiresIn: 60,
    });
    const request = await fetched(url);
    const later = new Date(Date.now() + 61_000);

    const check = verifySignature(request, SIGNER.secretAccessKey, later);

    expect(check).toEqual({ valid: false, code: 'RequestExpired', message: 'Request has expired' });
  });

  it('accepts a pre-signed URL used well after 15 minutes but within its expiry', async () => {
    const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket: 'bucket', Key: KEY }), {
      expiresIn: 3600,
    });
    const request = await fetched(url);
    const later = new Date(Date.now() + 50 * MINUTE);

    const check = verifySignature(request, SIGNER.secretAccessKey, later);

    expect(check.valid).toBe(true);
  });

  it('refuses a pre-signed URL that claims to live longer than a week', async () => {
    const url = await getSignedUrl(s3(), new GetObjectCommand({ Bucket: 'bucket', Key: KEY }));
    const request = await fetched(url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604801'));

    const check = verifySignature(request, SIGNER.secretAccessKey);

    expect(check).toEqual({
      valid: false,
      code: 'IncompleteSignature',
      message: 'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    });
  });
});

describe('requests that are not (fully) signed', () => {
  it('finds no credential scope on an unsigned request', async () => {
    const request = await fetched(`${endpoint}/bucket/${encodeURIComponent(KEY)}`);

    const scope = signatureScopeOf(request);

    expect(scope).toBeUndefined();
  });

  it('refuses an unsigned request as missing its authentication token', async () => {
    const request = await fetched(`${endpoint}/bucket/key`);

    const check = verifySignature(request, SIGNER.secretAccessKey);

    expect(check).toMatchObject({ valid: false, code: 'IncompleteSignature' });
  });

  it('finds an Authorization header without a Signature incomplete', async () => {
    const request = await fetched(`${endpoint}/`, {
      method: 'POST',
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${SIGNER.accessKeyId}/20261126/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date`,
        'x-amz-date': '20261126T120000Z',
      },
    });

    const scope = signatureScopeOf(request);

    expect(scope).toMatchObject({
      valid: false,
      code: 'IncompleteSignature',
      message: is.stringContaining("Authorization header requires 'Signature' parameter."),
    });
  });

  it('verifies a streamed S3 upload from its headers alone, without reading the body', async () => {
    const { body: _streamed, ...request } = await sent(() =>
      s3WithChecksums().send(
        new PutObjectCommand({
          Bucket: 'bucket',
          Key: KEY,
          Body: Readable.from([Buffer.from('streamed')]),
          ContentLength: 8,
        }),
      ),
    );

    const check = verifySignature(request, SIGNER.secretAccessKey);

    expect(check.valid).toBe(true);
  });

  it('refuses, as S3 does, a header-signed S3 request without x-amz-content-sha256 (its body streams unread)', async () => {
    // Given an S3 PUT signed in its headers, without the payload hash header S3 requires
    const request = await sent(() =>
      s3().send(new PutObjectCommand({ Bucket: 'uploads', Key: 'a.txt', Body: 'hello' })),
    );
    const { 'x-amz-content-sha256': _hash, ...headers } = request.headers;

    // When its signature is checked with no body to hash
    const check = verifySignature(
      { method: request.method, url: request.url, headers },
      SIGNER.secretAccessKey,
    );

    // Then it is S3's InvalidRequest, in S3's words
    expect(check).toMatchObject({
      valid: false,
      code: 'InvalidRequest',
      message: 'Missing required header for this request: x-amz-content-sha256',
    });
  });
});
