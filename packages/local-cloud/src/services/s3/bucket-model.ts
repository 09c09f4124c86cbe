/**
 * A bucket as the model of resources holds it (its BucketSpec: CORS, website, notifications,
 * policy): what IAM reads the bucket's policy from and the notification trigger its functions.
 * S3 writes it after every change to the bucket's configuration.
 */
import type { BucketSpec, PolicyDocument } from '../../stack/topology';
import { configurationOf, corsKind, websiteKind } from './bucket-configurations';
import { POLICY } from './bucket-policy';
import { notificationKind } from './notification-configuration';
import type { Bucket } from './object-store';
import type { S3Context } from './s3-context';

export function bucketSpecOf(bucket: Bucket, address: string): BucketSpec {
  const arn = `arn:aws:s3:::${bucket.name}`;
  const website = configurationOf(bucket, websiteKind);
  const policy = bucket.configurations[POLICY] as PolicyDocument | undefined;
  return {
    address,
    name: bucket.name,
    arn,
    cors: (configurationOf(bucket, corsKind) ?? []).map(({ id: _id, ...rule }) => rule),
    ...(website?.indexDocument
      ? {
          website: {
            indexDocument: website.indexDocument,
            ...(website.errorDocument ? { errorDocument: website.errorDocument } : {}),
          },
        }
      : {}),
    notifications: configurationOf(bucket, notificationKind) ?? [],
    ...(policy ? { policy } : {}),
  };
}

/** Writes the bucket's spec to the model of resources, unless it holds that spec already. */
export function publishBucket(context: S3Context, bucket: Bucket): void {
  const resources = context.resources;
  if (!resources) return;
  const known = resources.get('buckets', bucket.name);
  // A bucket of a booted stack keeps its Terraform address; one created here is named by its ARN.
  const spec = bucketSpecOf(bucket, known?.address ?? `arn:aws:s3:::${bucket.name}`);
  if (known && JSON.stringify(known) === JSON.stringify(spec)) return;
  resources.put('buckets', spec);
}

/** Removes a deleted bucket from the model of resources. */
export function forgetBucket(context: S3Context, name: string): void {
  context.resources?.remove('buckets', name);
}
