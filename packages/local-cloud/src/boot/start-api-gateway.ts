/**
 * API Gateway: its control plane on the AWS endpoint (the REST API's; the HTTP API's joins the
 * same `apigateway` service as one more plane) and every API the registry holds, served.
 */
import type { Access } from './control-access';
import { roleNameOf } from '../iam/access-control';
import { apiMayInvoke } from '../iam/api-invoke-permission';
import { trustsService } from '../iam/role-trust';
import { apiSourceArn } from '../iam/service-links';
import type { ServiceLinks } from '../iam/service-links';
import { createAwsServiceCaller } from '../services/api-gateway/aws-service-caller';
import { openApiGatewayAccount } from '../services/api-gateway/control/api-gateway-account';
import { createApiGatewayService } from '../services/api-gateway/control/apigateway-service';
import { restApiControlPlane } from '../services/api-gateway/control/rest-api-control';
import { httpApiControlPlane } from '../services/http-api/control/http-api-control';
import { integrationFunctionArn } from '../services/api-gateway/gateway-routes';
import { operationsOf } from '../services/api-gateway/openapi-routes';
import { createServedApis } from '../services/api-gateway/served-apis';
import type { ServedApis } from '../services/api-gateway/served-apis';
import type { EdgeService } from '../services/edge/types';
import type { FunctionRuntime } from '../services/lambda/function-runtime';
import type { RestApiSpec } from '../stack/topology';
import type { BootContext } from './types';

export interface ApiGatewayParts {
  /** The control plane, routed by the AWS endpoint. */
  service: EdgeService;
  /** The APIs, as the AWS endpoint and the API port serve them. */
  apis: ServedApis;
}

export function startApiGateway(
  cloud: BootContext,
  { functions, links, access }: { functions: FunctionRuntime; links: ServiceLinks; access: Access },
): ApiGatewayParts {
  const { resources: registry, topology, endpoints, log, dataDir } = cloud;
  const { region, accountId } = topology;
  const account = openApiGatewayAccount(dataDir, registry);
  const service = createApiGatewayService([
    restApiControlPlane({ registry, region, accountId, log, account }),
    httpApiControlPlane({ registry, region, accountId }),
  ]);
  const apis = createServedApis({
    registry,
    functions,
    services: createAwsServiceCaller({
      endpoint: endpoints.aws,
      region,
      credentialsFor: (roleArn) => access.credentialsFor('api-integration', roleNameOf(roleArn)),
      mayAssume: (roleArn) => {
        const role = registry.get('roles', roleArn);
        return role !== undefined && trustsService(role, 'apigateway.amazonaws.com');
      },
    }),
    region,
    accountId,
    log,
    // The stack's APIs were judged at boot; a deployed API's routes are judged by the function
    // permissions the registry holds when the request comes.
    mayInvoke: (api, method, resource) =>
      api.control
        ? deployedApiMayInvoke(api, method, resource, {
            access,
            permissions: () => topology.permissions,
          })
        : links.mayInvokeFromApi(api, method, resource),
    mayInvokeHttp: (api, routeKey) => links.mayInvokeFromHttpApi(api, routeKey),
  });
  return { service, apis };
}

function deployedApiMayInvoke(
  api: RestApiSpec,
  method: string,
  resource: string,
  {
    access,
    permissions,
  }: { access: Access; permissions: () => Parameters<typeof apiMayInvoke>[1] },
): boolean {
  const operation = operationsOf(api.body).find(
    (each) => each.method === method && each.resource === resource,
  );
  const functionArn = integrationFunctionArn(
    operation?.operation['x-amazon-apigateway-integration'],
  );
  if (!functionArn) return true;
  return apiMayInvoke(access.control.mode, permissions(), {
    sourceArn: apiSourceArn(api, method, resource),
    functionArn,
    accountId: api.executionArn.split(':')[4] ?? '',
  });
}
