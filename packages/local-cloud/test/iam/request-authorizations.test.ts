/**
 * authorizationsFor turns one request arriving at the local AWS endpoint into the IAM
 * authorizations AWS evaluates for it. The requests are the real ones: the AWS SDK v3 clients
 * send them to a recording endpoint, and the recording is what the specs classify.
 */
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  GetItemCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TagResourceCommand as TagTableCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeAsyncCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeleteBucketWebsiteCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutBucketWebsiteCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand as TagTopicCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
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
import { DEFAULT_ADMIN_CREDENTIALS } from '../../src/credentials';
import type { IncomingAwsRequest, RequiredAuthorization } from '../../src/iam/access-types';
import { authorizationsFor, needsBody } from '../../src/iam/request-authorizations';
import { startRecordingEndpoint } from '../support/recording-endpoint';
import type { RecordedRequest, RecordingEndpoint } from '../support/recording-endpoint';

const context = { region: 'us-east-1', accountId: '123456789012' };
const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/items';
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:jobs';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:published';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:publish-item';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:publish-item:run-1';
const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:get-item';

// ----- the recording endpoint ------------------------------------------------------------------

let recording: RecordingEndpoint;
let endpoint: string;
let port: number;

const credentials = DEFAULT_ADMIN_CREDENTIALS;
const clients: { destroy(): void }[] = [];

function client<T extends { destroy(): void }>(make: (config: typeof base) => T): T {
  const made = make(base);
  clients.push(made);
  return made;
}

const base = {
  get endpoint(): string {
    return endpoint;
  },
  region: 'us-east-1',
  credentials,
  maxAttempts: 1,
};

let s3: S3Client;
let dynamodb: DynamoDBClient;
let sqs: SQSClient;
let sns: SNSClient;
let sfn: SFNClient;
let lambda: LambdaClient;

beforeAll(async () => {
  // Its `{}` answer is just enough for the SDKs to return or throw at once; what they make of it
  // does not matter here.
  recording = await startRecordingEndpoint();
  endpoint = recording.url;
  port = recording.port;
  s3 = client((config) => new S3Client({ ...config, forcePathStyle: true }));
  dynamodb = client((config) => new DynamoDBClient(config));
  sqs = client((config) => new SQSClient(config));
  sns = client((config) => new SNSClient(config));
  // StartSyncExecution's host prefix (`sync-`) cannot prefix an IP address.
  sfn = client((config) => new SFNClient({ ...config, disableHostPrefix: true }));
  lambda = client((config) => new LambdaClient(config));
});

afterAll(async () => {
  for (const made of clients) made.destroy();
  await recording.close();
});

/** The request the endpoint received while `send` ran (the SDK may reject the answer). */
function received(send: () => Promise<unknown>): Promise<RecordedRequest> {
  return recording.during(send, { ignoreRejection: true });
}

/** The signing name the AWS endpoint routes by (see aws-edge.ts): S3 when unsigned. */
function signingName(request: RecordedRequest): string {
  const url = new URL(request.url, 'http://localhost');
  const scope =
    /Credential=([^,\s]+)/.exec(request.headers.authorization ?? '')?.[1] ??
    url.searchParams.get('X-Amz-Credential') ??
    '';
  return scope.split('/')[3] ?? 's3';
}

function incoming(request: RecordedRequest): IncomingAwsRequest {
  const url = new URL(request.url, 'http://localhost');
  const service = signingName(request);
  const method = request.method;
  return {
    service,
    method,
    rawPath: request.url.split('?')[0] ?? '/',
    query: url.searchParams,
    headers: request.headers,
    ...(needsBody(service, method, url.searchParams) ? { body: request.body } : {}),
  };
}

async function authorizationsOf(send: () => Promise<unknown>): Promise<RequiredAuthorization[]> {
  return authorizationsFor(incoming(await received(send)), context);
}

const only = (
  action: string,
  resource: string,
  conditionKeys: RequiredAuthorization['conditionKeys'] = {},
): RequiredAuthorization[] => [{ action, resource, conditionKeys }];

// ----- S3 --------------------------------------------------------------------------------------

/** The keys of every SigV4 header-signed S3 request, its payload hash as sent. */
function signed(request: RecordedRequest): Record<string, string> {
  return {
    's3:authType': 'REST-HEADER',
    's3:signatureversion': 'AWS4-HMAC-SHA256',
    's3:x-amz-content-sha256': String(request.headers['x-amz-content-sha256']),
  };
}

async function s3Call(
  send: () => Promise<unknown>,
): Promise<{ request: RecordedRequest; authorizations: RequiredAuthorization[] }> {
  const request = await received(send);
  return { request, authorizations: authorizationsFor(incoming(request), context) };
}

