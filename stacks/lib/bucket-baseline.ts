import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import type { Construct } from 'constructs';

/**
 * What every bucket of the app has, public or not: ACLs disabled (the bucket owner owns every
 * object, so only policies grant access) and encryption at rest with S3-managed keys.
 */
export function applyBucketBaseline(scope: Construct, bucket: string): void {
  new S3BucketOwnershipControls(scope, 'ownership', {
    bucket,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  new S3BucketServerSideEncryptionConfigurationA(scope, 'encryption', {
    bucket,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
  });
}
