import { TerraformOutput } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { PrivateBucket } from '../../stacks/constructs/private-bucket';
import {
  parseSynth,
  ref,
  resourcesOf,
  statementsOfDocument,
  synthScope,
  theResource,
} from '../support/synth';
import { testNaming } from '../support/stack-fixtures';

describe('PrivateBucket', () => {
  describe('with no CORS and no lifecycle rules', () => {
    let synthesized: string;

    beforeAll(() => {
      synthesized = synthScope((scope) => {
        const bucket = new PrivateBucket(scope, 'processed', {
          naming: testNaming,
          purpose: 'processed',
          forceDestroy: false,
        });
        new TerraformOutput(scope, 'objects_arn', { value: bucket.objectsArn('thumbnails/') });
      });
    });

    const bucketRef = (attribute: string): string =>
      ref(theResource(synthesized, 'aws_s3_bucket'), attribute);

    it('takes a name prefix, AWS adding a unique suffix', () => {
      expect(synthesized).toHaveResourceWithProperties(S3Bucket, {
        bucket_prefix: 'serverless-week-test-processed-',
        force_destroy: false,
      });
    });

    it('blocks every kind of public access', () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
        bucket: bucketRef('id'),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    });

    it('disables ACLs: the bucket owner owns every object', () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, {
        bucket: bucketRef('id'),
        rule: { object_ownership: 'BucketOwnerEnforced' },
      });
    });

    it('encrypts objects at rest with SSE-S3', () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
        bucket: bucketRef('id'),
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }],
      });
    });

    it('has a policy that only denies requests not made over TLS, on the bucket and its objects', () => {
      // Given the bucket policy, when its document is read, then its one statement is the TLS deny.
      const policy = theResource(synthesized, 'aws_s3_bucket_policy');
      expect(statementsOfDocument(synthesized, String(policy.block.policy))).toEqual([
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [bucketRef('arn'), `${bucketRef('arn')}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ]);
    });

    it('applies its policy only once public access is blocked', () => {
      expect(theResource(synthesized, 'aws_s3_bucket_policy').block.depends_on).toEqual([
        theResource(synthesized, 'aws_s3_bucket_public_access_block').address,
      ]);
    });

    it('has no CORS and no lifecycle configuration unless given rules', () => {
      expect(resourcesOf(synthesized, 'aws_s3_bucket_cors_configuration')).toEqual([]);
      expect(resourcesOf(synthesized, 'aws_s3_bucket_lifecycle_configuration')).toEqual([]);
    });

    it('gives the ARN pattern of the objects under a prefix, for IAM statements', () => {
      expect(parseSynth(synthesized).output?.objects_arn?.value).toBe(
        `${bucketRef('arn')}/thumbnails/*`,
      );
    });
  });

  describe('with CORS and lifecycle rules', () => {
    let synthesized: string;

    beforeAll(() => {
      synthesized = synthScope((scope) => {
        new PrivateBucket(scope, 'uploads', {
          naming: testNaming,
          purpose: 'uploads',
          forceDestroy: true,
          cors: [
            {
              allowedOrigins: ['http://site.example'],
              allowedMethods: ['PUT'],
              allowedHeaders: ['Content-Type'],
            },
          ],
          lifecycle: [
            {
              id: 'expire',
              status: 'Enabled',
              filter: [{ prefix: 'uploads/' }],
              expiration: [{ days: 30 }],
            },
          ],
        });
      });
    });

    it('applies the CORS rules to the bucket', () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketCorsConfiguration, {
        bucket: ref(theResource(synthesized, 'aws_s3_bucket'), 'id'),
        cors_rule: [
          {
            allowed_origins: ['http://site.example'],
            allowed_methods: ['PUT'],
            allowed_headers: ['Content-Type'],
          },
        ],
      });
    });

    it('applies the lifecycle rules to the bucket', () => {
      expect(synthesized).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
        bucket: ref(theResource(synthesized, 'aws_s3_bucket'), 'id'),
        rule: [
          {
            id: 'expire',
            status: 'Enabled',
            filter: [{ prefix: 'uploads/' }],
            expiration: [{ days: 30 }],
          },
        ],
      });
    });

    it('lets destroy empty a bucket of disposable data', () => {
      expect(synthesized).toHaveResourceWithProperties(S3Bucket, { force_destroy: true });
    });
  });
});