describe('S3', () => {
  it('authorizes ListBuckets with s3:ListAllMyBuckets on every resource', async () => {
    const { request, authorizations } = await s3Call(() => s3.send(new ListBucketsCommand({})));

    expect(authorizations).toEqual(only('s3:ListAllMyBuckets', '*', signed(request)));
  });

  it('authorizes a listing with s3:ListBucket on the bucket, carrying prefix, delimiter and max-keys', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(
        new ListObjectsV2Command({ Bucket: 'photos', Prefix: 'home/', Delimiter: '/', MaxKeys: 5 }),
      ),
    );

    expect(authorizations).toEqual(
      only('s3:ListBucket', 'arn:aws:s3:::photos', {
        ...signed(request),
        's3:prefix': 'home/',
        's3:delimiter': '/',
        's3:max-keys': '5',
      }),
    );
  });

  it('authorizes listing object versions with s3:ListBucketVersions', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new ListObjectVersionsCommand({ Bucket: 'photos', Prefix: 'a' })),
    );

    expect(authorizations).toEqual(
      only('s3:ListBucketVersions', 'arn:aws:s3:::photos', {
        ...signed(request),
        's3:prefix': 'a',
      }),
    );
  });

  it('authorizes listing multipart uploads with s3:ListBucketMultipartUploads', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new ListMultipartUploadsCommand({ Bucket: 'photos' })),
    );

    expect(authorizations).toEqual(
      only('s3:ListBucketMultipartUploads', 'arn:aws:s3:::photos', signed(request)),
    );
  });

  it('authorizes HeadBucket with s3:ListBucket', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new HeadBucketCommand({ Bucket: 'photos' })),
    );

    expect(authorizations).toEqual(only('s3:ListBucket', 'arn:aws:s3:::photos', signed(request)));
  });

  it('authorizes CreateBucket with s3:CreateBucket on the new bucket', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new CreateBucketCommand({ Bucket: 'fresh' })),
    );

    expect(authorizations).toEqual(only('s3:CreateBucket', 'arn:aws:s3:::fresh', signed(request)));
  });

  it('authorizes DeleteBucket with s3:DeleteBucket', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new DeleteBucketCommand({ Bucket: 'old' })),
    );

    expect(authorizations).toEqual(only('s3:DeleteBucket', 'arn:aws:s3:::old', signed(request)));
  });

  const Bucket = 'site';
  it.each<[string, string, () => Promise<unknown>]>([
    ['GetBucketCors', 's3:GetBucketCORS', () => s3.send(new GetBucketCorsCommand({ Bucket }))],
    [
      'PutBucketCors',
      's3:PutBucketCORS',
      () =>
        s3.send(
          new PutBucketCorsCommand({
            Bucket,
            CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] },
          }),
        ),
    ],
    [
      'DeleteBucketCors',
      's3:PutBucketCORS',
      () => s3.send(new DeleteBucketCorsCommand({ Bucket })),
    ],
    [
      'GetBucketPolicy',
      's3:GetBucketPolicy',
      () => s3.send(new GetBucketPolicyCommand({ Bucket })),
    ],
    [
      'PutBucketPolicy',
      's3:PutBucketPolicy',
      () => s3.send(new PutBucketPolicyCommand({ Bucket, Policy: '{}' })),
    ],
    [
      'DeleteBucketPolicy',
      's3:DeleteBucketPolicy',
      () => s3.send(new DeleteBucketPolicyCommand({ Bucket })),
    ],
    [
      'GetBucketNotificationConfiguration',
      's3:GetBucketNotification',
      () => s3.send(new GetBucketNotificationConfigurationCommand({ Bucket })),
    ],
    [
      'PutBucketNotificationConfiguration',
      's3:PutBucketNotification',
      () =>
        s3.send(
          new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {} }),
        ),
    ],
    [
      'GetBucketWebsite',
      's3:GetBucketWebsite',
      () => s3.send(new GetBucketWebsiteCommand({ Bucket })),
    ],
    [
      'PutBucketWebsite',
      's3:PutBucketWebsite',
      () =>
        s3.send(
          new PutBucketWebsiteCommand({
            Bucket,
            WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } },
          }),
        ),
    ],
    [
      'DeleteBucketWebsite',
      's3:DeleteBucketWebsite',
      () => s3.send(new DeleteBucketWebsiteCommand({ Bucket })),
    ],
    [
      'GetBucketLocation',
      's3:GetBucketLocation',
      () => s3.send(new GetBucketLocationCommand({ Bucket })),
    ],
    [
      'GetBucketVersioning',
      's3:GetBucketVersioning',
      () => s3.send(new GetBucketVersioningCommand({ Bucket })),
    ],
    [
      'PutBucketVersioning',
      's3:PutBucketVersioning',
      () =>
        s3.send(
          new PutBucketVersioningCommand({
            Bucket,
            VersioningConfiguration: { Status: 'Enabled' },
          }),
        ),
    ],
    [
      'GetBucketTagging',
      's3:GetBucketTagging',
      () => s3.send(new GetBucketTaggingCommand({ Bucket })),
    ],
    [
      'PutBucketTagging',
      's3:PutBucketTagging',
      () =>
        s3.send(
          new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }),
        ),
    ],
    [
      'DeleteBucketTagging',
      's3:PutBucketTagging',
      () => s3.send(new DeleteBucketTaggingCommand({ Bucket })),
    ],
    ['GetBucketAcl', 's3:GetBucketAcl', () => s3.send(new GetBucketAclCommand({ Bucket }))],
    [
      'GetBucketLifecycleConfiguration',
      's3:GetLifecycleConfiguration',
      () => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })),
    ],
    [
      'PutBucketLifecycleConfiguration',
      's3:PutLifecycleConfiguration',
      () =>
        s3.send(
          new PutBucketLifecycleConfigurationCommand({
            Bucket,
            LifecycleConfiguration: {
              Rules: [
                { ID: 'r', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } },
              ],
            },
          }),
        ),
    ],
    [
      'DeleteBucketLifecycle',
      's3:PutLifecycleConfiguration',
      () => s3.send(new DeleteBucketLifecycleCommand({ Bucket })),
    ],
    [
      'GetBucketEncryption',
      's3:GetEncryptionConfiguration',
      () => s3.send(new GetBucketEncryptionCommand({ Bucket })),
    ],
    [
      'PutBucketEncryption',
      's3:PutEncryptionConfiguration',
      () =>
        s3.send(
          new PutBucketEncryptionCommand({
            Bucket,
            ServerSideEncryptionConfiguration: {
              Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
            },
          }),
        ),
    ],
    [
      'DeleteBucketEncryption',
      's3:PutEncryptionConfiguration',
      () => s3.send(new DeleteBucketEncryptionCommand({ Bucket })),
    ],
    [
      'GetPublicAccessBlock',
      's3:GetBucketPublicAccessBlock',
      () => s3.send(new GetPublicAccessBlockCommand({ Bucket })),
    ],
    [
      'PutPublicAccessBlock',
      's3:PutBucketPublicAccessBlock',
      () =>
        s3.send(
          new PutPublicAccessBlockCommand({
            Bucket,
            PublicAccessBlockConfiguration: { BlockPublicAcls: true },
          }),
        ),
    ],
    [
      'DeletePublicAccessBlock',
      's3:PutBucketPublicAccessBlock',
      () => s3.send(new DeletePublicAccessBlockCommand({ Bucket })),
    ],
  ])('authorizes %s with %s on the bucket', async (_operation, action, send) => {
    const { request, authorizations } = await s3Call(send);

    expect(authorizations).toEqual(only(action, 'arn:aws:s3:::site', signed(request)));
  });

  it('authorizes PutBucketAcl with s3:PutBucketAcl, carrying the canned ACL', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new PutBucketAclCommand({ Bucket, ACL: 'public-read' })),
    );

    expect(authorizations).toEqual(
      only('s3:PutBucketAcl', 'arn:aws:s3:::site', {
        ...signed(request),
        's3:x-amz-acl': 'public-read',
      }),
    );
  });

  it('authorizes GetObject with s3:GetObject on the object', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new GetObjectCommand({ Bucket: 'photos', Key: 'cat.jpg' })),
    );

    expect(authorizations).toEqual(
      only('s3:GetObject', 'arn:aws:s3:::photos/cat.jpg', signed(request)),
    );
  });

  it('authorizes HeadObject with s3:GetObject on the object', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new HeadObjectCommand({ Bucket: 'photos', Key: 'cat.jpg' })),
    );

    expect(authorizations).toEqual(
      only('s3:GetObject', 'arn:aws:s3:::photos/cat.jpg', signed(request)),
    );
  });

  it('authorizes reading a version with s3:GetObjectVersion, carrying s3:versionid', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new GetObjectCommand({ Bucket: 'photos', Key: 'cat.jpg', VersionId: 'v7' })),
    );

    expect(authorizations).toEqual(
      only('s3:GetObjectVersion', 'arn:aws:s3:::photos/cat.jpg', {
        ...signed(request),
        's3:versionid': 'v7',
      }),
    );
  });

  it('names the decoded key in the ARN when it has spaces and non-ASCII characters', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(
        new PutObjectCommand({ Bucket: 'photos', Key: 'summer 2024/été ✓+1.jpg', Body: 'x' }),
      ),
    );

    expect(request.url).toContain('/photos/summer%202024/');
    expect(authorizations).toEqual(
      only('s3:PutObject', 'arn:aws:s3:::photos/summer 2024/été ✓+1.jpg', signed(request)),
    );
  });

  it('carries the encryption and storage-class headers of PutObject as condition keys', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(
        new PutObjectCommand({
          Bucket: 'photos',
          Key: 'cat.jpg',
          Body: 'x',
          ServerSideEncryption: 'AES256',
          StorageClass: 'STANDARD_IA',
        }),
      ),
    );

    expect(authorizations).toEqual(
      only('s3:PutObject', 'arn:aws:s3:::photos/cat.jpg', {
        ...signed(request),
        's3:x-amz-server-side-encryption': 'AES256',
        's3:x-amz-storage-class': 'STANDARD_IA',
      }),
    );
  });

  it('also needs s3:PutObjectAcl when PutObject sets a canned ACL', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(
        new PutObjectCommand({ Bucket: 'photos', Key: 'cat.jpg', Body: 'x', ACL: 'public-read' }),
      ),
    );

    const keys = { ...signed(request), 's3:x-amz-acl': 'public-read' };
    expect(authorizations).toEqual([
      { action: 's3:PutObject', resource: 'arn:aws:s3:::photos/cat.jpg', conditionKeys: keys },
      { action: 's3:PutObjectAcl', resource: 'arn:aws:s3:::photos/cat.jpg', conditionKeys: keys },
    ]);
  });

  it('also needs s3:PutObjectTagging when PutObject tags the object, carrying the request tags', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(
        new PutObjectCommand({ Bucket: 'photos', Key: 'cat.jpg', Body: 'x', Tagging: 'team=blue' }),
      ),
    );

    const tags = { 's3:RequestObjectTag/team': 'blue', 's3:RequestObjectTagKeys': ['team'] };
    expect(authorizations).toEqual([
      {
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::photos/cat.jpg',
        conditionKeys: { ...signed(request), ...tags },
      },
      {
        action: 's3:PutObjectTagging',
        resource: 'arn:aws:s3:::photos/cat.jpg',
        conditionKeys: { ...signed(request), ...tags },
      },
    ]);
  });

  it('authorizes CopyObject with s3:PutObject on the target and s3:GetObject on the decoded source', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(
        new CopyObjectCommand({
          Bucket: 'photos',
          Key: 'copy.jpg',
          CopySource: 'originals/big%20cat%20%C3%A9.jpg',
        }),
      ),
    );

    expect(authorizations).toEqual([
      {
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::photos/copy.jpg',
        conditionKeys: { ...signed(request), 's3:x-amz-copy-source': 'originals/big cat é.jpg' },
      },
      {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::originals/big cat é.jpg',
        conditionKeys: signed(request),
      },
    ]);
  });

  it('authorizes copying a source version with s3:GetObjectVersion on the source', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(
        new CopyObjectCommand({
          Bucket: 'photos',
          Key: 'copy.jpg',
          CopySource: '/originals/cat.jpg?versionId=v3',
        }),
      ),
    );

    expect(authorizations).toContainEqual({
      action: 's3:GetObjectVersion',
      resource: 'arn:aws:s3:::originals/cat.jpg',
      conditionKeys: { ...signed(request), 's3:versionid': 'v3' },
    });
  });

  it('authorizes DeleteObject with s3:DeleteObject', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new DeleteObjectCommand({ Bucket: 'photos', Key: 'cat.jpg' })),
    );

    expect(authorizations).toEqual(
      only('s3:DeleteObject', 'arn:aws:s3:::photos/cat.jpg', signed(request)),
    );
  });

  it('authorizes deleting a version with s3:DeleteObjectVersion', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new DeleteObjectCommand({ Bucket: 'photos', Key: 'cat.jpg', VersionId: 'v1' })),
    );

    expect(authorizations).toEqual(
      only('s3:DeleteObjectVersion', 'arn:aws:s3:::photos/cat.jpg', {
        ...signed(request),
        's3:versionid': 'v1',
      }),
    );
  });

  it('authorizes DeleteObjects with a deletion of every key in the body, XML escapes decoded', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(
        new DeleteObjectsCommand({
          Bucket: 'photos',
          Delete: {
            Objects: [
              { Key: 'a & b <c>.jpg' },
              { Key: 'line\nbreak ✓' },
              { Key: 'v', VersionId: 'v2' },
            ],
          },
        }),
      ),
    );

    expect(authorizations).toEqual([
      {
        action: 's3:DeleteObject',
        resource: 'arn:aws:s3:::photos/a & b <c>.jpg',
        conditionKeys: signed(request),
      },
      {
        action: 's3:DeleteObject',
        resource: 'arn:aws:s3:::photos/line\nbreak ✓',
        conditionKeys: signed(request),
      },
      {
        action: 's3:DeleteObjectVersion',
        resource: 'arn:aws:s3:::photos/v',
        conditionKeys: { ...signed(request), 's3:versionid': 'v2' },
      },
    ]);
  });

  it('authorizes DeleteObjects whose body was not read on every object of the bucket', async () => {
    const request = await received(() =>
      s3.send(new DeleteObjectsCommand({ Bucket: 'photos', Delete: { Objects: [{ Key: 'a' }] } })),
    );

    const authorizations = authorizationsFor({ ...incoming(request), body: undefined }, context);

    expect(authorizations).toEqual(
      only('s3:DeleteObject', 'arn:aws:s3:::photos/*', signed(request)),
    );
  });

  it.each<[string, () => Promise<unknown>]>([
    [
      'CreateMultipartUpload',
      () => s3.send(new CreateMultipartUploadCommand({ Bucket: 'photos', Key: 'big.bin' })),
    ],
    [
      'UploadPart',
      () =>
        s3.send(
          new UploadPartCommand({
            Bucket: 'photos',
            Key: 'big.bin',
            UploadId: 'u1',
            PartNumber: 1,
            Body: 'part',
          }),
        ),
    ],
    [
      'CompleteMultipartUpload',
      () =>
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: 'photos',
            Key: 'big.bin',
            UploadId: 'u1',
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"e"' }] },
          }),
        ),
    ],
  ])('authorizes %s with s3:PutObject on the object', async (_operation, send) => {
    const { request, authorizations } = await s3Call(send);

    expect(authorizations).toEqual(
      only('s3:PutObject', 'arn:aws:s3:::photos/big.bin', signed(request)),
    );
  });

  it('authorizes UploadPartCopy with s3:PutObject on the target and s3:GetObject on the source', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(
        new UploadPartCopyCommand({
          Bucket: 'photos',
          Key: 'big.bin',
          UploadId: 'u1',
          PartNumber: 2,
          CopySource: 'originals/huge.bin',
        }),
      ),
    );

    expect(authorizations).toEqual([
      {
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::photos/big.bin',
        conditionKeys: { ...signed(request), 's3:x-amz-copy-source': 'originals/huge.bin' },
      },
      {
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::originals/huge.bin',
        conditionKeys: signed(request),
      },
    ]);
  });

  it('authorizes AbortMultipartUpload with s3:AbortMultipartUpload', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(
        new AbortMultipartUploadCommand({ Bucket: 'photos', Key: 'big.bin', UploadId: 'u1' }),
      ),
    );

    expect(authorizations).toEqual(
      only('s3:AbortMultipartUpload', 'arn:aws:s3:::photos/big.bin', signed(request)),
    );
  });

  it('authorizes ListParts with s3:ListMultipartUploadParts', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new ListPartsCommand({ Bucket: 'photos', Key: 'big.bin', UploadId: 'u1' })),
    );

    expect(authorizations).toEqual(
      only('s3:ListMultipartUploadParts', 'arn:aws:s3:::photos/big.bin', signed(request)),
    );
  });

  const object = { Bucket: 'photos', Key: 'cat.jpg' };
  it.each<[string, string, () => Promise<unknown>]>([
    ['GetObjectTagging', 's3:GetObjectTagging', () => s3.send(new GetObjectTaggingCommand(object))],
    [
      'PutObjectTagging',
      's3:PutObjectTagging',
      () =>
        s3.send(
          new PutObjectTaggingCommand({
            ...object,
            Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] },
          }),
        ),
    ],
    [
      'DeleteObjectTagging',
      's3:DeleteObjectTagging',
      () => s3.send(new DeleteObjectTaggingCommand(object)),
    ],
    ['GetObjectAcl', 's3:GetObjectAcl', () => s3.send(new GetObjectAclCommand(object))],
    [
      'PutObjectAcl',
      's3:PutObjectAcl',
      () =>
        s3.send(
          new PutObjectAclCommand({
            ...object,
            AccessControlPolicy: { Owner: { ID: 'o' }, Grants: [] },
          }),
        ),
    ],
  ])('authorizes %s with %s on the object', async (_operation, action, send) => {
    const { request, authorizations } = await s3Call(send);

    expect(authorizations).toEqual(only(action, 'arn:aws:s3:::photos/cat.jpg', signed(request)));
  });

  it('authorizes reading a version’s tags with s3:GetObjectVersionTagging', async () => {
    const { request, authorizations } = await s3Call(() =>
      s3.send(new GetObjectTaggingCommand({ ...object, VersionId: 'v9' })),
    );

    expect(authorizations).toEqual(
      only('s3:GetObjectVersionTagging', 'arn:aws:s3:::photos/cat.jpg', {
        ...signed(request),
        's3:versionid': 'v9',
      }),
    );
  });

  it('authorizes an upload to a pre-signed URL as s3:PutObject authenticated by query string', async () => {
    const url = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: 'uploads', Key: 'avatar 1.png' }),
      { expiresIn: 60 },
    );

    const authorizations = await authorizationsOf(async () => {
      const response = await fetch(url, { method: 'PUT', body: 'png' });
      await response.arrayBuffer();
    });

    expect(authorizations).toEqual(
      only('s3:PutObject', 'arn:aws:s3:::uploads/avatar 1.png', {
        's3:authType': 'REST-QUERY-STRING',
        's3:signatureversion': 'AWS4-HMAC-SHA256',
      }),
    );
  });

  it('authorizes a browser’s form upload with s3:PutObject on every key of the bucket', async () => {
    const form = new FormData();
    form.append('key', 'uploads/${filename}');
    form.append('file', new Blob(['png']), 'avatar.png');

    const authorizations = await authorizationsOf(async () => {
      const response = await fetch(`${endpoint}/uploads`, { method: 'POST', body: form });
      await response.arrayBuffer();
    });

    expect(authorizations).toEqual(
      only('s3:PutObject', 'arn:aws:s3:::uploads/*', { 's3:authType': 'POST' }),
    );
  });

  it('needs no authorization for a CORS preflight', async () => {
    const authorizations = await authorizationsOf(async () => {
      const response = await fetch(`${endpoint}/uploads/avatar.png`, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'PUT' },
      });
      await response.arrayBuffer();
    });

    expect(authorizations).toEqual([]);
  });

  it('reads the bucket from the Host header of a virtual-hosted-style request', async () => {
    // The SDK addresses `<bucket>.s3.local.test`; the agent resolves every name to this machine.
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    };
    const agent = new Agent({ lookup });
    const virtual = new S3Client({
      ...base,
      endpoint: `http://s3.local.test:${port}`,
      requestHandler: { httpAgent: agent },
    });

    const request = await received(() =>
      virtual.send(new GetObjectCommand({ Bucket: 'photos', Key: 'cat.jpg' })),
    );
    virtual.destroy();
    agent.destroy();

    expect(request.headers.host).toBe(`photos.s3.local.test:${port}`);
    expect(authorizationsFor(incoming(request), context)).toEqual(
      only('s3:GetObject', 'arn:aws:s3:::photos/cat.jpg', signed(request)),
    );
  });

  it('authorizes a request it cannot classify with s3:<method> on every resource', async () => {
    const authorizations = await authorizationsOf(async () => {
      const response = await fetch(`${endpoint}/photos/cat.jpg`, { method: 'PATCH', body: 'x' });
      await response.arrayBuffer();
    });

    expect(authorizations).toEqual(only('s3:PATCH', '*'));
  });
});

