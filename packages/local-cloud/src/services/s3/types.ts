/**
 * The shapes S3's modules share: a request as every operation is given it, the answer it returns,
 * the notice of a created object, and what the service is started with. Nothing here imports
 * from this folder, so every module of it may import these without a circle.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { LocalLog } from '../../log';
import type { BucketSpec } from '../../stack/topology';

/** An object creation as S3 notifies it; `key` is the stored key, not yet URL-encoded. */
export interface ObjectCreated {
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  /** `ObjectCreated:Put`, `ObjectCreated:Copy`, `ObjectCreated:CompleteMultipartUpload`. */
  eventName: string;
  eventTime: string;
  sourceIp: string;
}

export interface S3Call {
  /** The request, whose body has not been read. */
  readonly request: IncomingMessage;
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly query: URLSearchParams;
  readonly sourceIp: string;
}

export interface S3Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** A streamed body; its length is in the headers. */
  stream?: Readable;
}

export interface ObjectStorageOptions {
  directory: string;
  buckets: readonly BucketSpec[];
  region: string;
  log: LocalLog;
  /** The model of resources each bucket's spec is written to (see S3Context). */
  resources?: BucketRegistry;
  destinationProblem?: DestinationCheck;
}

/** The part of the resource registry S3 writes to. */
export interface BucketRegistry {
  get(kind: 'buckets', key: string): BucketSpec | undefined;
  put(kind: 'buckets', spec: BucketSpec): void;
  remove(kind: 'buckets', key: string): unknown;
}

/**
 * Why S3 may not invoke the function for the bucket (a function that does not exist, or whose
 * resource policy does not let s3.amazonaws.com invoke it for the bucket); undefined when it may.
 */
export type DestinationCheck = (bucketArn: string, functionArn: string) => string | undefined;
