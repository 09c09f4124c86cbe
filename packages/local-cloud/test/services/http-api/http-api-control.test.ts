/**
 * API Gateway v2's control plane for HTTP APIs through the real ApiGatewayV2Client, on the fixture
 * stack's cloud: an API, its Lambda proxy integration, route and $default stage created, read back
 * as AWS answers them, served on the HTTP API port as the stack's was, changed and deleted; and
 * API Gateway's errors for what it refuses.
 */
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import {
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteRouteCommand,
  GetApiCommand,
  GetIntegrationCommand,
  GetRouteCommand,
  GetStageCommand,
  GetTagsCommand,
  NotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { LocalCloud } from '../../../src/local-cloud';
import { startHttpApiCloud } from '../../support/http-api-cloud';
import type { HttpApiCloud } from '../../support/http-api-cloud';
import { rawRequest } from '../../support/raw-request';

jest.setTimeout(60_000);

let served: HttpApiCloud;
let cloud: LocalCloud;
let client: ApiGatewayV2Client;
let functionArn: string;

beforeAll(async () => {
  served = await startHttpApiCloud();
  ({ cloud, client } = served);
  functionArn = cloud.topology.functions[0]?.arn ?? '';
});

afterAll(() => served?.stop());

async function createdApi(
  stageName = '$default',
): Promise<{ apiId: string; integrationId: string; routeId: string }> {
  const api = await client.send(
    new CreateApiCommand({
      Name: 'orders-http',
      ProtocolType: 'HTTP',
      CorsConfiguration: { AllowOrigins: ['http://site.test'], AllowMethods: ['GET'], MaxAge: 60 },
      Tags: { team: 'shop' },
    }),
  );
  const apiId = api.ApiId ?? '';
  const integration = await client.send(
    new CreateIntegrationCommand({
      ApiId: apiId,
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: functionArn,
      PayloadFormatVersion: '2.0',
    }),
  );
  const route = await client.send(
    new CreateRouteCommand({
      ApiId: apiId,
      RouteKey: 'GET /orders/{id}',
      Target: `integrations/${integration.IntegrationId ?? ''}`,
    }),
  );
  await client.send(
    new CreateStageCommand({
      ApiId: apiId,
      StageName: stageName,
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 25 },
    }),
  );
  return { apiId, integrationId: integration.IntegrationId ?? '', routeId: route.RouteId ?? '' };
}

