import { TerraformOutput } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { EventsApi } from '../../stacks/constructs/events-api';
import { SubscribedQueue } from '../../stacks/constructs/subscribed-queue';
import {
  functionNamed,
  functionStatements,
  grant,
  grantsOf,
  policyStatementsOf,
  ref,
  resourcesOf,
  synthScope,
  theResource,
  trustStatementsOf,
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
      new TerraformOutput(scope, 'integration-values', { value: api.integrationValues });
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

  it('serves four API routes with functions and consumes the audit queue with a fifth', () => {
    expect(routes.sort()).toEqual(
      ['deleteMessage', 'listAudit', 'publishNotification', 'receiveMessages'].sort(),
    );
    expect(resourcesOf(synthesized, 'aws_lambda_function')).toHaveLength(5);
  });

  const integrationRole = () =>
    theResource(
      synthesized,
      'aws_iam_role',
      (role) => role.name === testNaming.name('send-to-inbox'),
    );

  it('sends POST /messages with no function: a role of its own that only API Gateway may assume', () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, {
      name: 'serverless-week-test-send-to-inbox',
    });
    expect(trustStatementsOf(synthesized, integrationRole().address)).toEqual([
      expect.objectContaining({
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['apigateway.amazonaws.com'] }],
      }),
    ]);
    expect(
      resourcesOf(synthesized, 'aws_cloudwatch_log_group').map((group) => group.name),
    ).not.toContain(`/aws/lambda/${testNaming.name('sendMessage')}`);
  });

  it('lets the integration role send to the inbox queue and do nothing else', () => {
    expect(synthesized).toHaveResourceWithProperties(IamRolePolicy, {
      role: ref(integrationRole(), 'id'),
    });
    expect(grantsOf(policyStatementsOf(synthesized, integrationRole().address))).toEqual(
      grant(['sqs:SendMessage'], [ref(queue('inbox'), 'arn')]),
    );
  });

  it("gives the API document the integration's queue, account, region and role as plain references", () => {
    const { output, locals } = JSON.parse(synthesized) as {
      output: Record<string, { value: Record<string, string> }>;
      locals: Record<string, string>;
    };
    const values = output['integration-values']?.value ?? {};
    const local = (reference = '') => locals[/^\$\{local\.(.+)\}$/.exec(reference)?.[1] ?? ''];
    const arnPart = (index: number) =>
      `\${element(split(":", ${ref(queue('inbox'), 'arn').slice(2, -1)}), ${index})}`;
    expect(local(values.region)).toBe(arnPart(3));
    expect(local(values.accountId)).toBe(arnPart(4));
    expect(values.inboxQueueName).toBe(ref(queue('inbox'), 'name'));
    expect(values.sendMessageRoleArn).toBe(ref(integrationRole(), 'arn'));
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
    for (const name of ['receiveMessages', 'deleteMessage']) {
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
