/**
 * API Gateway's REST API control plane (`/restapis…`, `/account`, `/tags/…`): what Terraform's
 * aws_api_gateway_rest_api, _deployment, _stage, _method_settings and _account resources and the
 * AWS CLI call. It writes REST APIs into the resource registry, where the gateway serves them.
 */
import type { ControlPlane } from './apigateway-service';
import { jsonAnswer, notFound } from './control-errors';
import type { ContextOperation, ControlContext } from './control-context';
import { inputOf } from './control-context';
import { patchOperationsOf } from './patch-operations';
import { pathRoutes } from './path-routes';
import type { Operation } from './path-routes';
import {
  createRestApi,
  deleteRestApi,
  getResource,
  getResources,
  getRestApi,
  getRestApis,
  putRestApi,
  updateRestApi,
} from './rest-api-operations';
import {
  createDeployment,
  createStage,
  deleteDeployment,
  deleteStage,
  getDeployment,
  getDeployments,
  getStage,
  getStages,
  updateStage,
} from './stage-operations';
import { tagOperation } from './tag-operations';

const OPERATIONS: Record<string, ContextOperation> = {
  'GET /account': (context) => jsonAnswer(200, context.account.shape()),
  'PATCH /account': (context, request) => {
    context.account.update(patchOperationsOf(inputOf(request)));
    return jsonAnswer(200, context.account.shape());
  },
  'POST /restapis': createRestApi,
  'GET /restapis': getRestApis,
  'GET /restapis/{restapi_id}': getRestApi,
  'PUT /restapis/{restapi_id}': putRestApi,
  'PATCH /restapis/{restapi_id}': updateRestApi,
  'DELETE /restapis/{restapi_id}': deleteRestApi,
  'GET /restapis/{restapi_id}/resources': getResources,
  'GET /restapis/{restapi_id}/resources/{resource_id}': getResource,
  'POST /restapis/{restapi_id}/deployments': createDeployment,
  'GET /restapis/{restapi_id}/deployments': getDeployments,
  'GET /restapis/{restapi_id}/deployments/{deployment_id}': getDeployment,
  'DELETE /restapis/{restapi_id}/deployments/{deployment_id}': deleteDeployment,
  'POST /restapis/{restapi_id}/stages': createStage,
  'GET /restapis/{restapi_id}/stages': getStages,
  'GET /restapis/{restapi_id}/stages/{stage_name}': getStage,
  'PATCH /restapis/{restapi_id}/stages/{stage_name}': updateStage,
  'DELETE /restapis/{restapi_id}/stages/{stage_name}': deleteStage,
};

export function restApiControlPlane(context: ControlContext): ControlPlane {
  const routes = pathRoutes(
    Object.fromEntries(
      Object.entries(OPERATIONS).map(([key, operation]): [string, Operation] => [
        key,
        (request, parameters) => operation(context, request, parameters),
      ]),
    ),
  );
  return {
    prefix: '/',
    handle: (request) => {
      // A resource ARN holds slashes: everything after /tags/ is the ARN.
      if (request.path.startsWith('/tags/')) return Promise.resolve(tagOperation(context, request));
      const matched = routes.match(request.method, request.path);
      if (matched === 'no-path' || matched === 'no-method') {
        return Promise.reject(
          notFound(`The local API Gateway does not serve ${request.method} ${request.path}`),
        );
      }
      return Promise.resolve(matched.operation(request, matched.parameters));
    },
  };
}
