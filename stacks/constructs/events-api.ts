import { TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { auditTableLayout } from '../../handlers/lib/storage-layout';
import { accountIdOf, regionOf } from '../lib/arn';
import { allow } from '../lib/policy';
import { IntegrationRole } from './integration-role';
import type { DataTable } from './data-table';
import type { EventsTopic } from './events-topic';
import { NodeFunction } from './node-function';
import type { FunctionDefaults } from './node-function';
import { QueueConsumer } from './queue-consumer';
import type { SubscribedQueue } from './subscribed-queue';

export interface EventsApiProps {
  defaults: FunctionDefaults;
  topic: EventsTopic;
  /** Raw-delivery queue of every event, consumed into the audit table. */
  auditQueue: SubscribedQueue;
  /** Filtered queue read through the API. */
  inboxQueue: SubscribedQueue;
  auditTable: DataTable;
  allowedOrigin: string;
}

/**
 * Messaging: publish to the topic, send to the inbox queue (API Gateway straight to SQS), receive
 * from it and acknowledge (delete) what was received, and the audit trail (a queue consumer storing every event, and the API that
 * lists them).
 */
export class EventsApi extends Construct {
  readonly auditConsumer: NodeFunction<'auditConsumer'>;
  readonly routes: Record<
    'publishNotification' | 'receiveMessages' | 'deleteMessage' | 'listAudit',
    NodeFunction
  >;
  /**
   * POST /messages is API Gateway's own SQS integration, no function: the role it assumes, and
   * the values its OpenAPI placeholders take.
   */
  readonly sendToInbox: IntegrationRole;
  readonly integrationValues: Record<string, string>;

  constructor(scope: Construct, id: string, props: EventsApiProps) {
    super(scope, id);
    const { defaults, topic, auditQueue, inboxQueue, auditTable, allowedOrigin } = props;
    const api = { memorySize: 256, timeoutSeconds: 10 };

    this.auditConsumer = new NodeFunction(this, 'audit-consumer', {
      defaults,
      name: 'auditConsumer',
      description: 'Stores every event from the audit queue once',
      memorySize: 256,
      timeoutSeconds: 30,
      environment: { AUDIT_TABLE: auditTable.name },
      permissions: [
        allow(['dynamodb:PutItem'], [auditTable.arn]),
        allow(
          ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
          [auditQueue.arn],
          { sid: 'PollAuditQueue' },
        ),
      ],
    });
    new QueueConsumer(this, 'audit-trail', {
      queue: auditQueue,
      consumer: this.auditConsumer,
      batchSize: 10,
      maxConcurrency: 2,
    });

    this.sendToInbox = new IntegrationRole(this, 'send-to-inbox', {
      naming: defaults.naming,
      purpose: 'send-to-inbox',
      description: 'Lets API Gateway send POST /messages bodies to the inbox queue',
      permissions: [allow(['sqs:SendMessage'], [inboxQueue.arn])],
    });
    // Locals, so the API body (JSON) holds plain references: the quotes of a function call inline
    // (split(":", …)) would break the JSON it is written into.
    const region = new TerraformLocal(this, 'inbox-region', regionOf(inboxQueue.arn));
    const account = new TerraformLocal(this, 'inbox-account', accountIdOf(inboxQueue.arn));
    this.integrationValues = {
      region: region.asString,
      accountId: account.asString,
      inboxQueueName: inboxQueue.name,
      sendMessageRoleArn: this.sendToInbox.arn,
    };

    this.routes = {
      publishNotification: new NodeFunction(this, 'publish-notification', {
        ...api,
        defaults,
        name: 'publishNotification',
        description: 'POST /notifications: publishes on the events topic',
        environment: { EVENTS_TOPIC_ARN: topic.arn, ALLOWED_ORIGIN: allowedOrigin },
        permissions: [allow(['sns:Publish'], [topic.arn])],
      }),
      receiveMessages: new NodeFunction(this, 'receive-messages', {
        ...api,
        defaults,
        name: 'receiveMessages',
        description: 'GET /messages: receives inbox messages, each with its receipt',
        environment: { INBOX_QUEUE_URL: inboxQueue.url, ALLOWED_ORIGIN: allowedOrigin },
        permissions: [allow(['sqs:ReceiveMessage'], [inboxQueue.arn])],
      }),
      deleteMessage: new NodeFunction(this, 'delete-message', {
        ...api,
        defaults,
        name: 'deleteMessage',
        description: 'DELETE /messages/{receipt}: acknowledges (deletes) a received inbox message',
        environment: { INBOX_QUEUE_URL: inboxQueue.url, ALLOWED_ORIGIN: allowedOrigin },
        permissions: [allow(['sqs:DeleteMessage'], [inboxQueue.arn])],
      }),
      listAudit: new NodeFunction(this, 'list-audit', {
        ...api,
        defaults,
        name: 'listAudit',
        description: 'GET /audit: newest events first',
        environment: { AUDIT_TABLE: auditTable.name, ALLOWED_ORIGIN: allowedOrigin },
        permissions: [
          allow(['dynamodb:Query'], [auditTable.indexArn(auditTableLayout.index.name)]),
        ],
      }),
    };
  }
}
