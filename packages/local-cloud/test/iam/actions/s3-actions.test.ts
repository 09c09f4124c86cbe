/**
 * S3's REST operations as IAM sees them (src/iam/actions/s3-actions.ts),
 * through authorizationsFor: the requests are the real ones the SDK's S3Client sends to a
 * recording endpoint (see ../support/sdk-requests.ts).
 */
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
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
import type { RequiredAuthorization } from '../../../src/iam/access-types';
import { authorizationsFor } from '../../../src/iam/request-authorizations';
import type { RecordedRequest } from '../../support/recording-endpoint';
import { context, incoming, only, recordSdkRequests } from '../support/sdk-requests';

const sdk = recordSdkRequests();
const { received, authorizationsOf } = sdk;
let s3: S3Client;

beforeAll(() => {
  s3 = sdk.client((config) => new S3Client({ ...config, forcePathStyle: true }));
});

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
      const response = await fetch(`${sdk.endpoint}/uploads`, { method: 'POST', body: form });
      await response.arrayBuffer();
    });

    expect(authorizations).toEqual(
      only('s3:PutObject', 'arn:aws:s3:::uploads/*', { 's3:authType': 'POST' }),
    );
  });

  it('needs no authorization for a CORS preflight', async () => {
    const authorizations = await authorizationsOf(async () => {
      const response = await fetch(`${sdk.endpoint}/uploads/avatar.png`, {
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
      ...sdk.config,
      endpoint: `http://s3.local.test:${sdk.port}`,
      requestHandler: { httpAgent: agent },
    });

    const request = await received(() =>
      virtual.send(new GetObjectCommand({ Bucket: 'photos', Key: 'cat.jpg' })),
    );
    virtual.destroy();
    agent.destroy();

    expect(request.headers.host).toBe(`photos.s3.local.test:${sdk.port}`);
    expect(authorizationsFor(incoming(request), context)).toEqual(
      only('s3:GetObject', 'arn:aws:s3:::photos/cat.jpg', signed(request)),
    );
  });

  it('authorizes a request it cannot classify with s3:<method> on every resource', async () => {
    const authorizations = await authorizationsOf(async () => {
      const response = await fetch(`${sdk.endpoint}/photos/cat.jpg`, {
        method: 'PATCH',
        body: 'x',
      });
      await response.arrayBuffer();
    });

    expect(authorizations).toEqual(only('s3:PATCH', '*'));
  });
});
