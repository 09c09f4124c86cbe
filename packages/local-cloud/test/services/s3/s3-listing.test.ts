/**
 * Listing a bucket through the real S3Client, at any size and page size: ListObjects v1 and v2,
 * prefixes, delimiters and common prefixes, markers, start-after, continuation tokens, URL
 * encoding, and S3's order (the UTF-8 bytes of the keys).
 */
import {
  ListObjectsCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { rawRequest, xmlElementText } from '@serverless-week/test-support';
import { bucketSpec, s3ErrorOf, startLocalS3 } from '../../support/local-s3';
import type { LocalS3 } from '../../support/local-s3';

const BIG = 'big-listing';
const TREE = 'tree-listing';
const ORDER = 'order-listing';
const TREE_KEYS = [
  'photos/2023/a.jpg',
  'photos/2023/b.jpg',
  'photos/2024/c.jpg',
  'photos/cover.jpg',
  'readme.txt',
  'videos/clip.mp4',
  'zz.txt',
];
const BIG_KEYS = Array.from({ length: 1205 }, (_, i) => `item-${String(i).padStart(5, '0')}`);

let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [bucketSpec(BIG), bucketSpec(TREE), bucketSpec(ORDER)] });
  client = s3.client();
  const objects = (bucket: string, keys: string[]) =>
    keys.map((key) => ({ address: key, bucket, key, body: Buffer.from(key) }));
  await s3.storage.putObjects([
    ...objects(BIG, BIG_KEYS),
    ...objects(TREE, TREE_KEYS),
    ...objects(ORDER, ['\u{1F600}', '\uFFFD', 'z', 'é']),
  ]);
}, 60_000);

afterAll(async () => {
  await s3?.dispose();
});

/** `aws s3 ls`: a delimiter of `/`, every page, the folders (common prefixes) and the files. */
async function listAll(
  bucket: string,
  options: { pageSize?: number; prefix?: string; delimiter?: string } = {},
): Promise<{ keys: string[]; prefixes: string[]; pages: number }> {
  const keys: string[] = [];
  const prefixes: string[] = [];
  let pages = 0;
  const paginator = paginateListObjectsV2(
    { client, ...(options.pageSize ? { pageSize: options.pageSize } : {}) },
    { Bucket: bucket, Prefix: options.prefix, Delimiter: options.delimiter },
  );
  for await (const page of paginator) {
    pages += 1;
    keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
    prefixes.push(...(page.CommonPrefixes ?? []).map((prefix) => prefix.Prefix ?? ''));
  }
  return { keys, prefixes, pages };
}

describe('ListObjectsV2', () => {
  it('given 1,205 objects, when the bucket is listed, then two truncated-then-final pages hold every key in order', async () => {
    const listed = await listAll(BIG);

    expect(listed.pages).toBe(2);
    expect(listed.keys).toEqual(BIG_KEYS);
  });

  it('given a page size of 2, when the bucket is listed with a delimiter, then every file and folder comes once, in order', async () => {
    const listed = await listAll(TREE, { pageSize: 2, delimiter: '/' });

    expect(listed.keys).toEqual(['readme.txt', 'zz.txt']);
    expect(listed.prefixes).toEqual(['photos/', 'videos/']);
    expect(listed.pages).toBe(2);
  });

  it('given a prefix and a delimiter, when a folder is listed page by page, then sub-folders are common prefixes counted once', async () => {
    const listed = await listAll(TREE, { pageSize: 1, prefix: 'photos/', delimiter: '/' });

    expect(listed.prefixes).toEqual(['photos/2023/', 'photos/2024/']);
    expect(listed.keys).toEqual(['photos/cover.jpg']);
    expect(listed.pages).toBe(3);
  });

  it('given start-after, when the bucket is listed, then the listing begins after that key', async () => {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: TREE, StartAfter: 'photos/cover.jpg' }),
    );

    expect(page.Contents?.map((object) => object.Key)).toEqual([
      'readme.txt',
      'videos/clip.mp4',
      'zz.txt',
    ]);
    expect(page.StartAfter).toBe('photos/cover.jpg');
  });

  it('given keys beyond the Basic Multilingual Plane, when the bucket is listed, then they come in UTF-8 byte order', async () => {
    const listed = await listAll(ORDER);

    expect(listed.keys).toEqual(['z', 'é', '\uFFFD', '\u{1F600}']);
  });

  it('given encoding-type=url, when keys are listed, then they come URL-encoded', async () => {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: ORDER, EncodingType: 'url', Prefix: 'é' }),
    );

    expect(page.Contents?.map((object) => object.Key)).toEqual(['%C3%A9']);
    expect(page.Prefix).toBe('%C3%A9');
  });

  it('given a continuation token S3 did not give, when the bucket is listed, then S3 answers InvalidArgument', async () => {
    const answer = await rawRequest(s3.endpoint, {
      method: 'GET',
      path: `/${TREE}?list-type=2&continuation-token=bm90LWEtdG9rZW4%3D`,
    });

    expect([answer.status, xmlElementText(answer.text, 'Code')]).toEqual([400, 'InvalidArgument']);
  });

  it('given a max-keys that is not a number, when the bucket is listed, then S3 answers InvalidArgument', async () => {
    const answer = await rawRequest(s3.endpoint, {
      method: 'GET',
      path: `/${TREE}?list-type=2&max-keys=ten`,
    });

    expect([answer.status, xmlElementText(answer.text, 'Code')]).toEqual([400, 'InvalidArgument']);
  });
});

describe('ListObjects (v1)', () => {
  it('given 1,205 objects, when the bucket is listed with markers, then every key comes once, in order', async () => {
    const keys: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await client.send(
        new ListObjectsCommand({ Bucket: BIG, MaxKeys: 500, Marker: marker }),
      );
      const contents = (page.Contents ?? []).map((object) => object.Key ?? '');
      keys.push(...contents);
      if (!page.IsTruncated) break;
      marker = page.NextMarker ?? contents[contents.length - 1];
    }

    expect(keys).toEqual(BIG_KEYS);
  });

  it('given a delimiter, when a truncated page ends on a folder, then NextMarker resumes after the whole folder', async () => {
    const first = await client.send(
      new ListObjectsCommand({ Bucket: TREE, Delimiter: '/', MaxKeys: 1 }),
    );
    const second = await client.send(
      new ListObjectsCommand({
        Bucket: TREE,
        Delimiter: '/',
        MaxKeys: 1,
        Marker: first.NextMarker,
      }),
    );

    expect(first.CommonPrefixes?.map((prefix) => prefix.Prefix)).toEqual(['photos/']);
    expect(first.NextMarker).toBe('photos/');
    expect(second.Contents?.map((object) => object.Key)).toEqual(['readme.txt']);
  });

  it('given a bucket that does not exist, when it is listed, then S3 answers NoSuchBucket', async () => {
    const error = await s3ErrorOf(
      client.send(new ListObjectsCommand({ Bucket: 'not-a-bucket-here' })),
    );

    expect(error).toEqual({ code: 'NoSuchBucket', status: 404 });
  });
});
