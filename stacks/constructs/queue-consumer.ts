import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { Construct } from 'constructs';
import type { NodeFunction } from './node-function';
import type { SubscribedQueue } from './subscribed-queue';

export interface QueueConsumerProps {
  queue: SubscribedQueue;
  consumer: NodeFunction;
  batchSize: number;
  /** Upper bound on concurrent consumers, so a backlog cannot exhaust the table's capacity. */
  maxConcurrency: number;
}

/**
 * Lambda polls the queue and hands the function batches; the function reports failed records
 * (ReportBatchItemFailures) so only those are retried and, past maxReceiveCount, dead-lettered.
 * The consumer's role must allow sqs:ReceiveMessage, DeleteMessage and GetQueueAttributes.
 */
export class QueueConsumer extends Construct {
  readonly mapping: LambdaEventSourceMapping;

  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    this.mapping = new LambdaEventSourceMapping(this, 'mapping', {
      eventSourceArn: props.queue.arn,
      functionName: props.consumer.arn,
      batchSize: props.batchSize,
      maximumBatchingWindowInSeconds: 1,
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: props.maxConcurrency },
      dependsOn: [props.consumer.function],
    });
  }
}
