import { readFileSync } from 'node:fs';
import { TerraformOutput } from 'cdktf';
import { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { HttpApi } from '../../stacks/constructs/http-api';
import { corsOf, readOperationsOf } from '../../stacks/lib/http-api-routes';
import { projectFiles } from '../../stacks/project-files';
import {
  functionNamed,
  parseSynth,
  ref,
  resourcesOf,
  synthScope,
  theResource,
} from '../support/synth';
import {
  createFixtureBundles,
  removeDirectory,
  testDefaults,
  testFunction,
  testNaming,
} from '../support/stack-fixtures';

const ORIGIN = 'http://site.example';
/** The app's OpenAPI document: the one source of the HTTP API's routes. */
const document = JSON.parse(readFileSync(projectFiles.openApiDocument, 'utf8')) as Record<
  string,
  unknown
>;

describe('readOperationsOf', () => {
  it('given the OpenAPI document, picks the GET operations of the items tag', () => {
    expect(readOperationsOf(document, 'items')).toEqual([
      { operationId: 'listItems', method: 'GET', path: '/items' },
      { operationId: 'getItem', method: 'GET', path: '/items/{id}' },
    ]);
  });
});

describe('corsOf', () => {
  it('allows the methods of the routes, exposes the headers they answer with, and keeps the preflight max age of their paths', () => {
    expect(corsOf(document, readOperationsOf(document, 'items'))).toEqual({
      allowMethods: ['GET'],
      allowHeaders: ['content-type'],
      exposeHeaders: ['etag'],
      maxAge: 600,
    });
  });
});

describe('HttpApi', () => {
  let bundles: string;
  let synthesized: string;

  beforeAll(() => {
    bundles = createFixtureBundles();
    // Given the items API's read routes, each with its function
    synthesized = synthScope((scope) => {
      const defaults = testDefaults(bundles);
      const routes = readOperationsOf(document, 'items');
      const api = new HttpApi(scope, 'http-api', {
        naming: testNaming,
        purpose: 'items-http-api',
        routes,
        handlers: {
          listItems: testFunction(scope, defaults, 'listItems'),
          getItem: testFunction(scope, defaults, 'getItem'),
        },
        allowedOrigin: ORIGIN,
        cors: corsOf(document, routes),
        throttling: { burstLimit: 20, rateLimit: 10 },
        logRetentionDays: 7,
      });
      new TerraformOutput(scope, 'url', { value: api.url });
    });
  });
  afterAll(() => removeDirectory(bundles));

  const api = () => theResource(synthesized, 'aws_apigatewayv2_api');
  const fn = (operationId: string) => functionNamed(synthesized, testNaming.name(operationId));

  it('is an HTTP API, named by the naming helper, whose CORS allows the website origin only', () => {
    expect(synthesized).toHaveResourceWithProperties(Apigatewayv2Api, {
      name: 'serverless-week-test-items-http-api',
      protocol_type: 'HTTP',
      cors_configuration: {
        allow_origins: [ORIGIN],
        allow_methods: ['GET'],
        allow_headers: ['content-type'],
        expose_headers: ['etag'],
        max_age: 600,
      },
    });
  });

  it.each([
    ['listItems', 'GET /items'],
    ['getItem', 'GET /items/{id}'],
  ])('routes %s (%s) to a Lambda proxy integration of payload format 2.0', (operationId, key) => {
    const integration = theResource(
      synthesized,
      'aws_apigatewayv2_integration',
      (block) => block.integration_uri === ref(fn(operationId), 'invoke_arn'),
    );
    expect(synthesized).toHaveResourceWithProperties(Apigatewayv2Integration, {
      api_id: ref(api(), 'id'),
      integration_type: 'AWS_PROXY',
      integration_method: 'POST',
      payload_format_version: '2.0',
      integration_uri: ref(fn(operationId), 'invoke_arn'),
    });
    expect(synthesized).toHaveResourceWithProperties(Apigatewayv2Route, {
      api_id: ref(api(), 'id'),
      route_key: key,
      target: `integrations/${ref(integration, 'id')}`,
    });
  });

  it('routes nothing but the read operations', () => {
    expect(
      resourcesOf(synthesized, 'aws_apigatewayv2_route').map((r) => r.block.route_key),
    ).toEqual(expect.arrayContaining(['GET /items', 'GET /items/{id}']));
    expect(resourcesOf(synthesized, 'aws_apigatewayv2_route')).toHaveLength(2);
  });

  it('deploys to the $default stage automatically, throttled, with access logs kept for the retention', () => {
    const logs = theResource(synthesized, 'aws_cloudwatch_log_group', (group) =>
      String(group.name).startsWith('/aws/apigateway/'),
    );
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws/apigateway/serverless-week-test-items-http-api/access',
      retention_in_days: 7,
    });
    expect(synthesized).toHaveResourceWithProperties(Apigatewayv2Stage, {
      api_id: ref(api(), 'id'),
      name: '$default',
      auto_deploy: true,
      default_route_settings: {
        throttling_burst_limit: 20,
        throttling_rate_limit: 10,
        detailed_metrics_enabled: true,
      },
    });
    const { access_log_settings: accessLogs } = theResource(synthesized, 'aws_apigatewayv2_stage')
      .block as { access_log_settings: { destination_arn: string; format: string } };
    expect(accessLogs.destination_arn).toBe(ref(logs, 'arn'));
    expect(JSON.parse(accessLogs.format)).toEqual(
      expect.objectContaining({ routeKey: '$context.routeKey', status: '$context.status' }),
    );
  });

  it.each([
    ['listItems', 'GET/items'],
    ['getItem', 'GET/items/*'],
  ])('lets API Gateway invoke %s only from this API, for its route', (operationId, route) => {
    expect(synthesized).toHaveResourceWithProperties(LambdaPermission, {
      function_name: ref(fn(operationId), 'function_name'),
      action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com',
      source_arn: `${ref(api(), 'execution_arn')}/$default/${route}`,
    });
  });

  it('gives the stage URL as its URL', () => {
    expect(parseSynth(synthesized).output?.url).toEqual({
      value: ref(theResource(synthesized, 'aws_apigatewayv2_stage'), 'invoke_url'),
    });
  });
});
