/**
 * The local S3's bucket operations and configuration sub-resources through the real S3Client:
 * create (with a location), head, list, delete, CORS and website documents, and the refusals S3
 * gives (invalid names, missing buckets, non-empty buckets, malformed or hostile XML, operations
 * the local cloud does not emulate).
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketCorsCommand,
  DeleteBucketWebsiteCommand,
  DeleteObjectCommand,
  GetBucketCorsCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketWebsiteCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketCorsCommand,
  PutBucketAccelerateConfigurationCommand,
  PutBucketWebsiteCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { rawRequest, xmlElementText } from '@serverless-week/test-support';
import { s3ErrorOf, useLocalS3 } from '../../support/local-s3';

const local = useLocalS3();

const { newBucket } = local;

describe('buckets', () => {
  it('given a location constraint, when a bucket is created, then it is listed and located in that region', async () => {
    await local.client.send(
      new CreateBucketCommand({
        Bucket: 'in-ireland',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );

    const { Buckets } = await local.client.send(new ListBucketsCommand({}));
    const location = await local.client.send(
      new GetBucketLocationCommand({ Bucket: 'in-ireland' }),
    );
    const head = await local.client.send(new HeadBucketCommand({ Bucket: 'in-ireland' }));

    expect(Buckets?.map((bucket) => bucket.Name)).toContain('in-ireland');
    expect(location.LocationConstraint).toBe('eu-west-1');
    expect(head.BucketRegion).toBe('eu-west-1');
  });

  it('given a bucket of us-east-1, when its location is asked, then S3 answers an empty constraint', async () => {
    await newBucket('in-virginia');

    const location = await local.client.send(
      new GetBucketLocationCommand({ Bucket: 'in-virginia' }),
    );

    expect(location.LocationConstraint).toBeUndefined();
  });

  it('given a bucket outside us-east-1, when it is created again, then S3 answers BucketAlreadyOwnedByYou', async () => {
    const again = local.client.send(
      new CreateBucketCommand({
        Bucket: 'in-ireland',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );

    expect(await s3ErrorOf(again)).toEqual({ code: 'BucketAlreadyOwnedByYou', status: 409 });
  });

  it('given a bucket with an object, when it is deleted, then S3 answers BucketNotEmpty until the object is gone', async () => {
    const bucket = await newBucket('full-bucket');
    await local.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'left.txt', Body: 'x' }));

    const refused = await s3ErrorOf(local.client.send(new DeleteBucketCommand({ Bucket: bucket })));
    await local.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'left.txt' }));
    await local.client.send(new DeleteBucketCommand({ Bucket: bucket }));

    expect(refused).toEqual({ code: 'BucketNotEmpty', status: 409 });
    expect(
      (await s3ErrorOf(local.client.send(new HeadBucketCommand({ Bucket: bucket })))).status,
    ).toBe(404);
  });

  it('given no such bucket, when an object is written to it, then S3 answers NoSuchBucket', async () => {
    const error = await s3ErrorOf(
      local.client.send(new PutObjectCommand({ Bucket: 'never-created', Key: 'k', Body: 'x' })),
    );

    expect(error).toEqual({ code: 'NoSuchBucket', status: 404 });
  });

  it.each([
    ['upper-case letters', '/Bad_Bucket'],
    ['a dot segment', '/..'],
    ['an encoded path', '/..%2F..%2Fsomedir'],
    ['an IP address', '/192.168.1.1'],
    ['two characters', '/ab'],
  ])(
    'given a name with %s, when a bucket is created, then S3 answers InvalidBucketName',
    async (_case, path) => {
      const answer = await rawRequest(local.s3.endpoint, { method: 'PUT', path });

      expect(answer.status).toBe(400);
      expect(xmlElementText(answer.text, 'Code')).toBe('InvalidBucketName');
    },
  );
});

describe('CORS configuration', () => {
  it('given a CORS configuration, when it is put and read back, then the rules are the same', async () => {
    const bucket = await newBucket('cors-rules');
    const rule = {
      AllowedOrigins: ['https://app.example'],
      AllowedMethods: ['GET', 'PUT'],
      AllowedHeaders: ['content-type'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 300,
    };

    await local.client.send(
      new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [rule] } }),
    );
    const read = await local.client.send(new GetBucketCorsCommand({ Bucket: bucket }));

    expect(read.CORSRules).toEqual([rule]);
  });

  it('given a deleted CORS configuration, when it is read, then S3 answers NoSuchCORSConfiguration', async () => {
    const bucket = await newBucket('cors-gone');
    await local.client.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'] }] },
      }),
    );

    await local.client.send(new DeleteBucketCorsCommand({ Bucket: bucket }));

    const error = await s3ErrorOf(local.client.send(new GetBucketCorsCommand({ Bucket: bucket })));
    expect(error).toEqual({ code: 'NoSuchCORSConfiguration', status: 404 });
  });

  it('given a CORS document with an external entity (XXE), when it is put, then S3 answers MalformedXML and stores nothing', async () => {
    const bucket = await newBucket('cors-xxe');
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>' +
      '<CORSConfiguration><CORSRule><AllowedOrigin>&x;</AllowedOrigin>' +
      '<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>';

    const put = await rawRequest(local.s3.endpoint, {
      method: 'PUT',
      path: `/${bucket}?cors`,
      body: xxe,
    });
    const get = await rawRequest(local.s3.endpoint, { method: 'GET', path: `/${bucket}?cors` });

    expect([put.status, xmlElementText(put.text, 'Code')]).toEqual([400, 'MalformedXML']);
    expect([get.status, xmlElementText(get.text, 'Code')]).toEqual([
      404,
      'NoSuchCORSConfiguration',
    ]);
  });

  it.each([
    ['unclosed elements', '<CORSConfiguration><CORSRule>'],
    ['no rule', '<CORSConfiguration></CORSConfiguration>'],
    [
      'a rule without an origin',
      '<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>',
    ],
    [
      'an undefined entity',
      '<CORSConfiguration><CORSRule><AllowedOrigin>&lol;</AllowedOrigin></CORSRule></CORSConfiguration>',
    ],
    ['not XML at all', '{"CORSRules": []}'],
  ])(
    'given a CORS document with %s, when it is put, then S3 answers MalformedXML',
    async (problem, body) => {
      const bucket = await newBucket(`cors-bad-${problem.replace(/[^a-z]+/g, '-')}`);

      const put = await rawRequest(local.s3.endpoint, {
        method: 'PUT',
        path: `/${bucket}?cors`,
        body,
      });

      expect([put.status, xmlElementText(put.text, 'Code')]).toEqual([400, 'MalformedXML']);
    },
  );
});

describe('website configuration', () => {
  it('given a website configuration, when it is put and read back, then the documents are the same', async () => {
    const bucket = await newBucket('site-config');

    await local.client.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: {
          IndexDocument: { Suffix: 'index.html' },
          ErrorDocument: { Key: 'oops.html' },
        },
      }),
    );
    const read = await local.client.send(new GetBucketWebsiteCommand({ Bucket: bucket }));

    expect(read).toMatchObject({
      IndexDocument: { Suffix: 'index.html' },
      ErrorDocument: { Key: 'oops.html' },
    });
  });

  it('given a deleted website configuration, when it is read, then S3 answers NoSuchWebsiteConfiguration', async () => {
    const bucket = await newBucket('site-gone');
    await local.client.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: { IndexDocument: { Suffix: 'i.html' } },
      }),
    );

    await local.client.send(new DeleteBucketWebsiteCommand({ Bucket: bucket }));

    const error = await s3ErrorOf(
      local.client.send(new GetBucketWebsiteCommand({ Bucket: bucket })),
    );
    expect(error).toEqual({ code: 'NoSuchWebsiteConfiguration', status: 404 });
  });
});

describe('what the local cloud does not emulate', () => {
  it('given a sub-resource S3 has and the local cloud does not emulate, when it is called, then S3 answers 501 NotImplemented', async () => {
    const bucket = await newBucket('not-emulated');

    const logging = await s3ErrorOf(
      local.client.send(new GetBucketLoggingCommand({ Bucket: bucket })),
    );
    const accelerate = await s3ErrorOf(
      local.client.send(
        new PutBucketAccelerateConfigurationCommand({
          Bucket: bucket,
          AccelerateConfiguration: { Status: 'Enabled' },
        }),
      ),
    );

    expect(logging).toEqual({ code: 'NotImplemented', status: 501 });
    expect(accelerate).toEqual({ code: 'NotImplemented', status: 501 });
  });

  it('given a method S3 has no operation for, when it is sent, then S3 answers 405 MethodNotAllowed', async () => {
    const bucket = await newBucket('no-such-method');

    const answer = await rawRequest(local.s3.endpoint, { method: 'PATCH', path: `/${bucket}/key` });

    expect([answer.status, xmlElementText(answer.text, 'Code')]).toEqual([405, 'MethodNotAllowed']);
  });

  it('given a path that is not valid percent-encoded UTF-8, when it is sent, then S3 answers InvalidURI', async () => {
    const answer = await rawRequest(local.s3.endpoint, {
      method: 'GET',
      path: '/some-bucket/%ff%fe',
    });

    expect([answer.status, xmlElementText(answer.text, 'Code')]).toEqual([400, 'InvalidURI']);
  });
});
