import { GetBucketPolicyCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { useEmptyCloud } from '../../support/in-process-cloud';
import { plannedChanges } from '../../support/planned-changes';

/**
 * Terraform's AWS provider (5.100.0) deploys the buckets of our stack to a cloud started empty: a
 * private bucket (policy, public access block, ownership, encryption, versioning, lifecycle, CORS)
 * and a website bucket (public access block, public-read policy, website, objects with tags).
 * Apply, plan with no change, destroy with no bucket left.
 */

// The provider's lifecycle waiter reads the rules back until they hold still (about a minute).
jest.setTimeout(600_000);

const empty = useEmptyCloud({ prefix: 's3-terraform-' });

const BUCKETS = {
  resource: {
    aws_s3_bucket: {
      private: {
        bucket_prefix: 'tf-uploads-',
        force_destroy: true,
        tags: { app: 'serverless-week' },
      },
      site: { bucket_prefix: 'tf-website-', force_destroy: true },
    },
    aws_s3_bucket_policy: {
      private: {
        bucket: '${aws_s3_bucket.private.id}',
        policy:
          '${jsonencode({Version = "2012-10-17", Statement = [{Sid = "TlsOnly", Effect = "Deny", Principal = "*", Action = "s3:*", Resource = [aws_s3_bucket.private.arn, "${aws_s3_bucket.private.arn}/*"], Condition = {Bool = {"aws:SecureTransport" = "false"}}}]})}',
      },
      site: {
        bucket: '${aws_s3_bucket.site.id}',
        policy:
          '${jsonencode({Version = "2012-10-17", Statement = [{Sid = "PublicRead", Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "${aws_s3_bucket.site.arn}/*"}]})}',
        depends_on: ['aws_s3_bucket_public_access_block.site'],
      },
    },
    aws_s3_bucket_public_access_block: {
      private: {
        bucket: '${aws_s3_bucket.private.id}',
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      },
      site: {
        bucket: '${aws_s3_bucket.site.id}',
        block_public_acls: true,
        block_public_policy: false,
        ignore_public_acls: true,
        restrict_public_buckets: false,
      },
    },
    aws_s3_bucket_ownership_controls: {
      private: {
        bucket: '${aws_s3_bucket.private.id}',
        rule: { object_ownership: 'BucketOwnerEnforced' },
      },
    },
    aws_s3_bucket_server_side_encryption_configuration: {
      private: {
        bucket: '${aws_s3_bucket.private.id}',
        rule: [
          {
            apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' },
            bucket_key_enabled: true,
          },
        ],
      },
    },
    aws_s3_bucket_versioning: {
      private: {
        bucket: '${aws_s3_bucket.private.id}',
        versioning_configuration: { status: 'Enabled' },
      },
    },
    aws_s3_bucket_lifecycle_configuration: {
      private: {
        bucket: '${aws_s3_bucket.private.id}',
        rule: [
          {
            id: 'expire-uploads',
            status: 'Enabled',
            filter: { prefix: 'uploads/' },
            expiration: { days: 30 },
            abort_incomplete_multipart_upload: { days_after_initiation: 1 },
          },
        ],
      },
    },
    aws_s3_bucket_website_configuration: {
      site: {
        bucket: '${aws_s3_bucket.site.id}',
        index_document: { suffix: 'index.html' },
        error_document: { key: 'error.html' },
      },
    },
    aws_s3_bucket_cors_configuration: {
      private: {
        bucket: '${aws_s3_bucket.private.id}',
        cors_rule: [
          {
            allowed_headers: ['Content-Type'],
            allowed_methods: ['PUT'],
            allowed_origins: [
              'http://${aws_s3_bucket_website_configuration.site.website_endpoint}',
            ],
            expose_headers: ['ETag'],
            max_age_seconds: 600,
          },
        ],
      },
    },
    aws_s3_object: {
      index: {
        bucket: '${aws_s3_bucket.site.id}',
        key: 'index.html',
        content: '<h1>hello</h1>',
        content_type: 'text/html',
        tags: { kind: 'page' },
      },
      error: {
        bucket: '${aws_s3_bucket.site.id}',
        key: 'error.html',
        content: '<h1>oops</h1>',
        content_type: 'text/html',
      },
    },
  },
  output: { private: { value: '${aws_s3_bucket.private.id}' } },
};

describe('the buckets of our stack', () => {
  it('apply, then plan no change, then destroy leaving no bucket', async () => {
    // Given the configuration applied
    const terraform = await empty.terraform(BUCKETS);
    const applied = await terraform.apply();
    expect(applied.output).toContain('Apply complete! Resources: 14 added');

    // When it is planned again, then there is nothing to change
    expect(await plannedChanges(terraform)).toBe('');

    // And the private bucket's policy is S3's and the model's
    const { private: bucket } = (await terraform.outputs()) as { private: string };
    const s3 = empty.client(S3Client, undefined, { forcePathStyle: true });
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    expect(JSON.parse(Policy ?? '{}')).toMatchObject({ Statement: [{ Sid: 'TlsOnly' }] });
    expect(empty.cloud.resources.get('buckets', bucket)?.policy).toMatchObject({
      Statement: [{ Sid: 'TlsOnly' }],
    });

    // When it is destroyed
    const destroyed = await terraform.destroy();

    // Then no bucket is left
    expect(destroyed.output).toContain('Destroy complete! Resources: 14 destroyed');
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets).toEqual([]);
    expect(empty.cloud.resources.list('buckets')).toEqual([]);
    s3.destroy();
  });
});
