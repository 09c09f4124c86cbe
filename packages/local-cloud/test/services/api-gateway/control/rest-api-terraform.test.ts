import { APIGatewayClient, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import type { LocalTerraform, TerraformRun } from '@serverless-week/test-support';
import { useEmptyCloud } from '../../../support/in-process-cloud';
import { putRole } from '../../../support/put-role';
import { greetingDocument, missingFunctionDocument } from '../../../support/api-gateway-documents';

/**
 * A REST API as our stack deploys it (an OpenAPI body, a deployment, a stage with access logs,
 * method settings and the account's CloudWatch role), applied to an --empty local cloud by
 * Terraform's AWS provider 5.100.0, planned again, served, and destroyed.
 */

jest.setTimeout(120_000);

const ROLE_ARN = 'arn:aws:iam::000000000000:role/apigateway-cloudwatch';
const LOG_GROUP_ARN = 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/apigateway/tf/access';

const DOCUMENT = greetingDocument('tf-greetings');

function configuration(document: unknown): Record<string, unknown> {
  return {
    resource: {
      aws_api_gateway_rest_api: {
        api: {
          name: 'tf-greetings',
          body: JSON.stringify(document),
          fail_on_warnings: true,
          endpoint_configuration: { types: ['REGIONAL'] },
        },
      },
      aws_api_gateway_deployment: {
        deployment: {
          rest_api_id: '${aws_api_gateway_rest_api.api.id}',
          triggers: { redeployment: '${sha1(aws_api_gateway_rest_api.api.body)}' },
          lifecycle: { create_before_destroy: true },
        },
      },
      aws_api_gateway_account: { account: { cloudwatch_role_arn: ROLE_ARN } },
      aws_api_gateway_stage: {
        stage: {
          rest_api_id: '${aws_api_gateway_rest_api.api.id}',
          deployment_id: '${aws_api_gateway_deployment.deployment.id}',
          stage_name: 'dev',
          access_log_settings: {
            destination_arn: LOG_GROUP_ARN,
            format: '{"requestId":"$context.requestId","status":"$context.status"}',
          },
          depends_on: ['aws_api_gateway_account.account'],
        },
      },
      aws_api_gateway_method_settings: {
        throttling: {
          rest_api_id: '${aws_api_gateway_rest_api.api.id}',
          stage_name: '${aws_api_gateway_stage.stage.stage_name}',
          method_path: '*/*',
          settings: {
            throttling_burst_limit: 50,
            throttling_rate_limit: 100,
            metrics_enabled: true,
            logging_level: 'ERROR',
            data_trace_enabled: false,
          },
        },
      },
    },
    output: { api_id: { value: '${aws_api_gateway_rest_api.api.id}' } },
  };
}

const empty = useEmptyCloud({ prefix: 'apigw-terraform-' });
let terraform: LocalTerraform;
let applied: TerraformRun;

beforeAll(async () => {
  // The CloudWatch role API Gateway logs with, as IAM's control plane would have created it.
  putRole(empty.cloud, 'apigateway-cloudwatch', 'apigateway.amazonaws.com');
  terraform = await empty.terraform(configuration(DOCUMENT));
  applied = await terraform.apply();
});

describe('a REST API applied by Terraform', () => {
  it('applies the API, its deployment, stage, method settings and account', async () => {
    expect(applied.output).toContain('Apply complete! Resources: 5 added');
    expect(applied.exitCode).toBe(0);
    expect(await terraform.addresses()).toHaveLength(5);
  });

  it('plans no changes right after the apply', async () => {
    const plan = await terraform.plan();
    expect(plan.output).toContain('No changes.');
    expect(plan.exitCode).toBe(0);
  });

  it('serves the stage at its path-style URL on the AWS endpoint', async () => {
    const { api_id: apiId } = await terraform.outputs();
    const response = await fetch(
      `${empty.cloud.endpoints.aws}/restapis/${String(apiId)}/dev/_user_request_/hello`,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ greeting: 'hello' });
  });

  it('serves the stage on the API port too', async () => {
    const response = await fetch(`${empty.cloud.endpoints.api}/hello`);
    expect(await response.json()).toEqual({ greeting: 'hello' });
  });

  it('destroys everything, leaving no REST API', async () => {
    const destroyed = await terraform.destroy();
    expect(destroyed.exitCode).toBe(0);
    const { items } = await empty.client(APIGatewayClient).send(new GetRestApisCommand({}));
    expect(items).toEqual([]);
  });
});

describe('a REST API whose document invokes a function that does not exist', () => {
  it('fails to apply as AWS fails it', async () => {
    const broken = missingFunctionDocument('tf-greetings');
    const config = configuration(broken);
    const brokenTerraform = await empty.terraform({
      resource: {
        aws_api_gateway_rest_api: (config.resource as Record<string, unknown>)
          .aws_api_gateway_rest_api,
      },
    });
    try {
      const apply = await brokenTerraform.apply();
      expect(apply.exitCode).toBe(1);
      expect(apply.output).toContain('BadRequestException: Errors found during import');
      expect(apply.output).toContain('Invalid function ARN or invalid uri');
    } finally {
      await brokenTerraform.destroy();
    }
  });
});
