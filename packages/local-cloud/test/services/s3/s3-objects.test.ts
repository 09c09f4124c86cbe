/**
 * The local S3's object operations through the real S3Client, behind the AWS edge: what is stored
 * and answered (headers, metadata, ETags, checksums, ranges, conditions), copies, deletions, and
 * the errors S3 gives, in S3's shape.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { ChecksumAlgorithm, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { rawRequest, xmlElementText } from '@serverless-week/test-support';
import type { ObjectCreated } from '../../../src/services/s3/types';
import { s3ErrorOf, startLocalS3 } from '../../support/local-s3';
import type { LocalS3 } from '../../support/local-s3';

const BUCKET = 'objects-spec';
let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  s3 = await startLocalS3();
  client = s3.client();
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  await s3?.dispose();
});

const md5 = (body: string | Buffer): string => createHash('md5').update(body).digest('hex');

async function put(key: string, body: string | Buffer = 'hello'): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

async function read(key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await object.Body?.transformToString()) ?? '';
}

describe('PutObject and GetObject', () => {
  it('given an object written with headers and metadata, when it is read, then they come back with an MD5 ETag', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'docs/report.txt',
        Body: 'quarterly',
        ContentType: 'text/plain; charset=utf-8',
        CacheControl: 'max-age=60',
        ContentDisposition: 'attachment; filename="report.txt"',
        ContentLanguage: 'en',
        ContentEncoding: 'identity',
        Metadata: { owner: 'finance', 'review-state': 'draft' },
      }),
    );

    const object = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'docs/report.txt' }),
    );

    expect(await object.Body?.transformToString()).toBe('quarterly');
    expect(object).toMatchObject({
      ContentType: 'text/plain; charset=utf-8',
      CacheControl: 'max-age=60',
      ContentDisposition: 'attachment; filename="report.txt"',
      ContentLanguage: 'en',
      ContentEncoding: 'identity',
      ContentLength: 9,
      ETag: `"${md5('quarterly')}"`,
      Metadata: { owner: 'finance', 'review-state': 'draft' },
    });
  });

  it('given a streamed upload, when the SDK sends it aws-chunked with a CRC32 trailer, then the object holds the bytes only', async () => {
    const bytes = Buffer.alloc(300_000, 7);

    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'streamed.bin',
        Body: Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]),
        ContentLength: bytes.length,
      }),
    );

    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'streamed.bin' }));
    expect(Buffer.from((await object.Body?.transformToByteArray()) ?? [])).toEqual(bytes);
  });

  it.each<ChecksumAlgorithm>(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'])(
    'given an upload with a %s checksum, when it is read with checksums enabled, then S3 answers the same checksum',
    async (algorithm) => {
      const key = `checksummed-${algorithm}.txt`;
      const written = await client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: 'checked bytes',
          ChecksumAlgorithm: algorithm,
        }),
      );

      const object = await client.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }),
      );

      const field = `Checksum${algorithm}` as const;
      expect(written[field]).toEqual(expect.any(String));
      expect(object[field]).toBe(written[field]);
      expect(await object.Body?.transformToString()).toBe('checked bytes');
    },
  );

  it('given a Content-MD5 that is not the body’s, when the object is written, then S3 answers BadDigest and stores nothing', async () => {
    const wrong = createHash('md5').update('other').digest('base64');

    const error = await s3ErrorOf(
      client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'bad-md5.txt', Body: 'x', ContentMD5: wrong }),
      ),
    );

    expect(error).toEqual({ code: 'BadDigest', status: 400 });
    expect(await s3ErrorOf(read('bad-md5.txt'))).toEqual({ code: 'NoSuchKey', status: 404 });
  });

  it('given an aws-chunked body whose trailing checksum is wrong, when it is written, then S3 answers BadDigest and stores nothing', async () => {
    const body = '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n';

    const answer = await rawRequest(s3.endpoint, {
      method: 'PUT',
      path: `/${BUCKET}/bad-trailer.txt`,
      headers: {
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '5',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
      body,
    });

    expect(answer.status).toBe(400);
    expect(xmlElementText(answer.text, 'Code')).toBe('BadDigest');
    expect(await s3ErrorOf(read('bad-trailer.txt'))).toEqual({ code: 'NoSuchKey', status: 404 });
  });

  it('given a signed aws-chunked body, when it is written, then the chunk signatures are framing, not content', async () => {
    const signature = 'a'.repeat(64);
    const body =
      `6;chunk-signature=${signature}\r\nhello \r\n` +
      `5;chunk-signature=${signature}\r\nworld\r\n` +
      `0;chunk-signature=${signature}\r\n\r\n`;

    const answer = await rawRequest(s3.endpoint, {
      method: 'PUT',
      path: `/${BUCKET}/signed-chunks.txt`,
      headers: {
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'x-amz-decoded-content-length': '11',
      },
      body,
    });

    expect(answer.status).toBe(200);
    expect(await read('signed-chunks.txt')).toBe('hello world');
  });

  it('given a key of 1,025 bytes, when it is written, then S3 answers KeyTooLongError', async () => {
    const error = await s3ErrorOf(put('k'.repeat(1025)));

    expect(error).toEqual({ code: 'KeyTooLongError', status: 400 });
  });

  it('given keys with dot segments, backslashes and empty segments, when they are written, then each is stored and listed as the literal key', async () => {
    const keys = ['../escape.txt', 'a/../b.txt', './c', 'd//e', '..\\f', '%2e%2e/g'];

    for (const key of keys) await put(key, `body of ${key}`);

    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    for (const key of keys) expect(await read(key)).toBe(`body of ${key}`);
    expect(listed.Contents?.map((object) => object.Key)).toEqual(expect.arrayContaining(keys));
  });

  it('given no object under a key, when it is read, then S3 answers NoSuchKey in its error shape', async () => {
    const answer = await rawRequest(s3.endpoint, {
      method: 'GET',
      path: `/${BUCKET}/nothing-here`,
    });

    expect(answer.status).toBe(404);
    expect(answer.headers['x-amz-request-id']).toEqual(expect.any(String));
    expect(xmlElementText(answer.text, 'Code')).toBe('NoSuchKey');
    expect(xmlElementText(answer.text, 'Message')).toBe('The specified key does not exist.');
    expect(xmlElementText(answer.text, 'Resource')).toBe(`/${BUCKET}/nothing-here`);
    expect(xmlElementText(answer.text, 'RequestId')).toBe(answer.headers['x-amz-request-id']);
  });
});

describe('HeadObject', () => {
  it('given an object, when its head is asked, then the length, ETag and metadata come without the body', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'head.txt',
        Body: 'twelve bytes',
        Metadata: { a: '1' },
      }),
    );

    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'head.txt' }));

    expect(head).toMatchObject({
      ContentLength: 12,
      ETag: `"${md5('twelve bytes')}"`,
      Metadata: { a: '1' },
    });
  });

  it('given no object, when its head is asked, then S3 answers 404', async () => {
    const error = await s3ErrorOf(
      client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'absent' })),
    );

    expect(error.status).toBe(404);
  });
});

describe('ranges and conditions', () => {
  beforeAll(async () => {
    await put('digits.txt', '0123456789');
  });

  it('given a range, when the object is read, then S3 answers 206 with those bytes', async () => {
    const object = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'digits.txt', Range: 'bytes=2-5' }),
    );

    expect(object.$metadata.httpStatusCode).toBe(206);
    expect(object.ContentRange).toBe('bytes 2-5/10');
    expect(await object.Body?.transformToString()).toBe('2345');
  });

  it('given a suffix range, when the object is read, then S3 answers its last bytes', async () => {
    const object = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'digits.txt', Range: 'bytes=-3' }),
    );

    expect(await object.Body?.transformToString()).toBe('789');
  });

  it('given a range past the end, when the object is read, then S3 answers 416 InvalidRange', async () => {
    const error = await s3ErrorOf(
      client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'digits.txt', Range: 'bytes=10-' })),
    );

    expect(error).toEqual({ code: 'InvalidRange', status: 416 });
  });

  it('given If-None-Match with the current ETag, when the object is read, then S3 answers 304', async () => {
    const error = await s3ErrorOf(
      client.send(
        new GetObjectCommand({
          Bucket: BUCKET,
          Key: 'digits.txt',
          IfNoneMatch: `"${md5('0123456789')}"`,
        }),
      ),
    );

    expect(error.status).toBe(304);
  });

  it('given If-Match with another ETag, when the object is read, then S3 answers 412 PreconditionFailed', async () => {
    const error = await s3ErrorOf(
      client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'digits.txt', IfMatch: '"other"' })),
    );

    expect(error).toEqual({ code: 'PreconditionFailed', status: 412 });
  });

  it('given If-Modified-Since after the write, when the object is read, then S3 answers 304', async () => {
    const error = await s3ErrorOf(
      client.send(
        new GetObjectCommand({
          Bucket: BUCKET,
          Key: 'digits.txt',
          IfModifiedSince: new Date(Date.now() + 60_000),
        }),
      ),
    );

    expect(error.status).toBe(304);
  });

  it('given If-Unmodified-Since before the write, when the object is read, then S3 answers 412', async () => {
    const error = await s3ErrorOf(
      client.send(
        new GetObjectCommand({
          Bucket: BUCKET,
          Key: 'digits.txt',
          IfUnmodifiedSince: new Date(Date.now() - 3_600_000),
        }),
      ),
    );

    expect(error).toEqual({ code: 'PreconditionFailed', status: 412 });
  });

  it('given If-None-Match: * on an existing key, when it is written, then S3 answers 412 and keeps the object', async () => {
    const error = await s3ErrorOf(
      client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'digits.txt', Body: 'x', IfNoneMatch: '*' }),
      ),
    );

    expect(error).toEqual({ code: 'PreconditionFailed', status: 412 });
    expect(await read('digits.txt')).toBe('0123456789');
  });

  it('given a pre-signed GET with response-* overrides, when it is fetched, then the answer carries them', async () => {
    const url = await getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'digits.txt',
        ResponseContentType: 'application/x-digits',
        ResponseContentDisposition: 'attachment; filename="d.txt"',
      }),
      { expiresIn: 60 },
    );

    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-digits');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="d.txt"');
    expect(await response.text()).toBe('0123456789');
  });
});

describe('DeleteObject and DeleteObjects', () => {
  it('given an object, when it is deleted, then it is gone, and deleting it again still answers 204', async () => {
    await put('doomed.txt');

    const first = await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'doomed.txt' }));
    const again = await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'doomed.txt' }));

    expect([first.$metadata.httpStatusCode, again.$metadata.httpStatusCode]).toEqual([204, 204]);
    expect(await s3ErrorOf(read('doomed.txt'))).toEqual({ code: 'NoSuchKey', status: 404 });
  });

  it('given several objects, when they are deleted in one request, then each is reported deleted and gone', async () => {
    await Promise.all(['batch/1', 'batch/2', 'batch/3'].map((key) => put(key)));

    const result = await client.send(
      new DeleteObjectsCommand({
        Bucket: BUCKET,
        Delete: { Objects: [{ Key: 'batch/1' }, { Key: 'batch/2' }, { Key: 'batch/never' }] },
      }),
    );

    expect(result.Deleted?.map((deleted) => deleted.Key).sort()).toEqual([
      'batch/1',
      'batch/2',
      'batch/never',
    ]);
    const left = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'batch/' }));
    expect(left.Contents?.map((object) => object.Key)).toEqual(['batch/3']);
  });

  it('given Quiet, when objects are deleted in one request, then only failures are reported', async () => {
    await put('quiet/1');

    const result = await client.send(
      new DeleteObjectsCommand({
        Bucket: BUCKET,
        Delete: { Objects: [{ Key: 'quiet/1' }], Quiet: true },
      }),
    );

    expect(result.Deleted ?? []).toEqual([]);
    expect(result.Errors ?? []).toEqual([]);
    expect(await s3ErrorOf(read('quiet/1'))).toEqual({ code: 'NoSuchKey', status: 404 });
  });

  it('given a body that is not the Delete document, when objects are deleted, then S3 answers MalformedXML', async () => {
    const answer = await rawRequest(s3.endpoint, {
      method: 'POST',
      path: `/${BUCKET}?delete`,
      headers: { 'content-type': 'application/xml' },
      body: '<Delete><Object><Key>a</Key></Object>',
    });

    expect(answer.status).toBe(400);
    expect(xmlElementText(answer.text, 'Code')).toBe('MalformedXML');
  });
});

describe('CopyObject', () => {
  it('given a key with spaces and accents, when it is copied, then the copy has its bytes and metadata', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'photos/été 1.jpg',
        Body: 'jpeg bytes',
        ContentType: 'image/jpeg',
        Metadata: { camera: 'x100' },
      }),
    );

    const copied = await client.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'archive/été 1.jpg',
        CopySource: `${BUCKET}/${encodeURIComponent('photos/été 1.jpg')}`,
      }),
    );

    const head = await client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'archive/été 1.jpg' }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(`"${md5('jpeg bytes')}"`);
    expect(head).toMatchObject({ ContentType: 'image/jpeg', Metadata: { camera: 'x100' } });
    expect(await read('archive/été 1.jpg')).toBe('jpeg bytes');
  });

  it('given the REPLACE directive, when an object is copied onto itself, then its metadata is replaced', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'relabel.txt',
        Body: 'same',
        ContentType: 'text/plain',
      }),
    );

    await client.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'relabel.txt',
        CopySource: `${BUCKET}/relabel.txt`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/markdown',
        Metadata: { edited: 'yes' },
      }),
    );

    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'relabel.txt' }));
    expect(head).toMatchObject({ ContentType: 'text/markdown', Metadata: { edited: 'yes' } });
  });

  it('given no change of metadata, when an object is copied onto itself, then S3 answers InvalidRequest', async () => {
    await put('self.txt');

    const error = await s3ErrorOf(
      client.send(
        new CopyObjectCommand({
          Bucket: BUCKET,
          Key: 'self.txt',
          CopySource: `${BUCKET}/self.txt`,
        }),
      ),
    );

    expect(error).toEqual({ code: 'InvalidRequest', status: 400 });
  });

  it('given a source that does not exist, when it is copied, then S3 answers NoSuchKey', async () => {
    const error = await s3ErrorOf(
      client.send(
        new CopyObjectCommand({
          Bucket: BUCKET,
          Key: 'to.txt',
          CopySource: `${BUCKET}/from-nowhere`,
        }),
      ),
    );

    expect(error).toEqual({ code: 'NoSuchKey', status: 404 });
  });
});

describe('ObjectCreated notifications', () => {
  it('given a listener, when an object is written, then it is told before the write is acknowledged', async () => {
    let acknowledged = false;
    const seen: { created: ObjectCreated; beforeAck: boolean }[] = [];
    s3.storage.onObjectCreated((created) => {
      if (created.key === 'announced.txt') seen.push({ created, beforeAck: !acknowledged });
    });

    await put('announced.txt', 'news');
    acknowledged = true;

    expect(seen).toEqual([
      {
        created: expect.objectContaining({
          bucket: BUCKET,
          key: 'announced.txt',
          size: 4,
          eTag: md5('news'),
          eventName: 'ObjectCreated:Put',
        }) as ObjectCreated,
        beforeAck: true,
      },
    ]);
  });

  it('given a listener that fails, when an object is written, then the write answers 500 so that the client retries', async () => {
    s3.storage.onObjectCreated((created) => {
      if (created.key === 'unannounced.txt') throw new Error('the journal is full');
    });

    const answer = await rawRequest(s3.endpoint, {
      method: 'PUT',
      path: `/${BUCKET}/unannounced.txt`,
      body: 'x',
    });

    expect(answer.status).toBe(500);
    expect(xmlElementText(answer.text, 'Code')).toBe('InternalError');
    expect(answer.text).not.toContain('journal');
  });
});
