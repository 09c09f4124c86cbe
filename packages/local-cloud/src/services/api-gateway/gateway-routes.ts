/**
 * The gateway's routes: each operation of the OpenAPI document compiled once (its validator, its
 * integration), and a request's path and method matched to one.
 */
import { createHash } from 'node:crypto';
import { isObject } from '../../json';
import type { JsonObject } from '../../json';
import { invokedFunctionArn } from '../../stack/function-arn';
import type { RestApiSpec } from '../../stack/topology';
import type { ApiRequest } from './api-request';
import { compileAwsIntegration } from './aws-integration';
import { compileMockIntegration } from './mock-integration';
import { operationsOf } from './openapi-routes';
import type { Router } from './openapi-routes';
import { compileRequestValidator, createSchemaCompiler } from './request-validation';
import type { Integration, ProxyIntegration, Route } from './types';

const DEFAULT_TIMEOUT_MS = 29000;

/** Resource ids look like API Gateway's (`2gxmpl`) and stay the same across boots. */
export function resourceIdOf(apiId: string, resource: string): string {
  const hash = createHash('sha1').update(`${apiId}${resource}`).digest();
  return hash.readUInt32BE(0).toString(36).padStart(6, '0').slice(0, 6);
}

/**
 * The function an `x-amazon-apigateway-integration` invokes, from its uri
 * (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`).
 */
export function integrationFunctionArn(integration: unknown): string | undefined {
  if (!isObject(integration) || typeof integration.uri !== 'string') return undefined;
  return /:lambda:path\//.test(integration.uri) ? invokedFunctionArn(integration.uri) : undefined;
}

/** `timeoutCap`: ApiGatewayOptions.integrationTimeoutMs. */
export function compileRoutes(
  api: RestApiSpec,
  timeoutCap: number | undefined,
  warn: (message: string) => void,
): Route[] {
  const document = api.body;
  const compiler = createSchemaCompiler(document);
  return operationsOf(document).map(({ method, resource, pathItem, operation }) => {
    const label = `${method} ${resource}`;
    const validate = compileRequestValidator({ document, pathItem, operation, compiler, label });
    return {
      method,
      resource,
      resourceId: resourceIdOf(api.id, resource),
      ...(operation.operationId ? { operationId: operation.operationId } : {}),
      integration: compileIntegration(
        operation['x-amazon-apigateway-integration'],
        label,
        timeoutCap,
        warn,
      ),
      ...(validate ? { validate } : {}),
    };
  });
}

function compileIntegration(
  integration: unknown,
  label: string,
  timeoutCap: number | undefined,
  warn: (message: string) => void,
): Integration {
  if (!isObject(integration)) {
    throw new Error(`OpenAPI: ${label} has no x-amazon-apigateway-integration`);
  }
  const type = typeof integration.type === 'string' ? integration.type.toLowerCase() : '';
  if (type === 'mock')
    return { kind: 'mock', mock: compileMockIntegration(integration, label, warn) };
  if (type === 'aws') {
    return compileAwsIntegration(integration, label, timeoutOf(integration, timeoutCap));
  }
  if (type !== 'aws_proxy') {
    throw new Error(
      `OpenAPI: ${label} uses a "${type}" integration; the local API Gateway emulates aws_proxy (Lambda), aws (AWS services) and mock`,
    );
  }
  return compileProxyIntegration(integration, label, timeoutCap);
}

function compileProxyIntegration(
  integration: JsonObject,
  label: string,
  timeoutCap: number | undefined,
): ProxyIntegration {
  const functionArn = integrationFunctionArn(integration);
  if (!functionArn) {
    throw new Error(
      `OpenAPI: ${label} has no Lambda invocation uri (${JSON.stringify(integration.uri ?? null)})`,
    );
  }
  return {
    kind: 'aws_proxy',
    functionArn,
    functionName: functionArn.split(':')[6] ?? functionArn,
    timeoutMs: timeoutOf(integration, timeoutCap),
  };
}

/** The integration's timeoutInMillis (29 s when absent), capped by the gateway's options. */
function timeoutOf(integration: JsonObject, timeoutCap: number | undefined): number {
  const declared =
    typeof integration.timeoutInMillis === 'number'
      ? integration.timeoutInMillis
      : DEFAULT_TIMEOUT_MS;
  return timeoutCap === undefined ? declared : Math.min(declared, timeoutCap);
}

/** The route of a request's path and method (`ANY` when the method has none of its own). */
export function matchRoute(
  router: Router<Route>,
  request: ApiRequest,
): { route: Route; pathParameters: Record<string, string> } | undefined {
  const match = router.match(request.path);
  const route = match && (match.methods.get(request.method) ?? match.methods.get('ANY'));
  return match && route ? { route, pathParameters: match.pathParameters } : undefined;
}
