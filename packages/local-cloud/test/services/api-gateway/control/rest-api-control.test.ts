import {
  APIGatewayClient,
  BadRequestException,
  ConflictException,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetAccountCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetTagsCommand,
  ImportRestApiCommand,
  NotFoundException,
  PutRestApiCommand,
  TagResourceCommand,
  UpdateAccountCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { useEmptyCloud } from '../../../support/in-process-cloud';
import {
  greetingDocument,
  missingFunctionDocument,
  mockIntegration,
} from '../../../support/api-gateway-documents';

/**
 * API Gateway's REST API control plane on the AWS endpoint of an --empty local cloud, through the
 * real SDK v3 client: APIs imported from OpenAPI, deployed to stages, and served path-style.
 */

jest.setTimeout(30_000);

const MOCK_DOCUMENT = greetingDocument('greetings');

const body = (document: unknown): Uint8Array => Buffer.from(JSON.stringify(document));

const empty = useEmptyCloud({ prefix: 'apigw-control-' });
let client: APIGatewayClient;

beforeAll(() => {
  client = empty.client(APIGatewayClient);
});

async function importedApi(document: unknown = MOCK_DOCUMENT): Promise<string> {
  const api = await client.send(new ImportRestApiCommand({ body: body(document) }));
  return api.id ?? '';
}

async function deployedStage(apiId: string, stageName = 'dev'): Promise<string> {
  const deployment = await client.send(new CreateDeploymentCommand({ restApiId: apiId }));
  await client.send(
    new CreateStageCommand({ restApiId: apiId, stageName, deploymentId: deployment.id }),
  );
  return deployment.id ?? '';
}

describe('REST APIs', () => {
  it('creates an API that GetRestApi reads back with its root resource', async () => {
    // Given an API created with a description and a regional endpoint
    const created = await client.send(
      new CreateRestApiCommand({
        name: 'orders',
        description: 'the orders API',
        endpointConfiguration: { types: ['REGIONAL'] },
        tags: { team: 'web' },
      }),
    );
    // When it is read back
    const read = await client.send(new GetRestApiCommand({ restApiId: created.id }));
    const resources = await client.send(new GetResourcesCommand({ restApiId: created.id }));
    // Then it has what was set, and its root resource
    expect(read).toMatchObject({
      name: 'orders',
      description: 'the orders API',
      endpointConfiguration: { types: ['REGIONAL'] },
      apiKeySource: 'HEADER',
      tags: { team: 'web' },
    });
    expect(resources.items).toEqual([{ id: read.rootResourceId, path: '/' }]);
  });

  it('puts an OpenAPI document whose paths become resources', async () => {
    // Given an empty API
    const { id } = await client.send(new CreateRestApiCommand({ name: 'put-target' }));
    // When the document is put in overwrite mode
    const put = await client.send(
      new PutRestApiCommand({ restApiId: id, mode: 'overwrite', body: body(MOCK_DOCUMENT) }),
    );
    const resources = await client.send(
      new GetResourcesCommand({ restApiId: id, embed: ['methods'] }),
    );
    // Then the API takes the document's title, and /hello has its GET method
    expect(put.name).toBe('greetings');
    expect(resources.items?.map((item) => item.path)).toEqual(['/', '/hello']);
    expect(Object.keys(resources.items?.[1]?.resourceMethods ?? {})).toEqual(['GET']);
  });

  it('refuses a document whose integration names a function that does not exist', async () => {
    // Given a document whose GET /items invokes a function nobody created
    const document = missingFunctionDocument('broken');
    // When it is imported, then API Gateway refuses it as its importer does
    const refused = client.send(new ImportRestApiCommand({ body: body(document) }));
    await expect(refused).rejects.toBeInstanceOf(BadRequestException);
    await expect(refused).rejects.toThrow(
      "Errors found during import:\n\tUnable to put integration on 'GET' for resource at path '/items': Invalid function ARN or invalid uri",
    );
  });

  it('answers NotFoundException for an API that does not exist', async () => {
    const read = client.send(new GetRestApiCommand({ restApiId: 'nosuchapi0' }));
    await expect(read).rejects.toBeInstanceOf(NotFoundException);
    await expect(read).rejects.toThrow('Invalid API identifier specified 000000000000:nosuchapi0');
  });

  it('returns a policy patched in as API Gateway does, its quotes escaped', async () => {
    // Given an API
    const id = await importedApi();
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }],
    };
    // When a policy is patched in
    await client.send(
      new UpdateRestApiCommand({
        restApiId: id,
        patchOperations: [{ op: 'replace', path: '/policy', value: JSON.stringify(policy) }],
      }),
    );
    // Then GetRestApi answers it as JSON text escaped once more
    const read = await client.send(new GetRestApiCommand({ restApiId: id }));
    expect(read.policy).toBe(JSON.stringify(JSON.stringify(policy)).slice(1, -1));
  });

  it('deletes an API, after which it is not found', async () => {
    const id = await importedApi();
    await client.send(new DeleteRestApiCommand({ restApiId: id }));
    await expect(client.send(new GetRestApiCommand({ restApiId: id }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });
});

describe('deployments and stages', () => {
  it('serves a deployed stage path-style on the AWS endpoint', async () => {
    // Given an API deployed to stage dev
    const id = await importedApi();
    await deployedStage(id);
    // When its path-style URL is requested
    const response = await fetch(
      `${empty.cloud.endpoints.aws}/restapis/${id}/dev/_user_request_/hello`,
    );
    // Then the mock integration answers
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ greeting: 'hello' });
  });

  it('serves what the deployment captured, not what was put after it', async () => {
    // Given a deployed API whose document is then replaced with one without /hello
    const id = await importedApi();
    await deployedStage(id);
    const renamed = { ...MOCK_DOCUMENT, paths: { '/bye': MOCK_DOCUMENT.paths['/hello'] } };
    await client.send(
      new PutRestApiCommand({ restApiId: id, mode: 'overwrite', body: body(renamed) }),
    );
    // When the stage is requested
    const response = await fetch(
      `${empty.cloud.endpoints.aws}/restapis/${id}/dev/_user_request_/hello`,
    );
    // Then it still serves the deployed document
    expect(response.status).toBe(200);
  });

  it('refuses a second stage of the same name', async () => {
    const id = await importedApi();
    const deploymentId = await deployedStage(id);
    const again = client.send(
      new CreateStageCommand({ restApiId: id, stageName: 'dev', deploymentId }),
    );
    await expect(again).rejects.toBeInstanceOf(ConflictException);
  });

  it('refuses to delete a deployment a stage serves', async () => {
    const id = await importedApi();
    const deploymentId = await deployedStage(id);
    const deleted = client.send(new DeleteDeploymentCommand({ restApiId: id, deploymentId }));
    await expect(deleted).rejects.toThrow(
      'Active stages pointing to this deployment must be moved or deleted',
    );
  });

  it('reads back method settings patched as aws_api_gateway_method_settings sends them', async () => {
    // Given a deployed stage
    const id = await importedApi();
    await deployedStage(id);
    // When throttling and metrics are set for every method
    await client.send(
      new UpdateStageCommand({
        restApiId: id,
        stageName: 'dev',
        patchOperations: [
          { op: 'replace', path: '/*/*/metrics/enabled', value: 'true' },
          { op: 'replace', path: '/*/*/throttling/burstLimit', value: '50' },
          { op: 'replace', path: '/*/*/throttling/rateLimit', value: '100.000000' },
        ],
      }),
    );
    // Then GetStage answers them under */*
    const stage = await client.send(new GetStageCommand({ restApiId: id, stageName: 'dev' }));
    expect(stage.methodSettings?.['*/*']).toMatchObject({
      metricsEnabled: true,
      throttlingBurstLimit: 50,
      throttlingRateLimit: 100,
      loggingLevel: 'OFF',
    });
  });

  it('refuses a logging level while the account has no CloudWatch role', async () => {
    const id = await importedApi();
    await deployedStage(id);
    const patched = client.send(
      new UpdateStageCommand({
        restApiId: id,
        stageName: 'dev',
        patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' }],
      }),
    );
    await expect(patched).rejects.toThrow(
      'CloudWatch Logs role ARN must be set in account settings to enable logging',
    );
  });

  it('refuses a stage name with a slash', async () => {
    const id = await importedApi();
    const { id: deploymentId } = await client.send(new CreateDeploymentCommand({ restApiId: id }));
    const created = client.send(
      new CreateStageCommand({ restApiId: id, stageName: '../x', deploymentId }),
    );
    await expect(created).rejects.toBeInstanceOf(BadRequestException);
  });

  it('tags a stage by its ARN', async () => {
    const id = await importedApi();
    await deployedStage(id);
    const arn = `arn:aws:apigateway:us-east-1::/restapis/${id}/stages/dev`;
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'test' } }));
    const { tags } = await client.send(new GetTagsCommand({ resourceArn: arn }));
    expect(tags).toEqual({ env: 'test' });
  });

  it('no longer serves a deleted stage', async () => {
    const id = await importedApi();
    await deployedStage(id);
    await client.send(new DeleteStageCommand({ restApiId: id, stageName: 'dev' }));
    const response = await fetch(
      `${empty.cloud.endpoints.aws}/restapis/${id}/dev/_user_request_/hello`,
    );
    expect(response.status).toBe(403);
  });
});

