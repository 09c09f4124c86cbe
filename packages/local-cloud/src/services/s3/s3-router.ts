/**
 * Which S3 operation a request calls: its method, whether it names a bucket and a key, and its
 * sub-resource (`?cors`, `?uploads`, `?uploadId=…`, `?list-type=2`…). The bucket name is checked
 * against S3's rules and the key's length before anything else; a sub-resource S3 has but the
 * local cloud does not emulate answers 501 NotImplemented, an operation S3 does not have 405.
 */
import type { ConfigurationKind } from './bucket-configurations';
import { CONFIGURATION_KINDS } from './bucket-configurations';
import { isValidBucketName } from './bucket-names';
import {
  createBucket,
  deleteBucket,
  deleteBucketPolicy,
  getBucketPolicy,
  putBucketPolicy,
  deleteConfiguration,
  getBucketLocation,
  getConfiguration,
  headBucket,
  listBuckets,
  putConfiguration,
} from './bucket-operations';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
} from './multipart-operations';
import { listObjectsV1, listObjectsV2 } from './object-listing';
import { objectTaggingOperation } from './object-tagging';
import { listObjectVersions } from './object-versions';
import {
  checkKey,
  copyObject,
  deleteObject,
  deleteObjects,
  getObject,
  headObject,
  putObject,
} from './object-operations';
import type { Bucket } from './object-store';
import type { S3Context } from './s3-context';
import type { S3Answer, S3Call } from './types';
import { headerOf, xmlAnswer } from './s3-context';
import { s3Errors } from './s3-errors';
import type { S3Location } from './s3-location';

/** Bucket sub-resources S3 has that are not emulated (yet): each answers NotImplemented. */
const UNEMULATED_BUCKET_SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'intelligent-tiering',
  'inventory',
  'logging',
  'metadataTable',
  'metrics',
  'object-lock',
  'policyStatus',
  'replication',
  'requestPayment',
  'session',
];

const UNEMULATED_OBJECT_SUBRESOURCES = [
  'acl',
  'attributes',
  'legal-hold',
  'renameObject',
  'restore',
  'retention',
  'select',
  'torrent',
];

function refuseUnemulated(query: URLSearchParams, names: string[]): void {
  const name = names.find((candidate) => query.has(candidate));
  if (name !== undefined) throw s3Errors.notImplemented(`The ?${name} sub-resource`);
}

function configurationKindOf(query: URLSearchParams): ConfigurationKind<unknown> | undefined {
  return CONFIGURATION_KINDS.find((kind) => query.has(kind.subresource));
}

/** The bucket of a request that needs one to exist. */
export function existingBucket(context: S3Context, name: string): Bucket {
  const bucket = context.store.getBucket(name);
  if (!bucket) throw s3Errors.noSuchBucket(name);
  return bucket;
}

async function bucketOperation(context: S3Context, call: S3Call, name: string): Promise<S3Answer> {
  const { method, query } = call;
  const kind = configurationKindOf(query);
  const policy = query.has('policy');
  if (method === 'PUT' && !kind && !policy) {
    refuseUnemulated(query, UNEMULATED_BUCKET_SUBRESOURCES);
    return createBucket(context, call, name);
  }
  const bucket = existingBucket(context, name);
  if (policy) return policyOperation(context, call, bucket);
  if (method === 'HEAD') return headBucket(bucket);
  if (kind && method === 'GET') return getConfiguration(bucket, kind);
  if (kind && method === 'PUT') return putConfiguration(context, call, bucket, kind);
  if (kind && method === 'DELETE') return deleteConfiguration(context, bucket, kind);
  if (method === 'POST' && query.has('delete')) return deleteObjects(context, call, bucket);
  refuseUnemulated(query, UNEMULATED_BUCKET_SUBRESOURCES);
  if (method === 'GET') {
    if (query.has('location')) return getBucketLocation(bucket);
    if (query.has('uploads')) return listMultipartUploads(call, bucket);
    if (query.has('versions')) return xmlAnswer(listObjectVersions(bucket, query));
    const listType = query.get('list-type');
    if (listType === '2') return xmlAnswer(listObjectsV2(bucket, query));
    if (listType !== null)
      throw s3Errors.invalidArgument(
        'Invalid List Type specified in Request',
        'list-type',
        listType,
      );
    return xmlAnswer(listObjectsV1(bucket, query));
  }
  if (method === 'DELETE') return deleteBucket(context, bucket);
  if (
    method === 'POST' &&
    headerOf(call, 'content-type')?.toLowerCase().startsWith('multipart/form-data')
  ) {
    throw s3Errors.notImplemented('Uploading with a browser form (POST Object)');
  }
  throw s3Errors.methodNotAllowed(method, 'BUCKET');
}

function policyOperation(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
): Promise<S3Answer> | S3Answer {
  switch (call.method) {
    case 'PUT':
      return putBucketPolicy(context, call, bucket);
    case 'GET':
      return getBucketPolicy(bucket);
    case 'DELETE':
      return deleteBucketPolicy(context, bucket);
    default:
      throw s3Errors.methodNotAllowed(call.method, 'BUCKET');
  }
}

async function objectOperation(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
  key: string,
): Promise<S3Answer> {
  const { method, query } = call;
  const multipart = query.has('uploadId');
  if (!multipart && !(method === 'POST' && query.has('uploads'))) {
    refuseUnemulated(query, UNEMULATED_OBJECT_SUBRESOURCES);
  }
  if (query.has('tagging')) return objectTaggingOperation(context, call, bucket, key);
  switch (method) {
    case 'GET':
      return multipart
        ? listParts(context, call, bucket, key)
        : getObject(context, call, bucket, key);
    case 'HEAD':
      return headObject(call, bucket, key);
    case 'PUT':
      if (multipart) return uploadPart(context, call, bucket, key);
      return headerOf(call, 'x-amz-copy-source') === undefined
        ? putObject(context, call, bucket, key)
        : copyObject(context, call, bucket, key);
    case 'POST':
      if (query.has('uploads')) return createMultipartUpload(context, call, bucket, key);
      if (multipart) return completeMultipartUpload(context, call, bucket, key);
      throw s3Errors.methodNotAllowed(method, 'OBJECT');
    case 'DELETE':
      return multipart
        ? abortMultipartUpload(context, call, bucket, key)
        : deleteObject(context, call, bucket, key);
    default:
      throw s3Errors.methodNotAllowed(method, 'OBJECT');
  }
}

/** Answers a request for `location` (CORS preflights are answered before this). */
export function route(
  context: S3Context,
  call: S3Call,
  location: S3Location,
): Promise<S3Answer> | S3Answer {
  const { bucket: name, key } = location;
  if (name === undefined) {
    if (call.method === 'GET') return listBuckets(context);
    throw s3Errors.methodNotAllowed(call.method, 'SERVICE');
  }
  if (!isValidBucketName(name)) throw s3Errors.invalidBucketName(name);
  if (key === undefined) return bucketOperation(context, call, name);
  checkKey(key);
  return objectOperation(context, call, existingBucket(context, name), key);
}
