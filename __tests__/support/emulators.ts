/**
 * Local stand-ins for DynamoDB (dynalite) and S3 (the local cloud's own S3, behind an AWS edge of
 * its own), reached by the handlers through the real AWS SDK v3 clients: the SDK reads
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_S3 itself, so handlers run unchanged. Each emulator
 * listens on 127.0.0.1 on a free port, keeps its data in memory (dynalite) or in a fresh temporary
 * directory (S3), and is gone after stop().
 *
 * Known limits, verified here:
 *  - these endpoints have no IAM gate, so signatures are not checked (the local cloud's
 *    verifySignature does, where a spec needs it; the local cloud's edge checks them);
 *  - dynalite has no UpdateTimeToLive, DescribeContinuousBackups or Transact* operations, so the
 *    tables are created without their TTL setting.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CreateBucketCommand, GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import dynalite from 'dynalite';
import type { environments, FunctionName } from '../../handlers/environments';
import {
  DEFAULT_ADMIN_CREDENTIALS,
  createTable as createTableAsDeclared,
  startS3Endpoint,
} from '@serverless-week/local-cloud';
import { auditTableLayout, itemsTableLayout } from '../../handlers/lib/storage-layout';
import type { S3ObjectNotice } from './lambda-events';

export const TEST_REGION = 'eu-west-1';
/** The local cloud's administrator key pair, which tools sign with. */
export const TEST_CREDENTIALS = DEFAULT_ADMIN_CREDENTIALS;

const HOST = '127.0.0.1';

// ----- DynamoDB ----------------------------------------------------------------------------------

/** The table shape the stack's DataTable builds from a storage layout. */
export interface TableLayout {
  partitionKey: string;
  index: { name: string; partitionKey: string; sortKey: string };
}

export interface DynamoEmulator {
  readonly endpoint: string;
  /** A document client configured like the handlers' own (createDocumentClient). */
  readonly documents: DynamoDBDocumentClient;
  /** Creates a table as the stack's DataTable does (string keys, one ALL-projected index). */
  createTable(name: string, layout: TableLayout): Promise<string>;
  stop(): Promise<void>;
}

