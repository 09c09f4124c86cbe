import { Fn } from 'cdktf';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Construct } from 'constructs';
import type { Naming } from '../naming';
import { fillPlaceholders } from '../lib/placeholders';
import { serviceRole } from '../lib/roles';
import type { NodeFunction } from './node-function';

export interface ApiOperation {
  operationId: string;
  method: string;
  path: string;
}

export interface RestApiProps {
  naming: Naming;
  /** The parsed OpenAPI document: methods, models, validators, integrations, CORS. */
  document: Record<string, unknown>;
  /** The function behind each Lambda (aws_proxy) operation, by operationId: one each, none left over. */
  handlers: Record<string, NodeFunction>;
  /**
   * The document's other placeholders: what its AWS service integrations call and the roles they
   * assume (`${inboxQueueName}`, `${sendMessageRoleArn}`…).
   */
  integrationValues: Record<string, string>;
  /** The one browser origin allowed to call the API. */
  allowedOrigin: string;
  stageName: string;
  throttling: { burstLimit: number; rateLimit: number };
  logRetentionDays: number;
  /**
   * API Gateway writes logs through one CloudWatch role per account and region. Create it here
   * unless the account already has one.
   */
  manageAccountLoggingRole: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];

type OperationObject = {
  operationId?: string;
  'x-amazon-apigateway-integration'?: { type?: string };
};

/**
 * Every Lambda-backed (aws_proxy) operation of an OpenAPI document: CORS preflights are mock
 * integrations, and AWS service integrations call their service with no function.
 */
export function operationsOf(document: Record<string, unknown>): ApiOperation[] {
  const paths = document.paths as Record<string, Record<string, OperationObject>>;
  const isProxy = (operation: OperationObject | undefined): boolean =>
    operation !== undefined && operation['x-amazon-apigateway-integration']?.type !== 'aws';
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((method) => isProxy(item[method])).map((method) => {
      const operationId = item[method]?.operationId;
      if (!operationId)
        throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} has no operationId`);
      return { operationId, method: method.toUpperCase(), path };
    }),
  );
}

const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  errorMessage: '$context.error.message',
});

/**
 * A REST API imported whole from the OpenAPI document, deployed to one stage with access logs
 * and throttling, and allowed to invoke exactly the function of each operation.
 */
export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly operations: ApiOperation[];

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    this.operations = operationsOf(props.document);
    assertOneHandlerPerOperation(this.operations, props.handlers);

    const body = fillPlaceholders(
      JSON.stringify(props.document),
      {
        allowedOrigin: props.allowedOrigin,
        ...props.integrationValues,
        ...Object.fromEntries(
          this.operations.map(({ operationId }) => [
            `${operationId}InvokeArn`,
            (props.handlers[operationId] as NodeFunction).invokeArn,
          ]),
        ),
      },
      'OpenAPI document',
    );

    this.api = new ApiGatewayRestApi(this, 'api', {
      name: props.naming.name('api'),
      body,
      failOnWarnings: true,
      endpointConfiguration: { types: ['REGIONAL'] },
    });

    const deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId: this.api.id,
      // A new deployment whenever the document (or an ARN in it) changes.
      triggers: { redeployment: Fn.sha1(this.api.body) },
      lifecycle: { createBeforeDestroy: true },
    });

    const accessLogs = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.naming.name('api')}/access`,
      retentionInDays: props.logRetentionDays,
    });
    const accountSettings = props.manageAccountLoggingRole
      ? [this.accountLoggingRole(props.naming)]
      : [];

    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId: this.api.id,
      deploymentId: deployment.id,
      stageName: props.stageName,
      accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
      dependsOn: accountSettings,
    });
    new ApiGatewayMethodSettings(this, 'throttling', {
      restApiId: this.api.id,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: {
        throttlingBurstLimit: props.throttling.burstLimit,
        throttlingRateLimit: props.throttling.rateLimit,
        metricsEnabled: true,
        loggingLevel: 'ERROR',
        dataTraceEnabled: false,
      },
    });

    for (const { operationId, method, path } of this.operations) {
      new LambdaPermission(this, `invoke-${operationId}`, {
        statementId: 'AllowApiGatewayInvoke',
        action: 'lambda:InvokeFunction',
        functionName: (props.handlers[operationId] as NodeFunction).functionName,
        principal: 'apigateway.amazonaws.com',
        sourceArn: `${this.api.executionArn}/${props.stageName}/${method}${path.replace(/\{[^}]+\}/g, '*')}`,
      });
    }
  }

  get url(): string {
    return this.stage.invokeUrl;
  }

  private accountLoggingRole(naming: Naming): ApiGatewayAccount {
    const role = serviceRole(this, 'cloudwatch-role', {
      name: naming.name('apigateway-cloudwatch'),
      description: 'Lets API Gateway write access and execution logs (account-wide setting)',
      service: 'apigateway.amazonaws.com',
      trustId: 'cloudwatch-trust',
    });
    // AWS's managed policy for this account-wide role: it must serve every API in the account,
    // including log groups API Gateway creates itself, so it cannot be scoped to this stack.
    const attachment = new IamRolePolicyAttachment(this, 'cloudwatch-policy', {
      role: role.name,
      policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    });
    return new ApiGatewayAccount(this, 'account', {
      cloudwatchRoleArn: role.arn,
      dependsOn: [attachment],
    });
  }
}

function assertOneHandlerPerOperation(
  operations: ApiOperation[],
  handlers: Record<string, NodeFunction>,
): void {
  const ids = operations.map((operation) => operation.operationId);
  const unhandled = ids.filter((operationId) => !handlers[operationId]);
  const orphans = Object.keys(handlers).filter((operationId) => !ids.includes(operationId));
  if (unhandled.length > 0) throw new Error(`No function for operation(s) ${unhandled.join(', ')}`);
  if (orphans.length > 0)
    throw new Error(`Functions for unknown operation(s) ${orphans.join(', ')}`);
}
