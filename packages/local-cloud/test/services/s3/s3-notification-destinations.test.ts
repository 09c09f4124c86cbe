import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { useFixtureCloud } from '../../support/in-process-cloud';

/**
 * S3 validates a notification configuration's functions against their resource policies when it
 * is put, as AWS does: on a booted stack, the image processor lets S3 invoke it for the uploads
 * bucket only (its aws_lambda_permission), so any other bucket naming it is refused.
 */

jest.setTimeout(120_000);

const fixture = useFixtureCloud({ prefix: 's3-destinations-' });
let s3: S3Client;

beforeAll(() => {
  s3 = fixture.client(S3Client, undefined, { forcePathStyle: true });
});

const processor = (): string => {
  const fn = fixture.cloud.topology.functions.find(({ name }) => name.endsWith('image-processor'));
  if (!fn) throw new Error('the fixture stack has no image processor');
  return fn.arn;
};

const uploads = (): string => {
  const bucket = fixture.cloud.topology.buckets.find(
    ({ notifications }) => notifications.length > 0,
  );
  if (!bucket) throw new Error('the fixture stack has no bucket with notifications');
  return bucket.name;
};

const notifying = (Bucket: string, functionArn: string) =>
  new PutBucketNotificationConfigurationCommand({
    Bucket,
    NotificationConfiguration: {
      LambdaFunctionConfigurations: [
        { Id: 'thumbnails', LambdaFunctionArn: functionArn, Events: ['s3:ObjectCreated:*'] },
      ],
    },
  });

describe('notification destinations', () => {
  it('answers the stack bucket notification configuration as the stack declares it', async () => {
    // Given the booted stack's uploads bucket
    // When its notification configuration is read
    const answer = await s3.send(
      new GetBucketNotificationConfigurationCommand({ Bucket: uploads() }),
    );

    // Then it names the image processor
    expect(answer.LambdaFunctionConfigurations?.map((c) => c.LambdaFunctionArn)).toEqual([
      processor(),
    ]);
  });

  it('accepts the function for the bucket its permission names', async () => {
    // Given the uploads bucket, which the processor's permission names
    // When a notification to the processor is put on it
    const put = await s3.send(notifying(uploads(), processor()));

    // Then S3 accepts it
    expect(put.$metadata.httpStatusCode).toBe(200);
  });

  it('refuses the function for a bucket its permission does not name', async () => {
    // Given another bucket
    await s3.send(new CreateBucketCommand({ Bucket: 'not-the-uploads-bucket' }));

    // When a notification to the processor is put on it
    const put = s3.send(notifying('not-the-uploads-bucket', processor()));

    // Then S3 cannot validate the destination
    await expect(put).rejects.toMatchObject({
      name: 'InvalidArgument',
      message: 'Unable to validate the following destination configurations',
      ArgumentName1: processor(),
      ArgumentValue1: `Not authorized to invoke function [${processor()}]`,
    });
  });

  it('refuses a function that does not exist', async () => {
    // Given a bucket and no function named so
    await s3.send(new CreateBucketCommand({ Bucket: 'notifies-nobody' }));
    const missing = 'arn:aws:lambda:us-east-1:000000000000:function:nobody';

    // When a notification to it is put
    const put = s3.send(notifying('notifies-nobody', missing));

    // Then S3 cannot validate the destination
    await expect(put).rejects.toMatchObject({
      name: 'InvalidArgument',
      ArgumentName1: missing,
    });
  });
});
