/**
 * Property: whatever the bucket name or key (dot segments, encoded and double-encoded, backslashes,
 * NUL, very long), the local S3 creates, reads and deletes files in its data directory only, and
 * answers each request with an S3 error or success, never a 5xx.
 *
 * The data directory is `<tmp>/a/b/sandbox/data`, next to planted files (a secret, a sibling
 * directory); `<tmp>` is snapshotted (everything but the data directory) before and after every
 * generated request, and the working directory's entries too. Hostile requests go both through
 * the real S3Client (which encodes the key it is given) and as raw HTTP paths sent byte for byte.
 */
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { rawRequest } from '@serverless-week/test-support';
import { bucketSpec, startLocalS3 } from '../../support/local-s3';
import type { LocalS3 } from '../../support/local-s3';

const BUCKET = 'property-bucket';
/** Hundreds of requests and directory snapshots each: seconds alone, longer on a busy machine. */
const PROPERTY_TIMEOUT_MS = 120_000;
const SECRET = `SECRET-${createHash('sha256').update(__filename).digest('hex').slice(0, 12)}`;

let root: string;
let sandbox: string;
let dataDir: string;
let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 's3-data-directory-'));
  sandbox = join(root, 'a', 'b', 'sandbox');
  dataDir = join(sandbox, 'data');
  mkdirSync(join(sandbox, 'siblingdir'), { recursive: true });
  mkdirSync(join(sandbox, 'data-sibling'), { recursive: true });
  writeFileSync(join(sandbox, 'secret.txt'), SECRET);
  writeFileSync(join(sandbox, 'siblingdir', 'keep.txt'), 'keep');
  writeFileSync(join(sandbox, 'data-sibling', 'keep.txt'), 'keep');
  writeFileSync(join(root, 'victim.txt'), 'victim');
  s3 = await startLocalS3({ directory: dataDir, buckets: [bucketSpec(BUCKET)] });
  client = s3.client({ maxAttempts: 1 });
  await client.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: 'existing.txt', Body: 'existing' }),
  );
});

afterAll(async () => {
  await s3?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Every file and directory under `directory` but the data directory: path → size and content hash. */
function snapshot(directory: string, into: Map<string, string> = new Map()): Map<string, string> {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (path === dataDir) continue;
    if (entry.isDirectory()) {
      into.set(relative(root, path), 'dir');
      snapshot(path, into);
    } else {
      const content = readFileSync(path);
      into.set(
        relative(root, path),
        `${statSync(path).size}:${createHash('md5').update(content).digest('hex')}`,
      );
    }
  }
  return into;
}

const workingDirectory = (): string[] => readdirSync(process.cwd()).sort();

/** Pieces of hostile paths, as a client would put them in the URL (not yet decoded). */
const RAW_PIECES = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2e',
  '%252e%252e',
  '..%2f',
  '..%2F..%2F',
  '%2f',
  '..\\',
  '%5c..%5c',
  '\\',
  '%00',
  '%c0%ae%c0%ae',
  '%zz',
  '%',
  'C:',
  '~',
  'sandbox',
  'secret.txt',
  'siblingdir',
  'data-sibling',
  'victim.txt',
  'data',
  'buckets',
  'tmp',
  'objects',
  'x'.repeat(300),
];

/** Pieces of hostile keys as the SDK is given them (it encodes what it must). */
const KEY_PIECES = [
  '..',
  '.',
  '',
  '\\..\\',
  '%2e%2e',
  '%252e%252e',
  '\u0000',
  'é',
  ' ',
  'secret.txt',
  'sandbox',
  'victim.txt',
  '~',
  'y'.repeat(400),
];

const rawPath = fc
  .array(fc.constantFrom(...RAW_PIECES), { minLength: 1, maxLength: 6 })
  .chain((pieces) =>
    fc
      .array(fc.constantFrom('/', '', '/./', '//'), {
        minLength: pieces.length,
        maxLength: pieces.length,
      })
      .map(
        (separators) =>
          `/${pieces.map((piece, i) => `${piece}${i < pieces.length - 1 ? separators[i] : ''}`).join('')}`,
      ),
  );

// An empty key names the bucket itself (a PUT of it is CreateBucket), not an object.
const hostileKey = fc
  .oneof(
    fc
      .array(fc.constantFrom(...KEY_PIECES), { minLength: 1, maxLength: 6 })
      .map((pieces) => pieces.join('/')),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  )
  .filter((key) => key !== '');

/** Bucket names as the SDK is given them (it refuses a `/`, and encodes the rest). */
const hostileBucket = fc
  .array(fc.constantFrom(...RAW_PIECES, ...KEY_PIECES), { minLength: 1, maxLength: 4 })
  .map((pieces) => pieces.join(''))
  .filter((name) => name !== '' && !name.includes('/'));

const RAW_METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'POST'] as const;
const RAW_QUERIES = ['', '?cors', '?website', '?delete', '?uploads', '?list-type=2&prefix=..%2F'];