// ----- DynamoDB --------------------------------------------------------------------------------

describe('DynamoDB', () => {
  const Key = { id: { S: '1' } };

  it('authorizes GetItem on the table, carrying the projected attributes and ReturnConsumedCapacity', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new GetItemCommand({
          TableName: 'items',
          Key,
          ProjectionExpression: 'id, #n, details.size, tags[0]',
          ExpressionAttributeNames: { '#n': 'name' },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );

    expect(authorizations).toEqual(
      only('dynamodb:GetItem', TABLE, {
        'dynamodb:Attributes': ['id', 'name', 'details', 'tags'],
        'dynamodb:ReturnConsumedCapacity': 'TOTAL',
      }),
    );
  });

  it('uses a table ARN given as TableName as the resource', async () => {
    const arn = 'arn:aws:dynamodb:eu-west-1:999999999999:table/elsewhere';

    const authorizations = await authorizationsOf(() =>
      dynamodb.send(new GetItemCommand({ TableName: arn, Key })),
    );

    expect(authorizations).toEqual(only('dynamodb:GetItem', arn));
  });

  it('authorizes a Query of an index on the index’s ARN, carrying Select', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new QueryCommand({
          TableName: 'items',
          IndexName: 'by-owner',
          KeyConditionExpression: 'ownerId = :o',
          ExpressionAttributeValues: { ':o': { S: 'u1' } },
          Select: 'COUNT',
        }),
      ),
    );

    expect(authorizations).toEqual(
      only('dynamodb:Query', `${TABLE}/index/by-owner`, { 'dynamodb:Select': 'COUNT' }),
    );
  });

  it('authorizes a Scan of the table on the table', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(new ScanCommand({ TableName: 'items' })),
    );

    expect(authorizations).toEqual(only('dynamodb:Scan', TABLE));
  });

  it('authorizes PutItem, carrying the item’s attributes and ReturnValues', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new PutItemCommand({
          TableName: 'items',
          Item: { id: { S: '1' }, title: { S: 't' } },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );

    expect(authorizations).toEqual(
      only('dynamodb:PutItem', TABLE, {
        'dynamodb:Attributes': ['id', 'title'],
        'dynamodb:ReturnValues': 'ALL_OLD',
      }),
    );
  });

  it('authorizes UpdateItem, carrying the key and the top-level attributes of the update expression', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new UpdateItemCommand({
          TableName: 'items',
          Key,
          UpdateExpression:
            'SET #c = if_not_exists(#c, :zero) + :one, details.size = :s REMOVE draft ADD views :one',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':s': { N: '3' } },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );

    expect(authorizations).toEqual(
      only('dynamodb:UpdateItem', TABLE, {
        'dynamodb:Attributes': ['id', 'count', 'details', 'draft', 'views'],
        'dynamodb:ReturnValues': 'UPDATED_NEW',
      }),
    );
  });

  it('authorizes DeleteItem on the table', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(new DeleteItemCommand({ TableName: 'items', Key })),
    );

    expect(authorizations).toEqual(only('dynamodb:DeleteItem', TABLE));
  });

  it('authorizes ListTables on every resource', async () => {
    const authorizations = await authorizationsOf(() => dynamodb.send(new ListTablesCommand({})));

    expect(authorizations).toEqual(only('dynamodb:ListTables', '*'));
  });

  it.each<[string, () => Promise<unknown>]>([
    ['DescribeTable', () => dynamodb.send(new DescribeTableCommand({ TableName: 'items' }))],
    [
      'CreateTable',
      () =>
        dynamodb.send(
          new CreateTableCommand({
            TableName: 'items',
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        ),
    ],
    ['DeleteTable', () => dynamodb.send(new DeleteTableCommand({ TableName: 'items' }))],
    [
      'UpdateTable',
      () =>
        dynamodb.send(
          new UpdateTableCommand({ TableName: 'items', BillingMode: 'PAY_PER_REQUEST' }),
        ),
    ],
    [
      'DescribeTimeToLive',
      () => dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'items' })),
    ],
    [
      'UpdateTimeToLive',
      () =>
        dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: 'items',
            TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' },
          }),
        ),
    ],
    [
      'TagResource',
      () =>
        dynamodb.send(
          new TagTableCommand({ ResourceArn: TABLE, Tags: [{ Key: 'a', Value: 'b' }] }),
        ),
    ],
    [
      'ListTagsOfResource',
      () => dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: TABLE })),
    ],
  ])('authorizes %s with the dynamodb action of its name on the table', async (operation, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`dynamodb:${operation}`, TABLE));
  });

  it('authorizes BatchGetItem on every table it reads', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new BatchGetItemCommand({
          RequestItems: {
            items: { Keys: [Key], ProjectionExpression: 'id' },
            owners: { Keys: [Key] },
          },
        }),
      ),
    );

    expect(authorizations).toEqual([
      {
        action: 'dynamodb:BatchGetItem',
        resource: TABLE,
        conditionKeys: { 'dynamodb:Attributes': ['id'] },
      },
      {
        action: 'dynamodb:BatchGetItem',
        resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/owners',
        conditionKeys: {},
      },
    ]);
  });

  it('authorizes BatchWriteItem on every table it writes', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            items: [{ PutRequest: { Item: Key } }],
            archive: [{ DeleteRequest: { Key } }],
          },
          ReturnConsumedCapacity: 'INDEXES',
        }),
      ),
    );

    const keys = { 'dynamodb:ReturnConsumedCapacity': 'INDEXES' };
    expect(authorizations).toEqual([
      { action: 'dynamodb:BatchWriteItem', resource: TABLE, conditionKeys: keys },
      {
        action: 'dynamodb:BatchWriteItem',
        resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/archive',
        conditionKeys: keys,
      },
    ]);
  });

  it('authorizes TransactGetItems with dynamodb:GetItem on each item’s table, enclosed by the transaction', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new TransactGetItemsCommand({
          TransactItems: [
            { Get: { TableName: 'items', Key } },
            { Get: { TableName: 'owners', Key } },
          ],
        }),
      ),
    );

    const enclosed = { 'dynamodb:EnclosingOperation': 'TransactGetItems' };
    expect(authorizations).toEqual([
      { action: 'dynamodb:GetItem', resource: TABLE, conditionKeys: enclosed },
      {
        action: 'dynamodb:GetItem',
        resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/owners',
        conditionKeys: enclosed,
      },
    ]);
  });

  it('authorizes TransactWriteItems with each item’s own action', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'items', Item: Key } },
            {
              Update: {
                TableName: 'items',
                Key,
                UpdateExpression: 'SET n = :n',
                ExpressionAttributeValues: { ':n': { N: '1' } },
              },
            },
            { Delete: { TableName: 'archive', Key } },
            {
              ConditionCheck: {
                TableName: 'owners',
                Key,
                ConditionExpression: 'attribute_exists(id)',
              },
            },
          ],
        }),
      ),
    );

    const enclosed = { 'dynamodb:EnclosingOperation': 'TransactWriteItems' };
    const table = (name: string): string => `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`;
    expect(authorizations).toEqual([
      {
        action: 'dynamodb:PutItem',
        resource: TABLE,
        conditionKeys: { 'dynamodb:Attributes': ['id'], ...enclosed },
      },
      {
        action: 'dynamodb:UpdateItem',
        resource: TABLE,
        conditionKeys: { 'dynamodb:Attributes': ['id', 'n'], ...enclosed },
      },
      { action: 'dynamodb:DeleteItem', resource: table('archive'), conditionKeys: enclosed },
      { action: 'dynamodb:ConditionCheckItem', resource: table('owners'), conditionKeys: enclosed },
    ]);
  });

  it('authorizes a PartiQL SELECT from an index with dynamodb:PartiQLSelect on the index', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new ExecuteStatementCommand({
          Statement: 'SELECT * FROM "items"."by-owner" WHERE ownerId = ?',
          Parameters: [{ S: 'u' }],
        }),
      ),
    );

    expect(authorizations).toEqual(only('dynamodb:PartiQLSelect', `${TABLE}/index/by-owner`));
  });

  it('authorizes a body that is not JSON with the operation on every resource', async () => {
    const authorizations = await authorizationsOf(async () => {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'x-amz-target': 'DynamoDB_20120810.GetItem',
          'content-type': 'application/x-amz-json-1.0',
          authorization:
            `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20261126/us-east-1/dynamodb/aws4_request, ` +
            'SignedHeaders=host;x-amz-date, Signature=0000',
        },
        body: '{"TableName": "items",',
      });
      await response.arrayBuffer();
    });

    expect(authorizations).toEqual(only('dynamodb:GetItem', '*'));
  });
});

