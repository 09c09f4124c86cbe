import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { EventsTopic } from '../../stacks/constructs/events-topic';
import { QueueConsumer } from '../../stacks/constructs/queue-consumer';
import { SubscribedQueue } from '../../stacks/constructs/subscribed-queue';
import { ref, synthScope, theResource } from '../support/synth';
import {
  createFixtureBundles,
  removeDirectory,
  testDefaults,
  testFunction,
  testNaming,
} from '../support/stack-fixtures';

describe('QueueConsumer', () => {
  let bundles: string;
  let synthesized: string;

  beforeAll(() => {
    bundles = createFixtureBundles();
    // Given the audit queue and a consumer function, when connected with batches of 10.
    synthesized = synthScope((scope) => {
      const topic = new EventsTopic(scope, 'events', { naming: testNaming });
      const queue = new SubscribedQueue(scope, 'audit', {
        naming: testNaming,
        purpose: 'audit',
        topic,
        rawMessageDelivery: true,
        visibilityTimeoutSeconds: 180,
        maxReceiveCount: 5,
      });
      const consumer = testFunction(scope, testDefaults(bundles), 'auditConsumer');
      new QueueConsumer(scope, 'trail', { queue, consumer, batchSize: 10, maxConcurrency: 2 });
    });
  });
  afterAll(() => removeDirectory(bundles));

  const mapping = () => theResource(synthesized, 'aws_lambda_event_source_mapping');
  const consumer = () => theResource(synthesized, 'aws_lambda_function');

  it('maps the queue to the consumer function', () => {
    const queue = theResource(
      synthesized,
      'aws_sqs_queue',
      (q) => q.name === 'serverless-week-test-audit',
    );
    expect(mapping().block.event_source_arn).toBe(ref(queue, 'arn'));
    expect(mapping().block.function_name).toBe(ref(consumer(), 'arn'));
  });

  it('lets the function report failed records, so only those are retried', () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      function_response_types: ['ReportBatchItemFailures'],
    });
  });

  it('hands over batches of the given size after at most one second of batching', () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      batch_size: 10,
      maximum_batching_window_in_seconds: 1,
    });
  });

  it('bounds how many consumers run at once', () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      scaling_config: { maximum_concurrency: 2 },
    });
  });

  it('is created after the function, whose role must already allow polling', () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      depends_on: [consumer().address],
    });
  });
});
