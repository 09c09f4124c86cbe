import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import type { S3BucketCorsConfigurationCorsRule } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import type { S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { Construct } from 'constructs';
import type { Naming } from '../naming';
import { applyBucketBaseline } from '../lib/bucket-baseline';
import { denyInsecureTransport, policyDocument } from '../lib/policy';

export interface PrivateBucketProps {
  naming: Naming;
  purpose: string;
  /** Lets `cdktf destroy` empty the bucket: for stages whose data is disposable. */
  forceDestroy: boolean;
  cors?: S3BucketCorsConfigurationCorsRule[];
  lifecycle?: S3BucketLifecycleConfigurationRule[];
}

/**
 * A bucket nobody outside the account can reach: public access blocked, ACLs disabled,
 * encrypted at rest (SSE-S3), and a policy that refuses any request not made over TLS.
 */
export class PrivateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucketPrefix: props.naming.bucketPrefix(props.purpose),
      forceDestroy: props.forceDestroy,
    });
    const bucket = this.bucket.id;

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    applyBucketBaseline(this, bucket);
    new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: policyDocument(this, 'tls-only', [
        denyInsecureTransport('s3:*', [this.bucket.arn, `${this.bucket.arn}/*`]),
      ]).json,
      dependsOn: [this.publicAccessBlock],
    });
    if (props.cors) {
      new S3BucketCorsConfiguration(this, 'cors', { bucket, corsRule: props.cors });
    }
    if (props.lifecycle) {
      new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket, rule: props.lifecycle });
    }
  }

  get name(): string {
    return this.bucket.bucket;
  }

  get arn(): string {
    return this.bucket.arn;
  }

  /** ARN pattern of the objects under a prefix, for IAM statements. */
  objectsArn(prefix: string): string {
    return `${this.bucket.arn}/${prefix}*`;
  }
}