/** The S3 error code of a refused SDK call, or 'ok'; a 5xx fails the property. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode ?? 500) < 500)
      return error.name;
    throw error;
  }
}

async function bodyOf(
  call: Promise<{ Body?: { transformToString(): Promise<string> } }>,
): Promise<string> {
  try {
    const object = await call;
    return (await object.Body?.transformToString()) ?? '';
  } catch (error) {
    if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode ?? 500) < 500)
      return '';
    throw error;
  }
}

function expectOnlyTheDataDirectoryChanged(before: Map<string, string>, cwdBefore: string[]): void {
  expect(snapshot(root)).toEqual(before);
  expect(workingDirectory()).toEqual(cwdBefore);
}

it(
  'given hostile keys through the S3Client, when objects are written, read, copied and deleted, then nothing outside the data directory changes or is read',
  async () => {
    await fc.assert(
      fc.asyncProperty(hostileKey, hostileKey, async (key, other) => {
        const before = snapshot(root);
        const cwdBefore = workingDirectory();

        await outcome(
          client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'planted' })),
        );
        const read = await bodyOf(
          client.send(new GetObjectCommand({ Bucket: BUCKET, Key: other })),
        );
        await outcome(
          client.send(
            new CopyObjectCommand({
              Bucket: BUCKET,
              Key: other,
              CopySource: `${BUCKET}/${encodeURIComponent(key)}`,
            }),
          ),
        );
        await outcome(client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: other })));
        await outcome(
          client.send(
            new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: key }] } }),
          ),
        );

        expect(read).not.toContain(SECRET);
        expectOnlyTheDataDirectoryChanged(before, cwdBefore);
      }),
      { numRuns: 150 },
    );
  },
  PROPERTY_TIMEOUT_MS,
);

it(
  'given hostile keys through the S3Client, when a key is written then read back, then it is the same literal key',
  async () => {
    await fc.assert(
      fc.asyncProperty(hostileKey, async (key) => {
        const written = await outcome(
          client.send(
            new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `body of ${key.length}` }),
          ),
        );
        fc.pre(written === 'ok');

        const read = await bodyOf(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })));

        expect(read).toBe(`body of ${key.length}`);
      }),
      { numRuns: 100 },
    );
  },
  PROPERTY_TIMEOUT_MS,
);

it(
  'given hostile raw paths, when any method is sent on them, then nothing outside the data directory changes or is read, and no answer is a 5xx',
  async () => {
    await fc.assert(
      fc.asyncProperty(
        rawPath,
        fc.constantFrom(...RAW_METHODS),
        fc.constantFrom(...RAW_QUERIES),
        async (path, method, query) => {
          const before = snapshot(root);
          const cwdBefore = workingDirectory();

          const answer = await rawRequest(s3.endpoint, {
            method,
            path: `${path}${query}`,
            ...(method === 'PUT' || method === 'POST' ? { body: 'planted' } : {}),
          });

          expect(answer.status).toBeLessThan(500);
          expect(answer.text).not.toContain(SECRET);
          expectOnlyTheDataDirectoryChanged(before, cwdBefore);
        },
      ),
      { numRuns: 300 },
    );
  },
  PROPERTY_TIMEOUT_MS,
);

it(
  'given hostile bucket names through the S3Client, when buckets are created, listed and deleted, then nothing outside the data directory changes',
  async () => {
    await fc.assert(
      fc.asyncProperty(hostileBucket, async (name) => {
        const before = snapshot(root);
        const cwdBefore = workingDirectory();

        await outcome(client.send(new CreateBucketCommand({ Bucket: name })));
        await outcome(client.send(new ListObjectsV2Command({ Bucket: name })));
        await outcome(client.send(new DeleteBucketCommand({ Bucket: name })));

        expectOnlyTheDataDirectoryChanged(before, cwdBefore);
      }),
      { numRuns: 150 },
    );
  },
  PROPERTY_TIMEOUT_MS,
);

it('given a bucket named with encoded dot segments, when it is deleted, then the directory it names outside the data directory stays whole', async () => {
  const target = join(root, 'a', 'b', 'target');
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, 'keep.txt'), 'keep');

  const answer = await rawRequest(s3.endpoint, { method: 'DELETE', path: '/..%2F..%2Ftarget' });

  expect(answer.status).toBe(400);
  expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('keep');
});

it('given a key with dot segments, when it is written through the S3Client, then it is stored as that key inside the data directory', async () => {
  const before = snapshot(root);

  await client.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: '../../../victim.txt', Body: 'overwritten' }),
  );
  const read = await client.send(
    new GetObjectCommand({ Bucket: BUCKET, Key: '../../../victim.txt' }),
  );

  expect(await read.Body?.transformToString()).toBe('overwritten');
  expect(snapshot(root)).toEqual(before);
  expect(readFileSync(join(root, 'victim.txt'), 'utf8')).toBe('victim');
});

it('given everything the properties wrote, when the storage restarts on its directory, then it lists its objects again', async () => {
  await s3.stop();
  s3 = await startLocalS3({ directory: dataDir, buckets: [bucketSpec(BUCKET)] });
  client = s3.client();

  const listed = await client.send(
    new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'existing' }),
  );

  expect(listed.Contents?.map((object) => object.Key)).toEqual(['existing.txt']);
});
