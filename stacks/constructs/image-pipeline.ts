import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Construct } from 'constructs';
import { THUMBNAILS_PREFIX, UPLOADS_PREFIX } from '../../handlers/lib/storage-layout';
import { accountIdOf } from '../lib/arn';
import { allow } from '../lib/policy';
import type { DataTable } from './data-table';
import type { EventsTopic } from './events-topic';
import { NodeFunction } from './node-function';
import type { FunctionDefaults } from './node-function';
import type { PrivateBucket } from './private-bucket';

export interface ImagePipelineProps {
  defaults: FunctionDefaults;
  uploads: PrivateBucket;
  processed: PrivateBucket;
  itemsTable: DataTable;
  topic: EventsTopic;
}

/**
 * Uploads become thumbnails: S3 invokes the processor asynchronously for every object created
 * under the uploads prefix; Lambda retries a failed invocation twice, then parks the event in a
 * failure queue with the error, so no upload is forgotten.
 */
export class ImagePipeline extends Construct {
  readonly processor: NodeFunction<'imageProcessor'>;
  readonly failures: SqsQueue;
  readonly notification: S3BucketNotification;

  constructor(scope: Construct, id: string, props: ImagePipelineProps) {
    super(scope, id);
    const { uploads, processed, itemsTable, topic } = props;

    this.failures = new SqsQueue(this, 'failures', {
      name: props.defaults.naming.name('image-processing-failures'),
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 14 * 24 * 3600,
    });

    this.processor = new NodeFunction(this, 'processor', {
      defaults: props.defaults,
      name: 'imageProcessor',
      description: 'Makes the thumbnail of an uploaded item image and records the result',
      // Decoding a 12 MP JPEG needs ~50 MB of pixels; 1769 MB buys one full vCPU.
      // No reserved concurrency: new accounts may have only 10 and must keep all unreserved.
      memorySize: 1769,
      timeoutSeconds: 60,
      environment: {
        ITEMS_TABLE: itemsTable.name,
        UPLOADS_BUCKET: uploads.name,
        PROCESSED_BUCKET: processed.name,
        EVENTS_TOPIC_ARN: topic.arn,
      },
      permissions: [
        allow(['dynamodb:GetItem', 'dynamodb:UpdateItem'], [itemsTable.arn]),
        allow(['s3:GetObject'], [uploads.objectsArn(UPLOADS_PREFIX)]),
        allow(['s3:PutObject'], [processed.objectsArn(THUMBNAILS_PREFIX)]),
        allow(['sns:Publish'], [topic.arn]),
        allow(['sqs:SendMessage'], [this.failures.arn], { sid: 'OnFailureDestination' }),
      ],
    });

    new LambdaFunctionEventInvokeConfig(this, 'async-invocations', {
      functionName: this.processor.functionName,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 6 * 3600,
      destinationConfig: { onFailure: { destination: this.failures.arn } },
    });

    const permission = new LambdaPermission(this, 'allow-s3', {
      statementId: 'AllowUploadsBucket',
      action: 'lambda:InvokeFunction',
      functionName: this.processor.functionName,
      principal: 's3.amazonaws.com',
      sourceArn: uploads.arn,
      // Bucket ARNs carry no account: pin the bucket owner too, against a re-created name elsewhere.
      sourceAccount: accountIdOf(this.processor.arn),
    });

    this.notification = new S3BucketNotification(this, 'notification', {
      bucket: uploads.bucket.id,
      lambdaFunction: [
        {
          id: 'make-thumbnails',
          lambdaFunctionArn: this.processor.arn,
          events: ['s3:ObjectCreated:*'],
          filterPrefix: UPLOADS_PREFIX,
        },
      ],
      // S3 checks it may invoke the function when the notification is saved.
      dependsOn: [permission],
    });
  }
}
