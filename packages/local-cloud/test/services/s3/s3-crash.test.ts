/**
 * Acknowledged means durable: the local S3 runs in a child process under a steady load of writes,
 * multipart uploads, copies and deletes, and is killed with SIGKILL in the middle of it. Reopened
 * on the same directory, every acknowledged write is there whole, every acknowledged delete is
 * gone, no object is half written or a stray temporary file, and what the crash left behind was
 * cleaned up.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { bucketSpec, startLocalS3 } from '../../support/local-s3';
import type { LocalS3 } from '../../support/local-s3';

const BUCKET = 'crash-bucket';
const WORKERS = 6;
/** The child is killed once this many operations were acknowledged. */
const KILL_AFTER = 80;

let directory: string;
let child: ChildProcess | undefined;
let reopened: LocalS3 | undefined;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 's3-crash-'));
});

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await reopened?.stop();
  rmSync(directory, { recursive: true, force: true });
});

/** The bytes of `key`, the same whoever writes them: 256 KiB to 1 MiB of its hash, repeated. */
function contentOf(key: string): Buffer {
  const seed = createHash('sha256').update(key).digest();
  const size = 256 * 1024 + ((seed[0] ?? 0) % 4) * 256 * 1024;
  return Buffer.alloc(size, seed);
}

function startChild(): Promise<{ process: ChildProcess; endpoint: string }> {
  const started = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(__dirname, '..', '..', 'support', 's3-crash-child.ts'),
      join(directory, 's3'),
      BUCKET,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const endpoint = /READY (\S+)/.exec(output)?.[1];
      if (endpoint) resolve({ process: started, endpoint });
    });
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.once('exit', (code) =>
      reject(new Error(`the S3 process exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

interface Load {
  puts: Map<string, Buffer>;
  copies: Map<string, Buffer>;
  deletes: Set<string>;
  /** Keys a delete was sent for, acknowledged or not. */
  deleting: Set<string>;
  attempted: Set<string>;
  interrupted: number;
}

/** Writes, copies and deletes until the process dies; kills it after KILL_AFTER acknowledgements. */
async function loadUntilKilled(endpoint: string, victim: ChildProcess): Promise<Load> {
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: DEFAULT_ADMIN_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  const load: Load = {
    puts: new Map(),
    copies: new Map(),
    deletes: new Set(),
    deleting: new Set(),
    attempted: new Set(),
    interrupted: 0,
  };
  const exited = new Promise<void>((resolve) => victim.once('exit', () => resolve()));
  let next = 0;
  let acknowledged = 0;
  let dead = false;
  const acknowledge = (): void => {
    acknowledged += 1;
    if (acknowledged === KILL_AFTER) victim.kill('SIGKILL');
  };
  const operation = async (n: number): Promise<void> => {
    const written = [...load.puts.keys()].filter((key) => !load.deleting.has(key));
    const source = written[n % Math.max(1, written.length)];
    if (n % 5 === 3 && source) {
      const key = `copy-${n}`;
      load.attempted.add(key);
      await client.send(
        new CopyObjectCommand({ Bucket: BUCKET, Key: key, CopySource: `${BUCKET}/${source}` }),
      );
      load.copies.set(key, contentOf(source));
    } else if (n % 5 === 4 && source) {
      load.deleting.add(source);
      await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: source }));
      load.deletes.add(source);
    } else if (n % 5 === 2) {
      // A multipart upload of one part (the last part may be of any size), then its completion.
      const key = `put-${n}`;
      load.attempted.add(key);
      const { UploadId } = await client.send(
        new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }),
      );
      const part = await client.send(
        new UploadPartCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId,
          PartNumber: 1,
          Body: contentOf(key),
        }),
      );
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      );
      load.puts.set(key, contentOf(key));
    } else {
      const key = `put-${n}`;
      load.attempted.add(key);
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: contentOf(key) }));
      load.puts.set(key, contentOf(key));
    }
  };
  const worker = async (): Promise<void> => {
    while (!dead) {
      try {
        await operation(next++);
        acknowledge();
      } catch {
        load.interrupted += 1;
        dead = victim.exitCode !== null || victim.signalCode !== null || acknowledged >= KILL_AFTER;
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  await exited;
  client.destroy();
  return load;
}

async function bytesOf(s3: S3Client, key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
}

it('given a load of writes, multipart uploads, copies and deletes, when the process is killed with SIGKILL, then after reopening every acknowledged change is there and nothing is half written', async () => {
  const running = await startChild();
  child = running.process;

  const load = await loadUntilKilled(running.endpoint, running.process);
  reopened = await startLocalS3({
    directory: join(directory, 's3'),
    buckets: [bucketSpec(BUCKET)],
  });
  const s3 = reopened.client();

  expect(load.interrupted).toBeGreaterThan(0);
  for (const [key, content] of [...load.puts, ...load.copies]) {
    if (load.deleting.has(key)) continue;
    expect((await bytesOf(s3, key)).equals(content)).toBe(true);
  }
  for (const key of load.deletes) {
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  }
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  for (const { Key: key = '' } of listed.Contents ?? []) {
    expect(load.attempted.has(key)).toBe(true);
    const expected = key.startsWith('copy-') ? load.copies.get(key) : contentOf(key);
    // A copy committed but not acknowledged has a source the load knows; its bytes are whole.
    const bytes = await bytesOf(s3, key);
    if (expected) expect(bytes.equals(expected)).toBe(true);
    else expect([...load.puts.keys()].some((source) => contentOf(source).equals(bytes))).toBe(true);
  }
  expect(readdirSync(join(directory, 's3', 'tmp'))).toEqual([]);
}, 60_000);