describe('an HTTP API made through the control plane', () => {
  afterEach(() => served.deleteHttpApis());

  it('reads back the API, its integration, route and stage as API Gateway answers them', async () => {
    // Given an API with a Lambda proxy integration, a route and a $default stage
    const { apiId, integrationId, routeId } = await createdApi();

    // Then each reads back with what was set and API Gateway's defaults
    expect(await client.send(new GetApiCommand({ ApiId: apiId }))).toMatchObject({
      ApiId: apiId,
      Name: 'orders-http',
      ProtocolType: 'HTTP',
      ApiEndpoint: `https://${apiId}.execute-api.us-east-1.amazonaws.com`,
      ApiKeySelectionExpression: '$request.header.x-api-key',
      RouteSelectionExpression: '$request.method $request.path',
      DisableExecuteApiEndpoint: false,
      CorsConfiguration: { AllowOrigins: ['http://site.test'], AllowMethods: ['GET'], MaxAge: 60 },
      Tags: { team: 'shop' },
    });
    expect(
      await client.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: integrationId })),
    ).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationMethod: 'POST',
      IntegrationUri: functionArn,
      PayloadFormatVersion: '2.0',
      ConnectionType: 'INTERNET',
      TimeoutInMillis: 30000,
    });
    expect(
      await client.send(new GetRouteCommand({ ApiId: apiId, RouteId: routeId })),
    ).toMatchObject({
      RouteKey: 'GET /orders/{id}',
      AuthorizationType: 'NONE',
      ApiKeyRequired: false,
      Target: `integrations/${integrationId}`,
    });
    expect(
      await client.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' })),
    ).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 25 },
    });
  });

  it('is served on the HTTP API port, its route invoking the function', async () => {
    // Given the API made here
    await createdApi();

    // When its route is requested, then the function answers with the 2.0 event
    const answer = await rawRequest(`${cloud.endpoints.httpApi}/orders/7`, {});
    expect(answer.status).toBe(200);
    const { received } = JSON.parse(answer.body.toString()) as {
      received: { routeKey: string; pathParameters: Record<string, string> };
    };
    expect(received).toMatchObject({ routeKey: 'GET /orders/{id}', pathParameters: { id: '7' } });
  });

  it("keeps a named stage's prefix in the event's rawPath and http.path, served path-style", async () => {
    // Given the API made here with a stage named prod
    const { apiId } = await createdApi('prod');

    // When its route is requested through the stage's path-style URL
    const answer = await rawRequest(
      `${cloud.endpoints.aws}/restapis/${apiId}/prod/_user_request_/orders/7?size=2`,
      {},
    );

    // Then the route matched without the stage, and the event's paths keep it, as AWS's do
    expect(answer.status).toBe(200);
    const { received } = JSON.parse(answer.body.toString()) as { received: unknown };
    expect(received).toMatchObject({
      routeKey: 'GET /orders/{id}',
      rawPath: '/prod/orders/7',
      rawQueryString: 'size=2',
      pathParameters: { id: '7' },
      requestContext: { stage: 'prod', http: { method: 'GET', path: '/prod/orders/7' } },
    });
  });

  it("leaves the $default stage out of the event's paths, served path-style", async () => {
    // Given the API made here with its $default stage
    const { apiId } = await createdApi();

    // When its route is requested through the stage's path-style URL
    const answer = await rawRequest(
      `${cloud.endpoints.aws}/restapis/${apiId}/$default/_user_request_/orders/7`,
      {},
    );

    // Then the event's paths are the route's, and its stage $default
    expect(answer.status).toBe(200);
    const { received } = JSON.parse(answer.body.toString()) as { received: unknown };
    expect(received).toMatchObject({
      rawPath: '/orders/7',
      requestContext: { stage: '$default', http: { path: '/orders/7' } },
    });
  });

  it('stops serving a route once it is deleted', async () => {
    // Given the API, its route deleted
    const { apiId, routeId } = await createdApi();
    await client.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: routeId }));

    // Then the path is not found, in API Gateway's words
    const answer = await rawRequest(`${cloud.endpoints.httpApi}/orders/7`, {});
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body.toString())).toEqual({ message: 'Not Found' });
  });

  it('changes the API and the stage, and tags and untags the API', async () => {
    const { apiId } = await createdApi();

    // When the description and the stage's access logs change, and a tag comes and goes
    await client.send(new UpdateApiCommand({ ApiId: apiId, Description: 'orders, v2' }));
    const destinationArn = 'arn:aws:logs:us-east-1:000000000000:log-group:/http/access';
    await client.send(
      new UpdateStageCommand({
        ApiId: apiId,
        StageName: '$default',
        AccessLogSettings: { DestinationArn: destinationArn, Format: '$context.requestId' },
      }),
    );
    const resourceArn = `arn:aws:apigateway:us-east-1::/apis/${apiId}`;
    await client.send(new TagResourceCommand({ ResourceArn: resourceArn, Tags: { stage: 'dev' } }));
    await client.send(new UntagResourceCommand({ ResourceArn: resourceArn, TagKeys: ['team'] }));

    // Then each reads back changed
    expect(await client.send(new GetApiCommand({ ApiId: apiId }))).toMatchObject({
      Description: 'orders, v2',
      Name: 'orders-http',
    });
    expect(
      await client.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' })),
    ).toMatchObject({ AccessLogSettings: { DestinationArn: destinationArn } });
    expect(await client.send(new GetTagsCommand({ ResourceArn: resourceArn }))).toMatchObject({
      Tags: { stage: 'dev' },
    });
  });
});

describe("API Gateway's refusals", () => {
  it('answers NotFoundException for an API that is not there', async () => {
    await expect(client.send(new GetApiCommand({ ApiId: 'nope123456' }))).rejects.toMatchObject({
      name: NotFoundException.name,
      message: 'Invalid API identifier specified 000000000000:nope123456',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers ConflictException for a second route with the same key', async () => {
    const { apiId } = await createdApi();
    await expect(
      client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /orders/{id}' })),
    ).rejects.toMatchObject({
      name: ConflictException.name,
      message: 'Route with key GET /orders/{id} already exists for this API',
    });
    await client.send(new DeleteApiCommand({ ApiId: apiId }));
  });

  it('answers BadRequestException for a payload format API Gateway does not have', async () => {
    const { apiId } = await createdApi();
    await expect(
      client.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: functionArn,
          PayloadFormatVersion: '3.0',
        }),
      ),
    ).rejects.toBeInstanceOf(BadRequestException);
    await client.send(new DeleteApiCommand({ ApiId: apiId }));
  });
});
