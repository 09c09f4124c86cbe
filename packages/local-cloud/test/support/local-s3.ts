/**
 * The local cloud's S3 on its own: ObjectStorage behind an AWS edge (no IAM gate) on a free port of
 * 127.0.0.1, its data in a directory of the spec's choosing or a fresh temporary one, reached with
 * the real S3Client signed with the administrator's key pair.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../src/credentials';
import { silentLog } from '../../src/log';
import type { LocalLog } from '../../src/log';
import { createAwsEdge } from '../../src/services/edge/aws-edge';
import { ObjectStorage } from '../../src/services/s3/object-storage';
import type { BucketSpec } from '../../src/stack/topology';

export interface LocalS3 {
  readonly endpoint: string;
  readonly storage: ObjectStorage;
  /** The data directory. */
  readonly directory: string;
  /** A client of this endpoint (path-style, administrator's keys); destroyed by stop(). */
  client(config?: Partial<S3ClientConfig>): S3Client;
  /** Stops the endpoint and the storage; the directory stays. */
  stop(): Promise<void>;
  /** stop(), then deletes the directory. */
  dispose(): Promise<void>;
}

export interface LocalS3Options {
  directory?: string;
  buckets?: BucketSpec[];
  region?: string;
  log?: LocalLog;
}

export const LOCAL_S3_REGION = 'us-east-1';

/** A bucket as the stack declares one: no CORS, website or notifications unless given. */
export function bucketSpec(name: string, extra: Partial<BucketSpec> = {}): BucketSpec {
  return {
    address: `aws_s3_bucket.${name}`,
    name,
    arn: `arn:aws:s3:::${name}`,
    cors: [],
    notifications: [],
    ...extra,
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'local-s3-')));
  const region = options.region ?? LOCAL_S3_REGION;
  const storage = await ObjectStorage.start({
    directory,
    buckets: options.buckets ?? [],
    region,
    log: options.log ?? silentLog,
  });
  const edge = createAwsEdge([storage], silentLog);
  const server = createServer((request, response) => edge.handle(request, response));
  let endpoint: string;
  try {
    endpoint = await listen(server);
  } catch (error) {
    await storage.stop();
    throw error;
  }
  const clients: S3Client[] = [];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      for (const client of clients) client.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await storage.stop();
    })());
  return {
    endpoint,
    storage,
    directory,
    client: (config = {}) => {
      const client = new S3Client({
        endpoint,
        region,
        credentials: DEFAULT_ADMIN_CREDENTIALS,
        forcePathStyle: true,
        ...config,
      });
      clients.push(client);
      return client;
    },
    stop,
    dispose: async () => {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** The S3 error a call fails with (its code and HTTP status); throws if it succeeds. */
export async function s3ErrorOf(
  call: Promise<unknown>,
): Promise<{ code: string; status?: number }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof S3ServiceException) {
      return { code: error.name, status: error.$metadata.httpStatusCode };
    }
    throw error;
  }
  throw new Error('the call succeeded');
}