describe('browsers and callers', () => {
  it("answers a CORS preflight from a web page with the API's OPTIONS mock", async () => {
    // Given an API whose /hello answers preflights with a mock integration
    const preflight = {
      'x-amazon-apigateway-integration': mockIntegration({
        responseParameters: {
          'method.response.header.Access-Control-Allow-Origin': "'http://localhost:3000'",
        },
      }),
      responses: {
        '200': {
          description: 'preflight',
          headers: { 'Access-Control-Allow-Origin': { schema: { type: 'string' } } },
        },
      },
    };
    const document = {
      ...MOCK_DOCUMENT,
      paths: { '/hello': { ...MOCK_DOCUMENT.paths['/hello'], options: preflight } },
    };
    const id = await importedApi(document);
    await deployedStage(id);
    // When a web page's browser sends its preflight to the path-style URL
    const response = await fetch(
      `${empty.cloud.endpoints.aws}/restapis/${id}/dev/_user_request_/hello`,
      {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' },
      },
    );
    // Then the API answers it, not the AWS endpoint's refusal of web pages
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });

  it('refuses a control-plane request signed with a key nobody issued', async () => {
    const stranger = empty.client(APIGatewayClient, {
      accessKeyId: 'AKIANOBODY',
      secretAccessKey: 'nothing',
    });
    const listed = stranger.send(new GetRestApisCommand({}));
    await expect(listed).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 403 },
    });
  });
});

