import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { Construct } from 'constructs';
import type { Naming } from '../naming';
import type { HttpApiCors } from '../lib/http-api-routes';
import type { ApiOperation } from './rest-api';
import type { NodeFunction } from './node-function';

export interface HttpApiProps {
  naming: Naming;
  /** What the API is for, in its name (`items-http-api`). */
  purpose: string;
  /** The routes, derived from the OpenAPI document, each served by the function of its id. */
  routes: ApiOperation[];
  handlers: Record<string, NodeFunction>;
  /** The one browser origin allowed to call the API. */
  allowedOrigin: string;
  cors: HttpApiCors;
  throttling: { burstLimit: number; rateLimit: number };
  logRetentionDays: number;
}

/** The $default stage: served at the root of the API's URL. */
const DEFAULT_STAGE = '$default';

/** API Gateway's integration timeout for HTTP APIs is at most 30 s; the REST API's is 29 s. */
const INTEGRATION_TIMEOUT_MS = 29_000;

// HTTP APIs log `$context` variables of their own (routeKey, no resourcePath).
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  errorMessage: '$context.error.message',
  integrationError: '$context.integrationErrorMessage',
});

/**
 * An HTTP API (API Gateway v2) in front of some of the REST API's functions: its built-in CORS,
 * Lambda proxy integrations with payload format 2.0, a $default stage that deploys every change
 * itself, access logs and throttling, and a permission per route to invoke its function.
 */
export class HttpApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const name = props.naming.name(props.purpose);
    this.api = new Apigatewayv2Api(this, 'api', {
      name,
      protocolType: 'HTTP',
      description: `${props.routes.map((route) => `${route.method} ${route.path}`).join(', ')}, payload format 2.0`,
      corsConfiguration: {
        allowOrigins: [props.allowedOrigin],
        allowMethods: props.cors.allowMethods,
        allowHeaders: props.cors.allowHeaders,
        exposeHeaders: props.cors.exposeHeaders,
        maxAge: props.cors.maxAge,
      },
    });
    const accessLogs = new CloudwatchLogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${name}/access`,
      retentionInDays: props.logRetentionDays,
    });
    this.stage = new Apigatewayv2Stage(this, 'stage', {
      apiId: this.api.id,
      name: DEFAULT_STAGE,
      autoDeploy: true,
      accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
      defaultRouteSettings: {
        throttlingBurstLimit: props.throttling.burstLimit,
        throttlingRateLimit: props.throttling.rateLimit,
        detailedMetricsEnabled: true,
      },
    });
    for (const route of props.routes) this.addRoute(route, props.handlers);
  }

  get url(): string {
    return this.stage.invokeUrl;
  }

  private addRoute(route: ApiOperation, handlers: Record<string, NodeFunction>): void {
    const { operationId, method, path } = route;
    const handler = handlers[operationId];
    if (!handler) throw new Error(`No function for operation ${operationId}`);
    const integration = new Apigatewayv2Integration(this, `integration-${operationId}`, {
      apiId: this.api.id,
      integrationType: 'AWS_PROXY',
      integrationMethod: 'POST',
      integrationUri: handler.invokeArn,
      payloadFormatVersion: '2.0',
      timeoutMilliseconds: INTEGRATION_TIMEOUT_MS,
    });
    new Apigatewayv2Route(this, `route-${operationId}`, {
      apiId: this.api.id,
      routeKey: `${method} ${path}`,
      operationName: operationId,
      target: `integrations/${integration.id}`,
    });
    // The REST API holds the statement id AllowApiGatewayInvoke on the same functions.
    new LambdaPermission(this, `invoke-${operationId}`, {
      statementId: 'AllowHttpApiInvoke',
      action: 'lambda:InvokeFunction',
      functionName: handler.functionName,
      principal: 'apigateway.amazonaws.com',
      sourceArn: `${this.api.executionArn}/${DEFAULT_STAGE}/${method}${path.replace(/\{[^}]+\}/g, '*')}`,
    });
  }
}
