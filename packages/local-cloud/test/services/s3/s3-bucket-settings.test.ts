import {
  DeleteBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  PutPublicAccessBlockCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { emptyRegistry } from '../../support/empty-registry';
import { s3ErrorOf, useLocalS3 } from '../../support/local-s3';

/**
 * The bucket settings Terraform's aws_s3_bucket_* resources write, through the real S3Client:
 * each is read back as it was put, answers S3's error when the bucket has none, and the bucket's
 * spec (policy, notifications) reaches the model of resources.
 */

const ALLOWED_FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:allowed';
const registry = emptyRegistry();
const local = useLocalS3({
  resources: registry,
  destinationProblem: (_bucket, functionArn) =>
    functionArn === ALLOWED_FUNCTION
      ? undefined
      : `Not authorized to invoke function [${functionArn}]`,
});

const { newBucket } = local;

const policyOf = (bucket: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'TlsOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});

describe('tagging', () => {
  it('reads back the tags a bucket was given', async () => {
    // Given a bucket with tags
    const bucket = await newBucket('tagged');
    const TagSet = [
      { Key: 'app', Value: 'serverless-week' },
      { Key: 'stage', Value: 'local' },
    ];
    await local.client.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet } }));

    // When they are read
    const answer = await local.client.send(new GetBucketTaggingCommand({ Bucket: bucket }));

    // Then they are those tags
    expect(answer.TagSet).toEqual(TagSet);
  });

  it('answers NoSuchTagSet for a bucket whose tags were deleted', async () => {
    // Given a bucket whose tags were deleted
    const bucket = await newBucket('untagged');
    await local.client.send(
      new PutBucketTaggingCommand({
        Bucket: bucket,
        Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] },
      }),
    );
    await local.client.send(new DeleteBucketTaggingCommand({ Bucket: bucket }));

    // When its tags are read
    const error = await s3ErrorOf(
      local.client.send(new GetBucketTaggingCommand({ Bucket: bucket })),
    );

    // Then S3 says it has none
    expect(error).toEqual({ code: 'NoSuchTagSet', status: 404 });
  });

  it('refuses the same tag key twice with InvalidTag', async () => {
    // Given a bucket
    const bucket = await newBucket('twice-tagged');

    // When a tag set names a key twice
    const error = await s3ErrorOf(
      local.client.send(
        new PutBucketTaggingCommand({
          Bucket: bucket,
          Tagging: {
            TagSet: [
              { Key: 'a', Value: '1' },
              { Key: 'a', Value: '2' },
            ],
          },
        }),
      ),
    );

    // Then S3 refuses it
    expect(error).toEqual({ code: 'InvalidTag', status: 400 });
  });
});

describe('policy', () => {
  it('reads back the policy a bucket was given, and the model of resources holds it', async () => {
    // Given a bucket with a policy
    const bucket = await newBucket('with-policy');
    const policy = policyOf(bucket);
    await local.client.send(
      new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }),
    );

    // When it is read
    const answer = await local.client.send(new GetBucketPolicyCommand({ Bucket: bucket }));

    // Then it is that policy, in S3 and in the bucket's spec
    expect(JSON.parse(answer.Policy ?? '')).toEqual(policy);
    expect(registry.get('buckets', bucket)?.policy).toEqual(policy);
  });

  it('answers NoSuchBucketPolicy once the policy is deleted, and the spec has none', async () => {
    // Given a bucket whose policy was deleted
    const bucket = await newBucket('policy-deleted');
    await local.client.send(
      new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policyOf(bucket)) }),
    );
    await local.client.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));

    // When its policy is read
    const error = await s3ErrorOf(
      local.client.send(new GetBucketPolicyCommand({ Bucket: bucket })),
    );

    // Then S3 says it has none
    expect(error).toEqual({ code: 'NoSuchBucketPolicy', status: 404 });
    expect(registry.get('buckets', bucket)?.policy).toBeUndefined();
  });

  it('refuses a policy that is not JSON with MalformedPolicy', async () => {
    // Given a bucket
    const bucket = await newBucket('bad-policy');

    // When its policy is not JSON
    const put = local.client.send(
      new PutBucketPolicyCommand({ Bucket: bucket, Policy: 'not json' }),
    );

    // Then S3 refuses it with its reason
    await expect(put).rejects.toMatchObject({
      name: 'MalformedPolicy',
      message: "Policies must be valid JSON and the first byte must be '{'",
    });
  });

  it('refuses a policy naming another bucket with MalformedPolicy', async () => {
    // Given a bucket
    const bucket = await newBucket('foreign-policy');

    // When its policy is about another bucket
    const put = local.client.send(
      new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policyOf('other')) }),
    );

    // Then S3 refuses it
    await expect(put).rejects.toMatchObject({
      name: 'MalformedPolicy',
      message: 'Policy has invalid resource',
    });
  });
});

