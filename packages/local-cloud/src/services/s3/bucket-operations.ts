/**
 * S3's bucket operations: ListBuckets, CreateBucket (with its LocationConstraint), HeadBucket,
 * DeleteBucket, GetBucketLocation, Put/Get/Delete of the configuration sub-resources and of the
 * bucket policy. A new bucket blocks public access and enforces bucket-owner ownership, as S3's
 * buckets do since April 2023; every change reaches the model of resources.
 */
import type { ConfigurationKind } from './bucket-configurations';
import { configurationOf } from './bucket-configurations';
import { forgetBucket, publishBucket } from './bucket-model';
import { noSuchBucketPolicy, POLICY, readBucketPolicy } from './bucket-policy';
import {
  BLOCK_ALL_PUBLIC_ACCESS,
  OBJECT_OWNERSHIPS,
  ownershipControlsKind,
  publicAccessBlockKind,
} from './bucket-settings';
import type { ObjectOwnership } from './bucket-settings';
import { owner } from './object-listing';
import type { Bucket } from './object-store';
import type { S3Context } from './s3-context';
import type { S3Answer, S3Call } from './types';
import { headerOf, readXmlBody, xmlAnswer } from './s3-context';
import { s3Errors } from './s3-errors';
import { childText } from './xml-reader';
import { escapeXml } from '../../xml-escape';
import { document, nested, text } from './xml-writer';

const DEFAULT_REGION = 'us-east-1';

export function listBuckets(context: S3Context): S3Answer {
  const buckets = context.store
    .listBuckets()
    .map((bucket) =>
      nested(
        'Bucket',
        text('Name', bucket.name),
        text('CreationDate', new Date(bucket.created).toISOString()),
        text('BucketRegion', bucket.region),
      ),
    );
  return xmlAnswer(document('ListAllMyBucketsResult', owner(), nested('Buckets', ...buckets)));
}

/** Whether the request carries a body (CreateBucketConfiguration is optional). */
function hasBody(call: S3Call): boolean {
  const length = headerOf(call, 'content-length');
  return (
    (length !== undefined && length !== '0') || headerOf(call, 'transfer-encoding') !== undefined
  );
}

async function locationConstraintOf(call: S3Call): Promise<string | undefined> {
  if (!hasBody(call)) return undefined;
  const root = await readXmlBody(call);
  if (root.name !== 'CreateBucketConfiguration') throw s3Errors.malformedXml();
  const constraint = childText(root, 'LocationConstraint')?.trim();
  return constraint === '' ? undefined : constraint;
}

export async function createBucket(
  context: S3Context,
  call: S3Call,
  name: string,
): Promise<S3Answer> {
  const constraint = await locationConstraintOf(call);
  if (constraint !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(constraint)) {
    throw s3Errors.invalidLocationConstraint(constraint);
  }
  // S3 refuses us-east-1 spelled out: it is the region of a bucket with no constraint.
  if (constraint === DEFAULT_REGION) throw s3Errors.invalidLocationConstraint(constraint);
  const region = constraint ?? context.region;
  const existing = context.store.getBucket(name);
  if (existing) {
    // us-east-1 answers a repeated create of one's own bucket with success.
    if (region === DEFAULT_REGION && existing.region === DEFAULT_REGION) {
      return { status: 200, headers: { location: `/${name}` } };
    }
    throw s3Errors.bucketAlreadyOwnedByYou(name);
  }
  const bucket = context.store.createBucket(name, region, Date.now(), {
    [publicAccessBlockKind.subresource]: BLOCK_ALL_PUBLIC_ACCESS,
    [ownershipControlsKind.subresource]: objectOwnershipOf(call),
  });
  publishBucket(context, bucket);
  return { status: 200, headers: { location: `/${name}` } };
}

/** `x-amz-object-ownership` of a CreateBucket: BucketOwnerEnforced unless it says otherwise. */
function objectOwnershipOf(call: S3Call): ObjectOwnership {
  const header = headerOf(call, 'x-amz-object-ownership');
  if (header === undefined) return 'BucketOwnerEnforced';
  const ownership = OBJECT_OWNERSHIPS.find((candidate) => candidate === header);
  if (!ownership) {
    throw s3Errors.invalidArgument(
      'Invalid x-amz-object-ownership header',
      'x-amz-object-ownership',
      header,
    );
  }
  return ownership;
}

export function headBucket(bucket: Bucket): S3Answer {
  return {
    status: 200,
    headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' },
  };
}

export function deleteBucket(context: S3Context, bucket: Bucket): S3Answer {
  if (bucket.objects.size > 0) throw s3Errors.bucketNotEmpty(bucket.name);
  context.store.deleteBucket(bucket);
  forgetBucket(context, bucket.name);
  return { status: 204 };
}

export function getBucketLocation(bucket: Bucket): S3Answer {
  const region = bucket.region === DEFAULT_REGION ? '' : bucket.region;
  return xmlAnswer(
    `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${escapeXml(region)}</LocationConstraint>`,
  );
}

/** Keeps (or, when undefined, removes) one configuration of the bucket, and publishes the bucket. */
function saveConfiguration(
  context: S3Context,
  bucket: Bucket,
  subresource: string,
  value: unknown,
): void {
  const { [subresource]: _current, ...rest } = bucket.configurations;
  context.store.saveConfigurations(
    bucket,
    value === undefined ? rest : { ...rest, [subresource]: value },
  );
  publishBucket(context, bucket);
}

export async function putConfiguration<T>(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
  kind: ConfigurationKind<T>,
): Promise<S3Answer> {
  const configuration = kind.read(await readXmlBody(call));
  kind.check?.(configuration, bucket, context);
  if (!context.store.isLive(bucket)) throw s3Errors.noSuchBucket(bucket.name);
  saveConfiguration(context, bucket, kind.subresource, configuration);
  return { status: kind.putStatus ?? 200 };
}

export function getConfiguration<T>(bucket: Bucket, kind: ConfigurationKind<T>): S3Answer {
  const stored = configurationOf(bucket, kind);
  if (stored === undefined && !kind.absent) {
    throw kind.missing?.(bucket.name) ?? s3Errors.internalError();
  }
  const configuration = stored ?? (kind.absent as { value: T }).value;
  return xmlAnswer(document(kind.root, kind.write(configuration)), kind.answerHeaders);
}

export function deleteConfiguration<T>(
  context: S3Context,
  bucket: Bucket,
  kind: ConfigurationKind<T>,
): S3Answer {
  if (configurationOf(bucket, kind) !== undefined) {
    saveConfiguration(context, bucket, kind.subresource, undefined);
  }
  return { status: 204 };
}

export async function putBucketPolicy(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
): Promise<S3Answer> {
  const policy = await readBucketPolicy(call, bucket.name);
  if (!context.store.isLive(bucket)) throw s3Errors.noSuchBucket(bucket.name);
  saveConfiguration(context, bucket, POLICY, policy);
  return { status: 204 };
}

export function getBucketPolicy(bucket: Bucket): S3Answer {
  const policy = bucket.configurations[POLICY];
  if (policy === undefined) throw noSuchBucketPolicy(bucket.name);
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(policy),
  };
}

export function deleteBucketPolicy(context: S3Context, bucket: Bucket): S3Answer {
  if (bucket.configurations[POLICY] !== undefined) {
    saveConfiguration(context, bucket, POLICY, undefined);
  }
  return { status: 204 };
}