function listen(server: Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function close(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  // Keep-alive sockets of SDK clients would otherwise hold close() open.
  server.closeAllConnections();
  return closed;
}

export async function startDynamo(options: { path?: string } = {}): Promise<DynamoEmulator> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options });
  const { port } = await listen(server);
  const endpoint = `http://${HOST}:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
  });
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });

  // The same table definition the local cloud creates from the stack's DataTable.
  const createTable = async (name: string, layout: TableLayout): Promise<string> => {
    const { index } = layout;
    const keys = [...new Set([layout.partitionKey, index.partitionKey, index.sortKey])];
    await createTableAsDeclared(client, {
      address: `aws_dynamodb_table.${name}`,
      name,
      arn: `arn:aws:dynamodb:${TEST_REGION}:000000000000:table/${name}`,
      hashKey: layout.partitionKey,
      attributes: keys.map((key) => ({ name: key, type: 'S' })),
      globalSecondaryIndexes: [
        {
          name: index.name,
          hashKey: index.partitionKey,
          rangeKey: index.sortKey,
          projectionType: 'ALL',
        },
      ],
      localSecondaryIndexes: [],
      billingMode: 'PAY_PER_REQUEST',
    });
    return name;
  };

  return {
    endpoint,
    documents,
    createTable,
    stop: async () => {
      client.destroy();
      await close(server);
    },
  };
}

/** Either emulator handle: a DynamoEmulator, or the pair startEmulators() returns. */
type WithDynamo = DynamoEmulator | { dynamo: DynamoEmulator };
const dynamoOf = (target: WithDynamo): DynamoEmulator =>
  'dynamo' in target ? target.dynamo : target;

/** The items table of the stack, from the same layout. */
export function createItemsTable(target: WithDynamo, name = 'items'): Promise<string> {
  return dynamoOf(target).createTable(name, itemsTableLayout);
}

/** The audit table of the stack, from the same layout (its TTL cannot be set on dynalite). */
export function createAuditTable(target: WithDynamo, name = 'audit'): Promise<string> {
  return dynamoOf(target).createTable(name, auditTableLayout);
}

// ----- S3 ----------------------------------------------------------------------------------------

export interface StoredObject {
  body: Buffer;
  contentType: string | undefined;
  cacheControl: string | undefined;
}

export interface S3Emulator {
  readonly endpoint: string;
  /** A client configured like the handlers' own (createS3Client). */
  readonly client: S3Client;
  createBucket(name: string): Promise<string>;
  /** The object, or undefined if there is none. */
  read(bucket: string, key: string): Promise<StoredObject | undefined>;
  /**
   * Every object created so far, as S3 announced it (key as stored): turn one into the event S3
   * would deliver with `s3Event()`, which URL-encodes the key as S3 does.
   */
  created(bucket?: string): S3ObjectNotice[];
  stop(): Promise<void>;
}

/** The local cloud's S3, in a fresh temporary directory, behind an AWS edge on a free port. */
export async function startS3(): Promise<S3Emulator> {
  const s3 = await startS3Endpoint({ region: TEST_REGION });
  const notices: S3ObjectNotice[] = [];
  s3.storage.onObjectCreated((created) =>
    notices.push({
      bucket: created.bucket,
      key: created.key,
      size: created.size,
      eTag: created.eTag,
      eventName: 'ObjectCreated:Put',
    }),
  );
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    forcePathStyle: true,
  });

  return {
    endpoint: s3.endpoint,
    client,
    createBucket: async (name) => {
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    read: async (bucket, key) => {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
        return {
          body: Buffer.from(bytes),
          contentType: object.ContentType,
          cacheControl: object.CacheControl,
        };
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
    created: (bucket) =>
      notices.filter((notice) => bucket === undefined || notice.bucket === bucket),
    stop: async () => {
      client.destroy();
      await s3.dispose();
    },
  };
}

// ----- Both, and the environment the handlers read -----------------------------------------------

export interface Emulators {
  dynamo: DynamoEmulator;
  s3: S3Emulator;
  stop(): Promise<void>;
}

/** Starts dynalite and S3; if either fails to start, whatever did start is stopped. */
export async function startEmulators(): Promise<Emulators> {
  const dynamo = await startDynamo();
  let s3: S3Emulator;
  try {
    s3 = await startS3();
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
  return {
    dynamo,
    s3,
    stop: async () => {
      await Promise.allSettled([dynamo.stop(), s3.stop()]).then((results) => {
        const failure = results.find((result) => result.status === 'rejected');
        if (failure) throw failure.reason;
      });
    },
  };
}

/** Nothing listens there: a client that escaped its mock fails at once instead of reaching AWS. */
const NOWHERE = `http://${HOST}:9`;

/** What the SDK inside the handlers needs to talk to the emulators. */
export function awsEnvironment(emulators: Emulators): Record<string, string> {
  return {
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamo.endpoint,
    // An IP-address endpoint: the SDK then addresses buckets path-style by itself.
    AWS_ENDPOINT_URL_S3: emulators.s3.endpoint,
    // SNS, SQS and Step Functions are mocked in the specs with aws-sdk-client-mock.
    AWS_ENDPOINT_URL_SNS: NOWHERE,
    AWS_ENDPOINT_URL_SQS: NOWHERE,
    AWS_ENDPOINT_URL_SFN: NOWHERE,
    AWS_EC2_METADATA_DISABLED: 'true',
    // The handlers' structured logs; run with POWERTOOLS_LOG_LEVEL=DEBUG to see them.
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
    POWERTOOLS_SERVICE_NAME: 'serverless-week-test',
  };
}

/** Every variable of every function's environment contract. */
export type AppVariable = (typeof environments)[FunctionName]['keys'][number];

/** Sets variables (undefined unsets); returns a function that puts the previous values back. */
export function setEnvironment(values: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (entries: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(previous);
}