describe('public access block and ownership', () => {
  it('blocks all public access and enforces bucket-owner ownership on a new bucket', async () => {
    // Given a new bucket
    const bucket = await newBucket('new-defaults');

    // When its public access block and ownership controls are read
    const block = await local.client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    const ownership = await local.client.send(
      new GetBucketOwnershipControlsCommand({ Bucket: bucket }),
    );

    // Then they are S3's defaults since April 2023
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(ownership.OwnershipControls?.Rules).toEqual([
      { ObjectOwnership: 'BucketOwnerEnforced' },
    ]);
  });

  it('reads back a public access block as put', async () => {
    // Given a bucket whose policy may be public
    const bucket = await newBucket('public-policy');
    const configuration = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    };
    await local.client.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: configuration,
      }),
    );

    // When it is read
    const block = await local.client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));

    // Then it is as put
    expect(block.PublicAccessBlockConfiguration).toEqual(configuration);
  });

  it('answers NoSuchPublicAccessBlockConfiguration once it is deleted', async () => {
    // Given a bucket whose public access block was deleted
    const bucket = await newBucket('no-block');
    await local.client.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));

    // When it is read
    const error = await s3ErrorOf(
      local.client.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
    );

    // Then S3 says it has none
    expect(error).toEqual({ code: 'NoSuchPublicAccessBlockConfiguration', status: 404 });
  });

  it('reads back the object ownership put', async () => {
    // Given a bucket whose objects belong to their writers
    const bucket = await newBucket('writer-owned');
    await local.client.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: bucket,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      }),
    );

    // When it is read
    const ownership = await local.client.send(
      new GetBucketOwnershipControlsCommand({ Bucket: bucket }),
    );

    // Then it is as put
    expect(ownership.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'ObjectWriter' }]);
  });
});

describe('encryption and versioning', () => {
  it('answers SSE-S3 (AES256) for a bucket never given an encryption configuration', async () => {
    // Given a new bucket
    const bucket = await newBucket('default-encryption');

    // When its encryption is read
    const answer = await local.client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));

    // Then it is S3's default
    expect(answer.ServerSideEncryptionConfiguration?.Rules).toEqual([
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
        BucketKeyEnabled: false,
      },
    ]);
  });

  it('reads back a KMS encryption configuration, and S3 default once it is deleted', async () => {
    // Given a bucket encrypted with a KMS key
    const bucket = await newBucket('kms-encryption');
    const rule = {
      ApplyServerSideEncryptionByDefault: {
        SSEAlgorithm: 'aws:kms' as const,
        KMSMasterKeyID: 'alias/aws/s3',
      },
      BucketKeyEnabled: true,
    };
    await local.client.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: { Rules: [rule] },
      }),
    );
    const put = await local.client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));

    // When the configuration is deleted
    await local.client.send(new DeleteBucketEncryptionCommand({ Bucket: bucket }));
    const deleted = await local.client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));

    // Then it was read back as put, and then as S3's default
    expect(put.ServerSideEncryptionConfiguration?.Rules).toEqual([rule]);
    expect(
      deleted.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault,
    ).toEqual({ SSEAlgorithm: 'AES256' });
  });

  it('answers no status for a bucket never versioned, and the status once it is set', async () => {
    // Given a bucket
    const bucket = await newBucket('versioned');
    const before = await local.client.send(new GetBucketVersioningCommand({ Bucket: bucket }));

    // When versioning is enabled
    await local.client.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    const after = await local.client.send(new GetBucketVersioningCommand({ Bucket: bucket }));

    // Then the status is read back
    expect(before.Status).toBeUndefined();
    expect(after.Status).toBe('Enabled');
  });
});

describe('lifecycle', () => {
  it('reads back the rules put, with the default minimum transition size', async () => {
    // Given a bucket with a lifecycle rule
    const bucket = await newBucket('with-lifecycle');
    const Rules = [
      {
        ID: 'expire-uploads',
        Status: 'Enabled' as const,
        Filter: { Prefix: 'uploads/' },
        Expiration: { Days: 30 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ];
    await local.client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules },
      }),
    );

    // When they are read
    const answer = await local.client.send(
      new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }),
    );

    // Then they are the rules put
    expect(answer.Rules).toEqual(Rules);
    expect(answer.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
  });

  it('answers NoSuchLifecycleConfiguration once the rules are deleted', async () => {
    // Given a bucket whose lifecycle was deleted
    const bucket = await newBucket('lifecycle-deleted');
    await local.client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: 'r', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } }],
        },
      }),
    );
    await local.client.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));

    // When it is read
    const error = await s3ErrorOf(
      local.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
    );

    // Then S3 says it has none
    expect(error).toEqual({ code: 'NoSuchLifecycleConfiguration', status: 404 });
  });
});