// ----- SQS -------------------------------------------------------------------------------------

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
      const response = await fetch(`${endpoint}/000000000000/jobs`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization:
            `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20261126/us-east-1/sqs/aws4_request, ` +
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

// ----- SNS -------------------------------------------------------------------------------------

describe('SNS', () => {
  const subscription = `${TOPIC}:5f3c1e2a-0000-4000-8000-000000000001`;

  it('authorizes Publish on the topic', async () => {
    const authorizations = await authorizationsOf(() =>
      sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'hello' })),
    );

    expect(authorizations).toEqual(only('sns:Publish', TOPIC));
  });

  it('authorizes Publish to a TargetArn on that target', async () => {
    const authorizations = await authorizationsOf(() =>
      sns.send(new PublishCommand({ TargetArn: TOPIC, Message: 'hello' })),
    );

    expect(authorizations).toEqual(only('sns:Publish', TOPIC));
  });

  it('authorizes PublishBatch with sns:Publish on the topic', async () => {
    const authorizations = await authorizationsOf(() =>
      sns.send(
        new PublishBatchCommand({
          TopicArn: TOPIC,
          PublishBatchRequestEntries: [{ Id: '1', Message: 'a' }],
        }),
      ),
    );

    expect(authorizations).toEqual(only('sns:Publish', TOPIC));
  });

  it('authorizes Subscribe on the topic, carrying the protocol and endpoint', async () => {
    const authorizations = await authorizationsOf(() =>
      sns.send(new SubscribeCommand({ TopicArn: TOPIC, Protocol: 'sqs', Endpoint: QUEUE })),
    );

    expect(authorizations).toEqual(
      only('sns:Subscribe', TOPIC, { 'sns:Protocol': 'sqs', 'sns:Endpoint': QUEUE }),
    );
  });

  it('authorizes CreateTopic on the topic it will create', async () => {
    const authorizations = await authorizationsOf(() =>
      sns.send(new CreateTopicCommand({ Name: 'published' })),
    );

    expect(authorizations).toEqual(only('sns:CreateTopic', TOPIC));
  });

  it.each<[string, () => Promise<unknown>]>([
    ['DeleteTopic', () => sns.send(new DeleteTopicCommand({ TopicArn: TOPIC }))],
    ['GetTopicAttributes', () => sns.send(new GetTopicAttributesCommand({ TopicArn: TOPIC }))],
    [
      'SetTopicAttributes',
      () =>
        sns.send(
          new SetTopicAttributesCommand({
            TopicArn: TOPIC,
            AttributeName: 'DisplayName',
            AttributeValue: 'x',
          }),
        ),
    ],
    [
      'ListSubscriptionsByTopic',
      () => sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: TOPIC })),
    ],
    ['Unsubscribe', () => sns.send(new UnsubscribeCommand({ SubscriptionArn: subscription }))],
    [
      'GetSubscriptionAttributes',
      () => sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription })),
    ],
    [
      'SetSubscriptionAttributes',
      () =>
        sns.send(
          new SetSubscriptionAttributesCommand({
            SubscriptionArn: subscription,
            AttributeName: 'RawMessageDelivery',
            AttributeValue: 'true',
          }),
        ),
    ],
    [
      'TagResource',
      () => sns.send(new TagTopicCommand({ ResourceArn: TOPIC, Tags: [{ Key: 'a', Value: 'b' }] })),
    ],
    ['ListTagsForResource', () => sns.send(new ListTagsForResourceCommand({ ResourceArn: TOPIC }))],
  ])('authorizes %s with the sns action of its name on the topic', async (action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`sns:${action}`, TOPIC));
  });

  it.each<[string, () => Promise<unknown>]>([
    ['ListTopics', () => sns.send(new ListTopicsCommand({}))],
    ['ListSubscriptions', () => sns.send(new ListSubscriptionsCommand({}))],
  ])('authorizes %s on every resource', async (action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`sns:${action}`, '*'));
  });
});