describe('HTTP APIs', () => {
  it('serves an HTTP API path-style too, its $default stage included', async () => {
    // Given an HTTP API in the registry, as API Gateway v2's control plane puts it
    empty.cloud.resources.put('httpApis', {
      address: 'httpapi001',
      id: 'httpapi001',
      name: 'events',
      executionArn: 'arn:aws:execute-api:us-east-1:000000000000:httpapi001',
      stageName: '$default',
      routes: [],
    });
    // When a path it has no route for is requested through its $default stage
    const response = await fetch(
      `${empty.cloud.endpoints.aws}/restapis/httpapi001/$default/_user_request_/nothing`,
    );
    // Then the HTTP API answers, in its own words
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });
});

describe('account', () => {
  it('answers the account with its throttle settings and no CloudWatch role', async () => {
    const account = await client.send(new GetAccountCommand({}));
    expect(account.cloudwatchRoleArn).toBeUndefined();
    expect(account.throttleSettings).toEqual({ burstLimit: 5000, rateLimit: 10000 });
  });

  it('refuses a CloudWatch role ARN that is not well formed', async () => {
    const updated = client.send(
      new UpdateAccountCommand({
        patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: 'not-an-arn' }],
      }),
    );
    await expect(updated).rejects.toThrow('The role ARN is not well formed');
  });
});

describe('a restart of the --empty cloud on the same data directory', () => {
  it('serves the deployed stage again', async () => {
    // Given an API deployed to a cloud that then stops
    const id = await importedApi();
    await deployedStage(id, 'live');
    // When a cloud starts again on its data directory, with no stack
    await empty.restart();
    // Then the stage answers at its path-style URL
    const response = await fetch(
      `${empty.cloud.endpoints.aws}/restapis/${id}/live/_user_request_/hello`,
    );
    expect(await response.json()).toEqual({ greeting: 'hello' });
  });
});