describe('notifications', () => {
  it('reads back a function notification, and the model of resources holds it', async () => {
    // Given a bucket notifying a function that lets S3 invoke it
    const bucket = await newBucket('notifying');
    const configuration = {
      Id: 'make-thumbnails',
      LambdaFunctionArn: ALLOWED_FUNCTION,
      Events: ['s3:ObjectCreated:*' as const],
      Filter: { Key: { FilterRules: [{ Name: 'prefix' as const, Value: 'uploads/' }] } },
    };
    await local.client.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: { LambdaFunctionConfigurations: [configuration] },
      }),
    );

    // When it is read
    const answer = await local.client.send(
      new GetBucketNotificationConfigurationCommand({ Bucket: bucket }),
    );

    // Then it is the configuration put (S3 spells the rule's name Prefix), and the bucket's spec
    // notifies the function
    expect(answer.LambdaFunctionConfigurations).toEqual([
      {
        ...configuration,
        Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'uploads/' }] } },
      },
    ]);
    expect(registry.get('buckets', bucket)?.notifications).toEqual([
      {
        id: 'make-thumbnails',
        functionArn: ALLOWED_FUNCTION,
        events: ['s3:ObjectCreated:*'],
        filterPrefix: 'uploads/',
      },
    ]);
  });

  it('refuses a function whose policy does not let S3 invoke it, naming it', async () => {
    // Given a bucket and a function without the permission
    const bucket = await newBucket('not-permitted');
    const functionArn = 'arn:aws:lambda:us-east-1:000000000000:function:no-permission';

    // When a notification names the function
    let refusal: unknown;
    try {
      await local.client.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: bucket,
          NotificationConfiguration: {
            LambdaFunctionConfigurations: [
              { LambdaFunctionArn: functionArn, Events: ['s3:ObjectCreated:*'] },
            ],
          },
        }),
      );
    } catch (error) {
      refusal = error;
    }

    // Then S3 refuses the configuration with its message
    expect(refusal).toBeInstanceOf(S3ServiceException);
    expect(refusal).toMatchObject({
      name: 'InvalidArgument',
      message: 'Unable to validate the following destination configurations',
      ArgumentName1: functionArn,
      ArgumentValue1: `Not authorized to invoke function [${functionArn}]`,
    });
  });

  it('answers an empty configuration for a bucket without notifications', async () => {
    // Given a new bucket
    const bucket = await newBucket('quiet');

    // When its notifications are read
    const answer = await local.client.send(
      new GetBucketNotificationConfigurationCommand({ Bucket: bucket }),
    );

    // Then there are none
    expect(answer.LambdaFunctionConfigurations).toBeUndefined();
  });
});

describe('objects', () => {
  it('keeps the x-amz-tagging of a PutObject, as GetObjectTagging and HeadObject say', async () => {
    // Given an object written with tags (as Terraform's default_tags send them)
    const bucket = await newBucket('tagged-objects');
    await local.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'index.html',
        Body: '<p/>',
        Tagging: 'app=web&stage=local',
      }),
    );

    // When its tags are read
    const tagging = await local.client.send(
      new GetObjectTaggingCommand({ Bucket: bucket, Key: 'index.html' }),
    );
    const head = await local.client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'index.html' }),
    );

    // Then they are those tags
    expect(tagging.TagSet).toEqual([
      { Key: 'app', Value: 'web' },
      { Key: 'stage', Value: 'local' },
    ]);
    expect(head.$metadata.httpStatusCode).toBe(200);
  });

  it('replaces an object tags without changing its ETag', async () => {
    // Given an object
    const bucket = await newBucket('retagged-objects');
    const put = await local.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'body' }),
    );

    // When its tags are replaced
    await local.client.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: 'k',
        Tagging: { TagSet: [{ Key: 'kind', Value: 'thumbnail' }] },
      }),
    );

    // Then the tags are read back and the object is the same
    const tagging = await local.client.send(
      new GetObjectTaggingCommand({ Bucket: bucket, Key: 'k' }),
    );
    const head = await local.client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(tagging.TagSet).toEqual([{ Key: 'kind', Value: 'thumbnail' }]);
    expect(head.ETag).toBe(put.ETag);
  });

  it('lists each object as its one version, null, the latest', async () => {
    // Given a bucket with two objects
    const bucket = await newBucket('listed-versions');
    await local.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: '1' }));
    await local.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'b', Body: '2' }));

    // When its versions are listed
    const answer = await local.client.send(new ListObjectVersionsCommand({ Bucket: bucket }));

    // Then each object is listed once
    expect(
      answer.Versions?.map(({ Key, VersionId, IsLatest }) => ({ Key, VersionId, IsLatest })),
    ).toEqual([
      { Key: 'a', VersionId: 'null', IsLatest: true },
      { Key: 'b', VersionId: 'null', IsLatest: true },
    ]);
  });
});

describe('deleting a bucket', () => {
  it('refuses a bucket that holds objects with BucketNotEmpty', async () => {
    // Given a bucket with an object
    const bucket = await newBucket('full');
    await local.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));

    // When it is deleted
    const error = await s3ErrorOf(local.client.send(new DeleteBucketCommand({ Bucket: bucket })));

    // Then S3 refuses
    expect(error).toEqual({ code: 'BucketNotEmpty', status: 409 });
  });

  it('forgets a deleted bucket in the model of resources', async () => {
    // Given an empty bucket
    const bucket = await newBucket('forgotten');

    // When it is deleted
    await local.client.send(new DeleteBucketCommand({ Bucket: bucket }));

    // Then its spec is gone
    expect(registry.get('buckets', bucket)).toBeUndefined();
  });
});