// ----- Step Functions ----------------------------------------------------------------------------

describe('Step Functions', () => {
  it.each<[string, () => Promise<unknown>]>([
    [
      'StartExecution',
      () => sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE, input: '{}' })),
    ],
    [
      'StartSyncExecution',
      () => sfn.send(new StartSyncExecutionCommand({ stateMachineArn: MACHINE })),
    ],
    [
      'DescribeStateMachine',
      () => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE })),
    ],
    ['ListExecutions', () => sfn.send(new ListExecutionsCommand({ stateMachineArn: MACHINE }))],
    [
      'UpdateStateMachine',
      () => sfn.send(new UpdateStateMachineCommand({ stateMachineArn: MACHINE, definition: '{}' })),
    ],
    [
      'DeleteStateMachine',
      () => sfn.send(new DeleteStateMachineCommand({ stateMachineArn: MACHINE })),
    ],
  ])(
    'authorizes %s with the states action of its name on the state machine',
    async (action, send) => {
      const authorizations = await authorizationsOf(send);

      expect(authorizations).toEqual(only(`states:${action}`, MACHINE));
    },
  );

  it.each<[string, () => Promise<unknown>]>([
    [
      'DescribeExecution',
      () => sfn.send(new DescribeExecutionCommand({ executionArn: EXECUTION })),
    ],
    [
      'GetExecutionHistory',
      () => sfn.send(new GetExecutionHistoryCommand({ executionArn: EXECUTION })),
    ],
    ['StopExecution', () => sfn.send(new StopExecutionCommand({ executionArn: EXECUTION }))],
    [
      'DescribeStateMachineForExecution',
      () => sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: EXECUTION })),
    ],
  ])('authorizes %s with the states action of its name on the execution', async (action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`states:${action}`, EXECUTION));
  });

  it('authorizes CreateStateMachine on the state machine it will create', async () => {
    const authorizations = await authorizationsOf(() =>
      sfn.send(
        new CreateStateMachineCommand({
          name: 'publish-item',
          definition: '{}',
          roleArn: 'arn:aws:iam::123456789012:role/r',
        }),
      ),
    );

    expect(authorizations).toEqual(only('states:CreateStateMachine', MACHINE));
  });

  it.each<[string, () => Promise<unknown>]>([
    ['ListStateMachines', () => sfn.send(new ListStateMachinesCommand({}))],
    [
      'SendTaskSuccess',
      () => sfn.send(new SendTaskSuccessCommand({ taskToken: 't', output: '{}' })),
    ],
    ['SendTaskFailure', () => sfn.send(new SendTaskFailureCommand({ taskToken: 't' }))],
    ['SendTaskHeartbeat', () => sfn.send(new SendTaskHeartbeatCommand({ taskToken: 't' }))],
  ])('authorizes %s on every resource', async (action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`states:${action}`, '*'));
  });

  it('authorizes a body that is not JSON with the operation on every resource', async () => {
    const request = await received(() =>
      sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE })),
    );

    const authorizations = authorizationsFor(
      { ...incoming(request), body: Buffer.from('{"stateMachineArn":') },
      context,
    );

    expect(authorizations).toEqual(only('states:StartExecution', '*'));
  });
});

