/**
 * Multipart uploads through the real S3Client, as `aws s3 cp` makes them for large files: parts,
 * their listing, completion into one object with S3's `-N` ETag, copies of ranges, aborts, and the
 * refusals S3 gives for parts that are missing, out of order or too small. An unfinished upload
 * survives a restart.
 */
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';
import { bucketSpec, s3ErrorOf, startLocalS3 } from '../../support/local-s3';
import type { LocalS3 } from '../../support/local-s3';

const BUCKET = 'multipart-spec';
const MiB = 1024 * 1024;
let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [bucketSpec(BUCKET)] });
  client = s3.client();
});

afterAll(async () => {
  await s3?.dispose();
});

const md5 = (bytes: Buffer): Buffer => createHash('md5').update(bytes).digest();

/** Bytes that differ from part to part, so a part in the wrong place shows. */
function partBytes(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7) % 251;
  return bytes;
}

async function startUpload(key: string): Promise<string> {
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: BUCKET,
      Key: key,
      ContentType: 'application/x-parts',
    }),
  );
  if (!UploadId) throw new Error('no upload id');
  return UploadId;
}

async function uploadParts(
  key: string,
  uploadId: string,
  parts: Buffer[],
): Promise<CompletedPart[]> {
  return Promise.all(
    parts.map(async (Body, index) => {
      const { ETag } = await client.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId: uploadId,
          PartNumber: index + 1,
          Body,
        }),
      );
      return { ETag, PartNumber: index + 1 };
    }),
  );
}

function complete(key: string, uploadId: string, parts: CompletedPart[]) {
  return client.send(
    new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
}

it('given three parts, when the upload completes, then the object is their bytes in order with the -3 ETag', async () => {
  const parts = [partBytes(5 * MiB, 1), partBytes(5 * MiB, 2), partBytes(1000, 3)];
  const uploadId = await startUpload('large.bin');
  const completed = await uploadParts('large.bin', uploadId, parts);

  const result = await complete('large.bin', uploadId, completed);

  const expectedEtag = `"${createHash('md5')
    .update(Buffer.concat(parts.map(md5)))
    .digest('hex')}-3"`;
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'large.bin' }));
  expect(result.ETag).toBe(expectedEtag);
  expect(object).toMatchObject({ ETag: expectedEtag, ContentType: 'application/x-parts' });
  expect(
    Buffer.from((await object.Body?.transformToByteArray()) ?? []).equals(Buffer.concat(parts)),
  ).toBe(true);
});

it('given a completed upload, when a part number is read, then that part’s bytes come with the parts count', async () => {
  const parts = [partBytes(5 * MiB, 4), partBytes(2000, 5)];
  const uploadId = await startUpload('by-part.bin');
  const completed = await uploadParts('by-part.bin', uploadId, parts);
  await complete('by-part.bin', uploadId, completed);

  const second = await client.send(
    new GetObjectCommand({ Bucket: BUCKET, Key: 'by-part.bin', PartNumber: 2 }),
  );

  expect(second.PartsCount).toBe(2);
  expect(Buffer.from((await second.Body?.transformToByteArray()) ?? [])).toEqual(parts[1]);
});

it('given uploaded parts, when the parts and uploads are listed, then each part and the upload appear', async () => {
  const uploadId = await startUpload('listed.bin');
  await uploadParts('listed.bin', uploadId, [partBytes(100, 6), partBytes(200, 7)]);

  const parts = await client.send(
    new ListPartsCommand({ Bucket: BUCKET, Key: 'listed.bin', UploadId: uploadId }),
  );
  const uploads = await client.send(
    new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'listed' }),
  );

  expect(parts.Parts?.map((part) => [part.PartNumber, part.Size])).toEqual([
    [1, 100],
    [2, 200],
  ]);
  expect(uploads.Uploads?.map((upload) => [upload.Key, upload.UploadId])).toEqual([
    ['listed.bin', uploadId],
  ]);
});

it('given a part smaller than 5 MiB that is not the last, when the upload completes, then S3 answers EntityTooSmall', async () => {
  const uploadId = await startUpload('too-small.bin');
  const completed = await uploadParts('too-small.bin', uploadId, [
    partBytes(10, 8),
    partBytes(10, 9),
  ]);

  const error = await s3ErrorOf(complete('too-small.bin', uploadId, completed));

  expect(error).toEqual({ code: 'EntityTooSmall', status: 400 });
});

it('given a part listed with another ETag, when the upload completes, then S3 answers InvalidPart', async () => {
  const uploadId = await startUpload('wrong-etag.bin');
  await uploadParts('wrong-etag.bin', uploadId, [partBytes(10, 10)]);

  const error = await s3ErrorOf(
    complete('wrong-etag.bin', uploadId, [
      { PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' },
    ]),
  );

  expect(error).toEqual({ code: 'InvalidPart', status: 400 });
});

it('given parts listed out of order, when the upload completes, then S3 answers InvalidPartOrder', async () => {
  const uploadId = await startUpload('disordered.bin');
  const completed = await uploadParts('disordered.bin', uploadId, [
    partBytes(5 * MiB, 11),
    partBytes(10, 12),
  ]);

  const error = await s3ErrorOf(complete('disordered.bin', uploadId, [...completed].reverse()));

  expect(error).toEqual({ code: 'InvalidPartOrder', status: 400 });
});

it('given an aborted upload, when its parts are listed, then S3 answers NoSuchUpload', async () => {
  const uploadId = await startUpload('aborted.bin');
  await uploadParts('aborted.bin', uploadId, [partBytes(10, 13)]);

  await client.send(
    new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'aborted.bin', UploadId: uploadId }),
  );

  const error = await s3ErrorOf(
    client.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'aborted.bin', UploadId: uploadId })),
  );
  expect(error).toEqual({ code: 'NoSuchUpload', status: 404 });
});

it('given an object, when a range of it is copied as a part, then the completed object holds that range', async () => {
  const source = partBytes(6 * MiB, 14);
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'source.bin', Body: source }));
  const uploadId = await startUpload('copied.bin');

  const copied = await client.send(
    new UploadPartCopyCommand({
      Bucket: BUCKET,
      Key: 'copied.bin',
      UploadId: uploadId,
      PartNumber: 1,
      CopySource: `${BUCKET}/source.bin`,
      CopySourceRange: 'bytes=1000-1999',
    }),
  );
  await complete('copied.bin', uploadId, [{ PartNumber: 1, ETag: copied.CopyPartResult?.ETag }]);

  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copied.bin' }));
  expect(Buffer.from((await object.Body?.transformToByteArray()) ?? [])).toEqual(
    source.subarray(1000, 2000),
  );
});

it('given an unfinished upload, when the storage restarts, then the upload and its parts are still there and complete', async () => {
  const parts = [partBytes(5 * MiB, 15), partBytes(10, 16)];
  const uploadId = await startUpload('across-restart.bin');
  const completed = await uploadParts('across-restart.bin', uploadId, parts);

  await s3.stop();
  s3 = await startLocalS3({ directory: s3.directory, buckets: [bucketSpec(BUCKET)] });
  client = s3.client();
  await complete('across-restart.bin', uploadId, completed);

  const head = await client.send(
    new HeadObjectCommand({ Bucket: BUCKET, Key: 'across-restart.bin' }),
  );
  expect(head.ContentLength).toBe(5 * MiB + 10);
});
