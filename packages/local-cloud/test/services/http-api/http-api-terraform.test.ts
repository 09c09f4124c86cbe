/**
 * Terraform's AWS provider (5.100.0) applying an HTTP API (aws_apigatewayv2_api, integration, route
 * and stage, as the stack declares them) to the fixture stack's cloud, whose function the
 * integration invokes: applied, planned again without changes, answering on the HTTP API port,
 * and destroyed.
 */
import { GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { LocalTerraform } from '@serverless-week/test-support';
import type { LocalCloud } from '../../../src/local-cloud';
import { startHttpApiCloud } from '../../support/http-api-cloud';
import type { HttpApiCloud } from '../../support/http-api-cloud';
import { rawRequest } from '../../support/raw-request';

jest.setTimeout(600_000);

let served: HttpApiCloud;
let cloud: LocalCloud;
let client: ApiGatewayV2Client;
let terraform: LocalTerraform;

function configuration(functionArn: string): Record<string, unknown> {
  const invokeArn = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
  return {
    resource: {
      aws_apigatewayv2_api: {
        orders: {
          name: 'orders-http',
          protocol_type: 'HTTP',
          description: 'GET /orders/{id}',
          cors_configuration: {
            allow_origins: ['http://site.test'],
            allow_methods: ['GET'],
            allow_headers: ['content-type'],
            max_age: 600,
          },
          tags: { team: 'shop' },
        },
      },
      aws_apigatewayv2_integration: {
        orders: {
          api_id: '${aws_apigatewayv2_api.orders.id}',
          integration_type: 'AWS_PROXY',
          integration_method: 'POST',
          integration_uri: invokeArn,
          payload_format_version: '2.0',
          timeout_milliseconds: 29000,
        },
      },
      aws_apigatewayv2_route: {
        orders: {
          api_id: '${aws_apigatewayv2_api.orders.id}',
          route_key: 'GET /orders/{id}',
          operation_name: 'getOrder',
          target: 'integrations/${aws_apigatewayv2_integration.orders.id}',
        },
      },
      aws_apigatewayv2_stage: {
        default: {
          api_id: '${aws_apigatewayv2_api.orders.id}',
          name: '$default',
          auto_deploy: true,
          access_log_settings: {
            destination_arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/apigateway/orders',
            format: '{"requestId":"$context.requestId"}',
          },
          default_route_settings: {
            detailed_metrics_enabled: true,
            throttling_burst_limit: 50,
            throttling_rate_limit: 25,
          },
        },
      },
    },
    output: { invoke_url: { value: '${aws_apigatewayv2_stage.default.invoke_url}' } },
  };
}

beforeAll(async () => {
  served = await startHttpApiCloud();
  ({ cloud, client } = served);
  terraform = await LocalTerraform.create(
    { aws: cloud.endpoints.aws, credentials: cloud.adminCredentials },
    configuration(cloud.topology.functions[0]?.arn ?? ''),
  );
});

afterAll(async () => {
  if (process.env.KEEP_TF !== '1') terraform?.remove();
  await served?.stop();
});

it('applies an HTTP API with its integration, route and stage, plans no change, answers, and destroys it', async () => {
  // When the configuration is applied
  const apply = await terraform.apply();
  expect(apply.output).toContain('Apply complete! Resources: 4 added');

  // Then a plan right after finds nothing to change
  const plan = await terraform.plan();
  expect({ exitCode: plan.exitCode, output: plan.output }).toMatchObject({ exitCode: 0 });

  // And the route answers on the HTTP API port, through the function
  const answer = await rawRequest(`${cloud.endpoints.httpApi}/orders/7`, {});
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body.toString())).toMatchObject({
    received: { routeKey: 'GET /orders/{id}', pathParameters: { id: '7' } },
  });

  // When it is destroyed, then no HTTP API is left
  const destroy = await terraform.destroy();
  expect(destroy.output).toContain('Destroy complete! Resources: 4 destroyed');
  const { Items } = await client.send(new GetApisCommand({}));
  expect(Items).toEqual([]);
});