// ----- Lambda ----------------------------------------------------------------------------------

describe('Lambda', () => {
  it('authorizes Invoke by name with lambda:InvokeFunction on the function', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: 'get-item', Payload: Buffer.from('{}') })),
    );

    expect(authorizations).toEqual(only('lambda:InvokeFunction', FUNCTION));
  });

  it('adds the Qualifier parameter to the function’s ARN', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: 'get-item', Qualifier: '7' })),
    );

    expect(authorizations).toEqual(only('lambda:InvokeFunction', `${FUNCTION}:7`));
  });

  it('keeps an alias given in the function name', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: 'get-item:live' })),
    );

    expect(authorizations).toEqual(only('lambda:InvokeFunction', `${FUNCTION}:live`));
  });

  it('takes the account of a partial ARN', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: '210987654321:function:get-item:live' })),
    );

    expect(authorizations).toEqual(
      only('lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:210987654321:function:get-item:live'),
    );
  });

  it('uses a full ARN as it is', async () => {
    const arn = 'arn:aws:lambda:eu-west-1:210987654321:function:remote';

    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: arn })),
    );

    expect(authorizations).toEqual(only('lambda:InvokeFunction', arn));
  });

  it('authorizes an asynchronous Invoke with lambda:InvokeFunction too', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: 'get-item', InvocationType: 'Event' })),
    );

    expect(authorizations).toEqual(only('lambda:InvokeFunction', FUNCTION));
  });

  it('authorizes the legacy InvokeAsync with lambda:InvokeAsync', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(
        new InvokeAsyncCommand({ FunctionName: 'get-item', InvokeArgs: Buffer.from('{}') }),
      ),
    );

    expect(authorizations).toEqual(only('lambda:InvokeAsync', FUNCTION));
  });

  it.each<[string, () => Promise<unknown>]>([
    ['GetFunction', () => lambda.send(new GetFunctionCommand({ FunctionName: 'get-item' }))],
    [
      'GetFunctionConfiguration',
      () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'get-item' })),
    ],
    ['GetPolicy', () => lambda.send(new GetPolicyCommand({ FunctionName: 'get-item' }))],
  ])('authorizes %s with the lambda action of its name on the function', async (action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`lambda:${action}`, FUNCTION));
  });

  it('authorizes ListFunctions on every resource', async () => {
    const authorizations = await authorizationsOf(() => lambda.send(new ListFunctionsCommand({})));

    expect(authorizations).toEqual(only('lambda:ListFunctions', '*'));
  });

  it('authorizes a path it does not know with lambda:<method> on every resource', async () => {
    const request = await received(() => lambda.send(new ListFunctionsCommand({})));

    const authorizations = authorizationsFor(
      { ...incoming(request), rawPath: '/2099-01-01/gadgets' },
      context,
    );

    expect(authorizations).toEqual(only('lambda:GET', '*'));
  });
});

// ----- the entry point -------------------------------------------------------------------------

describe('needsBody', () => {
  it('asks for the body of every request to a service other than S3', () => {
    expect(needsBody('dynamodb', 'POST', new URLSearchParams())).toBe(true);
  });

  it('asks for the body of S3’s DeleteObjects, which names its keys there', () => {
    expect(needsBody('s3', 'POST', new URLSearchParams('delete='))).toBe(true);
  });

  it('leaves every other S3 body streaming', () => {
    expect(needsBody('s3', 'PUT', new URLSearchParams('x-id=PutObject'))).toBe(false);
  });
});

it('authorizes a request to a service it does not know with <service>:<operation> on every resource', () => {
  const authorizations = authorizationsFor(
    {
      service: 'kinesis',
      method: 'POST',
      rawPath: '/',
      query: new URLSearchParams(),
      headers: { 'x-amz-target': 'Kinesis_20131202.PutRecord' },
      body: Buffer.from('{}'),
    },
    context,
  );

  expect(authorizations).toEqual(only('kinesis:PutRecord', '*'));
});
