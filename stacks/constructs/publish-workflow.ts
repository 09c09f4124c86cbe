import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Construct } from 'constructs';
import { executionArnPattern } from '../lib/arn';
import { STATE_MACHINE_LOG_DELIVERY_ACTIONS } from '@serverless-week/local-cloud';
import { fillPlaceholders } from '../lib/placeholders';
import { allow } from '../lib/policy';
import { inlinePolicy, serviceRole } from '../lib/roles';
import type { DataTable } from './data-table';
import type { EventsTopic } from './events-topic';
import { NodeFunction } from './node-function';
import type { FunctionDefaults } from './node-function';

export interface PublishWorkflowProps {
  defaults: FunctionDefaults;
  /** The ASL definition, with `${validateItemFunctionArn}`, `${itemsTableName}`, `${eventsTopicArn}`. */
  definition: string;
  itemsTable: DataTable;
  topic: EventsTopic;
  allowedOrigin: string;
}

/**
 * The publish-item workflow: a Step Functions state machine defined by its ASL file, the Lambda
 * function it calls, and the two API functions that start an execution and report on one.
 */
export class PublishWorkflow extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly validator: NodeFunction<'validateItem'>;
  readonly routes: { startWorkflow: NodeFunction; getWorkflow: NodeFunction };

  constructor(scope: Construct, id: string, props: PublishWorkflowProps) {
    super(scope, id);
    const { defaults, itemsTable, topic } = props;
    const name = defaults.naming.name('publish-item');

    this.validator = new NodeFunction(this, 'validate-item', {
      defaults,
      name: 'validateItem',
      description: 'Workflow step: may this item be published, and if not, why',
      memorySize: 256,
      timeoutSeconds: 10,
      environment: { ITEMS_TABLE: itemsTable.name },
      permissions: [allow(['dynamodb:GetItem'], [itemsTable.arn])],
    });

    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: defaults.naming.vendedLogGroup('states', 'publish-item'),
      retentionInDays: defaults.logRetentionDays,
    });
    const role = serviceRole(this, 'role', {
      name,
      description: `Runs the ${name} state machine`,
      service: 'states.amazonaws.com',
      trustId: 'trust',
    });
    const rolePolicy = inlinePolicy(this, 'permissions', {
      role,
      documentId: 'policy',
      statements: [
        // The ASL invokes the unqualified ARN; no version or alias needs a grant.
        allow(['lambda:InvokeFunction'], [this.validator.arn]),
        allow(['dynamodb:UpdateItem'], [itemsTable.arn]),
        allow(['sns:Publish'], [topic.arn]),
        allow(STATE_MACHINE_LOG_DELIVERY_ACTIONS, ['*'], {
          sid: 'DeliverExecutionLogs',
          wildcardReason:
            'CloudWatch Logs vended log delivery APIs support no resource-level permissions',
        }),
      ],
    });

    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name,
      type: 'STANDARD',
      roleArn: role.arn,
      definition: fillPlaceholders(
        props.definition,
        {
          validateItemFunctionArn: this.validator.arn,
          itemsTableName: itemsTable.name,
          eventsTopicArn: topic.arn,
        },
        'publish-item state machine',
      ),
      loggingConfiguration: {
        logDestination: `${logGroup.arn}:*`,
        level: 'ERROR',
        includeExecutionData: false,
      },
      dependsOn: [rolePolicy],
    });

    this.routes = {
      startWorkflow: new NodeFunction(this, 'start-workflow', {
        defaults,
        name: 'startWorkflow',
        description: 'POST /workflows: starts publishing an item',
        memorySize: 256,
        timeoutSeconds: 10,
        environment: {
          ITEMS_TABLE: itemsTable.name,
          STATE_MACHINE_ARN: this.stateMachine.arn,
          ALLOWED_ORIGIN: props.allowedOrigin,
        },
        permissions: [
          allow(['dynamodb:GetItem'], [itemsTable.arn]),
          allow(['states:StartExecution'], [this.stateMachine.arn]),
        ],
      }),
      getWorkflow: new NodeFunction(this, 'get-workflow', {
        defaults,
        name: 'getWorkflow',
        description: 'GET /workflows/{executionId}: status of a publication',
        memorySize: 256,
        timeoutSeconds: 10,
        environment: {
          STATE_MACHINE_ARN: this.stateMachine.arn,
          ALLOWED_ORIGIN: props.allowedOrigin,
        },
        permissions: [
          allow(['states:DescribeExecution'], [executionArnPattern(this.stateMachine.arn)]),
        ],
      }),
    };
  }

  get arn(): string {
    return this.stateMachine.arn;
  }
}
