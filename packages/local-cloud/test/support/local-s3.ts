/**
 * The local cloud's S3 on its own (startS3Endpoint), reached with the real S3Client signed with the
 * administrator's key pair.
 */
import { CreateBucketCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../src/credentials';
import { S3_ENDPOINT_REGION, startS3Endpoint } from '../../src/services/s3/s3-endpoint';
import type { S3Endpoint, S3EndpointOptions } from '../../src/services/s3/s3-endpoint';
import type { BucketSpec } from '../../src/stack/topology';

export interface LocalS3 extends S3Endpoint {
  /** A client of this endpoint (path-style, administrator's keys); destroyed by stop(). */
  client(config?: Partial<S3ClientConfig>): S3Client;
}

export type LocalS3Options = S3EndpointOptions;

export const LOCAL_S3_REGION = S3_ENDPOINT_REGION;

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

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const s3 = await startS3Endpoint(options);
  const clients: S3Client[] = [];
  const stop = async (): Promise<void> => {
    for (const client of clients.splice(0)) client.destroy();
    await s3.stop();
  };
  return {
    ...s3,
    client: (config = {}) => {
      const client = new S3Client({
        endpoint: s3.endpoint,
        region: s3.region,
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
      await s3.dispose();
    },
  };
}

/** A local S3 for a spec file: started before all its tests, disposed of after them. */
export interface SpecS3 {
  readonly s3: LocalS3;
  /** A client of it, made once it is started. */
  readonly client: S3Client;
  /** Creates the bucket `name`; its name. */
  readonly newBucket: (name: string) => Promise<string>;
}

export function useLocalS3(options: LocalS3Options = {}): SpecS3 {
  let started: { s3: LocalS3; client: S3Client } | undefined;
  const current = (): { s3: LocalS3; client: S3Client } => {
    if (!started) throw new Error('the S3 endpoint is not started yet (use it inside tests)');
    return started;
  };
  beforeAll(async () => {
    const s3 = await startLocalS3(options);
    started = { s3, client: s3.client() };
  });
  afterAll(() => started?.s3.dispose());
  return {
    get s3() {
      return current().s3;
    },
    get client() {
      return current().client;
    },
    newBucket: async (name) => {
      await current().client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
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
