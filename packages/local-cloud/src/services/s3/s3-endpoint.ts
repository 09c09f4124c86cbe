/**
 * The local cloud's S3 on its own: ObjectStorage behind an AWS edge (no IAM gate) on a free port of
 * 127.0.0.1, its data in a directory of the caller's choosing or a fresh temporary one. For specs
 * that need a real S3 endpoint without booting a whole stack (as Architect's sandbox starts and
 * ends one service at a time).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLog } from '../../log';
import type { LocalLog } from '../../log';
import type { BucketSpec } from '../../stack/topology';
import { serveEdge } from '../edge/edge-server';
import type { EdgeServer } from '../edge/edge-server';
import { ObjectStorage } from './object-storage';
import type { ObjectStorageOptions } from './types';

export interface S3Endpoint {
  /** e.g. http://127.0.0.1:40123 */
  readonly endpoint: string;
  readonly region: string;
  readonly storage: ObjectStorage;
  /** The data directory. */
  readonly directory: string;
  /** Stops the endpoint and the storage; the directory stays. */
  stop(): Promise<void>;
  /** stop(), then deletes the directory. */
  dispose(): Promise<void>;
}

export interface S3EndpointOptions extends Partial<
  Pick<ObjectStorageOptions, 'resources' | 'destinationProblem'>
> {
  directory?: string;
  buckets?: BucketSpec[];
  region?: string;
  log?: LocalLog;
}

export const S3_ENDPOINT_REGION = 'us-east-1';

export async function startS3Endpoint(options: S3EndpointOptions = {}): Promise<S3Endpoint> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'local-s3-')));
  const region = options.region ?? S3_ENDPOINT_REGION;
  const storage = await ObjectStorage.start({
    directory,
    buckets: options.buckets ?? [],
    region,
    log: options.log ?? silentLog,
    ...(options.resources ? { resources: options.resources } : {}),
    ...(options.destinationProblem ? { destinationProblem: options.destinationProblem } : {}),
  });
  let server: EdgeServer;
  try {
    server = await serveEdge([storage], silentLog);
  } catch (error) {
    await storage.stop();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await server.close();
      await storage.stop();
    })());
  return {
    endpoint: server.url,
    region,
    storage,
    directory,
    stop,
    dispose: async () => {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
