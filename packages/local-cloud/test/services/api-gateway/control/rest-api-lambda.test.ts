import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateStageCommand,
  ImportRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { useEmptyCloud } from '../../../support/in-process-cloud';
import { putRole } from '../../../support/put-role';
import { zipBuffer } from '../../../support/function-fixtures';

/**
 * A REST API and the function its Lambda proxy integration invokes, both deployed through the
 * control planes of an --empty local cloud: API Gateway invokes it only once Lambda's resource
 * policy lets it, as AWS does.
 */

jest.setTimeout(60_000);

const HANDLER = `exports.handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ path: event.path, stage: event.requestContext.stage }),
});`;

const empty = useEmptyCloud({ prefix: 'apigw-lambda-' });
let apiGateway: APIGatewayClient;
let lambda: LambdaClient;
let functionArn: string;
let apiId: string;

beforeAll(async () => {
  apiGateway = empty.client(APIGatewayClient);
  lambda = empty.client(LambdaClient);
  const role = putRole(empty.cloud, 'items-role', 'lambda.amazonaws.com');
  const created = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'list-items',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: role.arn,
      Code: { ZipFile: await zipBuffer({ 'index.js': HANDLER }) },
    }),
  );
  functionArn = created.FunctionArn ?? '';
  const document = {
    openapi: '3.0.1',
    info: { title: 'items', version: '1' },
    paths: {
      '/items': {
        get: {
          'x-amazon-apigateway-integration': {
            type: 'aws_proxy',
            httpMethod: 'POST',
            uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
          },
        },
      },
    },
  };
  const api = await apiGateway.send(
    new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(document)) }),
  );
  apiId = api.id ?? '';
  const deployment = await apiGateway.send(new CreateDeploymentCommand({ restApiId: apiId }));
  await apiGateway.send(
    new CreateStageCommand({ restApiId: apiId, stageName: 'prod', deploymentId: deployment.id }),
  );
});

const invoke = (): Promise<Response> =>
  fetch(`${empty.cloud.endpoints.aws}/restapis/${apiId}/prod/_user_request_/items`);

describe('a deployed API whose Lambda proxy integration invokes a deployed function', () => {
  it('answers 500 while the function does not let API Gateway invoke it', async () => {
    const response = await invoke();
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
  });

  it("answers with the function's response once a permission lets API Gateway invoke it", async () => {
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'list-items',
        StatementId: 'AllowApiGatewayInvoke',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/prod/GET/items`,
      }),
    );
    const response = await invoke();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ path: '/items', stage: 'prod' });
  });
});
