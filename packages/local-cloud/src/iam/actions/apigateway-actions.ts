/**
 * API Gateway's control plane as IAM sees it: the action is the HTTP method
 * (`apigateway:GET`, `apigateway:PATCH`…), the resource the path under the regional ARN with no
 * account (`arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/dev`), for the REST API's
 * paths and the HTTP API's (`/v2/apis/…`, the same service) alike.
 */
import type { ActionContext, IncomingAwsRequest, RequiredAuthorization } from '../access-types';

function decoded(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    // API Gateway refuses the path; IAM still judges the request on what it names.
    return rawPath;
  }
}

export function apigatewayAuthorizations(
  request: IncomingAwsRequest,
  context: ActionContext,
): RequiredAuthorization[] {
  return [
    {
      action: `apigateway:${request.method.toUpperCase()}`,
      resource: `arn:aws:apigateway:${context.region}::${decoded(request.rawPath)}`,
      conditionKeys: {},
    },
  ];
}
