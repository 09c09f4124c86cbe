import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { ImagePipeline } from '../../stacks/constructs/image-pipeline';
import {
  functionNamed,
  functionStatements,
  grant,
  grantsOf,
  ref,
  synthScope,
  theResource,
} from '../support/synth';
import {
  createFixtureBundles,
  fixtureBucket,
  fixtureItemsTable,
  fixtureTopic,
  removeDirectory,
  testDefaults,
  testNaming,
} from '../support/stack-fixtures';

const PROCESSOR = 'serverless-week-test-image-processor';

describe('ImagePipeline', () => {
  let bundles: string;
  let synthesized: string;

  beforeAll(() => {
    bundles = createFixtureBundles();
    // Given the uploads and processed buckets, the items table and the topic.
    synthesized = synthScope((scope) => {
      new ImagePipeline(scope, 'images', {
        defaults: testDefaults(bundles),
        uploads: fixtureBucket(scope, 'uploads'),
        processed: fixtureBucket(scope, 'processed'),
        itemsTable: fixtureItemsTable(scope),
        topic: fixtureTopic(scope),
      });
    });
  });
  afterAll(() => removeDirectory(bundles));

  const bucket = (purpose: string) =>
    theResource(
      synthesized,
      'aws_s3_bucket',
      (b) => b.bucket_prefix === testNaming.bucketPrefix(purpose),
    );
  const processor = () => functionNamed(synthesized, PROCESSOR);
  const failures = () => theResource(synthesized, 'aws_sqs_queue');
  const permission = () => theResource(synthesized, 'aws_lambda_permission');

  it('notifies the processor of every object created under the uploads prefix, and nothing else', () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketNotification, {
      bucket: ref(bucket('uploads'), 'id'),
      lambda_function: [
        {
          id: 'make-thumbnails',
          lambda_function_arn: ref(processor(), 'arn'),
          events: ['s3:ObjectCreated:*'],
          filter_prefix: 'uploads/',
        },
      ],
    });
  });

  it('lets only the uploads bucket, in the function owner account, invoke the processor', () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaPermission, {
      action: 'lambda:InvokeFunction',
      function_name: ref(processor(), 'function_name'),
      principal: 's3.amazonaws.com',
      source_arn: ref(bucket('uploads'), 'arn'),
      source_account: `\${element(split(":", ${processor().address}.arn), 4)}`,
    });
  });

  it('saves the notification only once S3 may invoke the function', () => {
    expect(theResource(synthesized, 'aws_s3_bucket_notification').block.depends_on).toEqual([
      permission().address,
    ]);
  });

  it('retries a failed invocation twice, then parks the event in the failures queue', () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
      function_name: ref(processor(), 'function_name'),
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 6 * 3600,
      destination_config: { on_failure: { destination: ref(failures(), 'arn') } },
    });
  });

  it('keeps failed events encrypted for 14 days', () => {
    expect(synthesized).toHaveResourceWithProperties(SqsQueue, {
      name: 'serverless-week-test-image-processing-failures',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 14 * 24 * 3600,
    });
  });

  it('gives the processor memory for large images and a minute, reserving no concurrency', () => {
    expect(processor().block).toEqual(expect.objectContaining({ memory_size: 1769, timeout: 60 }));
    expect(processor().block.reserved_concurrent_executions).toBeUndefined();
  });

  it('tells the processor its table, both buckets and the topic', () => {
    expect(processor().block.environment.variables).toEqual(
      expect.objectContaining({
        ITEMS_TABLE: ref(theResource(synthesized, 'aws_dynamodb_table'), 'name'),
        UPLOADS_BUCKET: ref(bucket('uploads'), 'bucket'),
        PROCESSED_BUCKET: ref(bucket('processed'), 'bucket'),
        EVENTS_TOPIC_ARN: ref(theResource(synthesized, 'aws_sns_topic'), 'arn'),
      }),
    );
  });

  it('lets the processor read originals, write thumbnails, record, announce and park failures', () => {
    // Given the processor role, then each action reaches exactly the resource it needs.
    const logGroup = theResource(synthesized, 'aws_cloudwatch_log_group');
    expect(grantsOf(functionStatements(synthesized, PROCESSOR))).toEqual({
      ...grant(['logs:CreateLogStream', 'logs:PutLogEvents'], [`${ref(logGroup, 'arn')}:*`]),
      ...grant(
        ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        [ref(theResource(synthesized, 'aws_dynamodb_table'), 'arn')],
      ),
      ...grant(['s3:GetObject'], [`${ref(bucket('uploads'), 'arn')}/uploads/*`]),
      ...grant(['s3:PutObject'], [`${ref(bucket('processed'), 'arn')}/thumbnails/*`]),
      ...grant(['sns:Publish'], [ref(theResource(synthesized, 'aws_sns_topic'), 'arn')]),
      ...grant(['sqs:SendMessage'], [ref(failures(), 'arn')]),
    });
  });
});
