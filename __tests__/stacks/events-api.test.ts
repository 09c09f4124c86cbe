import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { EventsApi } from '../../stacks/constructs/events-api';
import { SubscribedQueue } from '../../stacks/constructs/subscribed-queue';
import {
  functionNamed,
  functionStatements,
  grant,
  grantsOf,
  ref,
  resourcesOf,
  synthScope,
  theResource,
} from '../support/synth';
import type { Element, LambdaFunctionBlock } from '../support/synth';
import {
  createFixtureBundles,
  fixtureAuditTable,
  fixtureTopic,
  removeDirectory,
  testDefaults,
  testNaming,
} from '../support/stack-fixtures';

const ORIGIN = 'http://site.example';

describe('EventsApi', () => {
  let bundles: string;
  let synthesized: string;
  let routes: string[];

  beforeAll(() => {
    bundles = createFixtureBundles();
    // Given the topic, the audit and inbox queues and the audit table.
    synthesized = synthScope((scope) => {
      const naming = testNaming;
      const topic = fixtureTopic(scope);
      const queue = (purpose: string, rawMessageDelivery: boolean) =>
        new SubscribedQueue(scope, purpose, {
          naming,
          purpose,
          topic,
          rawMessageDelivery,
          visibilityTimeoutSeconds: 180,
          maxReceiveCount: 5,
        });
      const api = new EventsApi(scope, 'messaging', {
        defaults: testDefaults(bundles),
        topic,
        auditQueue: queue('audit', true),
        inboxQueue: queue('inbox', false),
        auditTable: fixtureAuditTable(scope),
        allowedOrigin: ORIGIN,
      });
      routes = Object.keys(api.routes);
    });
  });
  afterAll(() => removeDirectory(bundles));

  const fn = (name: string): Element<LambdaFunctionBlock> =>
    functionNamed(synthesized, testNaming.name(name));
  const queue = (purpose: string) =>
    theResource(synthesized, 'aws_sqs_queue', (q) => q.name === testNaming.name(purpose));
  const table = () => theResource(synthesized, 'aws_dynamodb_table');
  const topic = () => theResource(synthesized, 'aws_sns_topic');
  const ownLogs = (name: string) => {
    const group = theResource(
      synthesized,
      'aws_cloudwatch_log_group',
      (g) => g.name === `/aws/lambda/${testNaming.name(name)}`,
    );
    return grant(['logs:CreateLogStream', 'logs:PutLogEvents'], [`${ref(group, 'arn')}:*`]);
  };

  it('serves five API routes and consumes the audit queue with a sixth function', () => {
    expect(routes.sort()).toEqual(
      [
        'deleteMessage',
        'listAudit',
        'publishNotification',
        'receiveMessages',
        'sendMessage',
      ].sort(),
    );
    expect(resourcesOf(synthesized, 'aws_lambda_function')).toHaveLength(6);
  });

  it('gives the API functions 256 MB and 10 seconds, and the consumer 30 seconds', () => {
    for (const name of routes) {
      expect(fn(name).block).toEqual(expect.objectContaining({ memory_size: 256, timeout: 10 }));
    }
    expect(fn('auditConsumer').block).toEqual(
      expect.objectContaining({ memory_size: 256, timeout: 30 }),
    );
  });

  it('feeds the audit queue to the audit consumer in batches, reporting failed records', () => {
    expect(synthesized).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      event_source_arn: ref(queue('audit'), 'arn'),
      function_name: ref(fn('auditConsumer'), 'arn'),
      batch_size: 10,
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: { maximum_concurrency: 2 },
    });
  });

  it('binds each function to its own queue, table or topic', () => {
    expect(fn('auditConsumer').block.environment.variables).toEqual(
      expect.objectContaining({ AUDIT_TABLE: ref(table(), 'name') }),
    );
    expect(fn('listAudit').block.environment.variables).toEqual(
      expect.objectContaining({ AUDIT_TABLE: ref(table(), 'name'), ALLOWED_ORIGIN: ORIGIN }),
    );
    expect(fn('publishNotification').block.environment.variables).toEqual(
      expect.objectContaining({ EVENTS_TOPIC_ARN: ref(topic(), 'arn'), ALLOWED_ORIGIN: ORIGIN }),
    );
    for (const name of ['sendMessage', 'receiveMessages', 'deleteMessage']) {
      expect(fn(name).block.environment.variables).toEqual(
        expect.objectContaining({
          INBOX_QUEUE_URL: ref(queue('inbox'), 'url'),
          ALLOWED_ORIGIN: ORIGIN,
        }),
      );
    }
  });

  it.each([
    [
      'auditConsumer',
      () => ({
        ...grant(['dynamodb:PutItem'], [ref(table(), 'arn')]),
        ...grant(
          ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
          [ref(queue('audit'), 'arn')],
        ),
      }),
    ],
    ['publishNotification', () => grant(['sns:Publish'], [ref(topic(), 'arn')])],
    ['sendMessage', () => grant(['sqs:SendMessage'], [ref(queue('inbox'), 'arn')])],
    ['receiveMessages', () => grant(['sqs:ReceiveMessage'], [ref(queue('inbox'), 'arn')])],
    ['deleteMessage', () => grant(['sqs:DeleteMessage'], [ref(queue('inbox'), 'arn')])],
    [
      'listAudit',
      () => grant(['dynamodb:Query'], [`${ref(table(), 'arn')}/index/auditByReceivedAt`]),
    ],
  ])('lets %s write its logs and do exactly what it needs, nothing more', (name, expected) => {
    expect(grantsOf(functionStatements(synthesized, testNaming.name(name)))).toEqual({
      ...ownLogs(name),
      ...expected(),
    });
  });
});
