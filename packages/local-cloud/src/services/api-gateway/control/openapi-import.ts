/**
 * An OpenAPI document given to ImportRestApi or PutRestApi: parsed, checked as API Gateway's
 * importer checks it (each integration must name a function that exists in this account; the
 * local gateway must be able to compile it, as the boot compiles a stack's), and the API settings
 * its extensions declare, which an import in `overwrite` mode takes.
 */
import { isObject } from '../../../json';
import type { Json, JsonObject } from '../../../json';
import type { LocalLog } from '../../../log';
import type { ResourceRegistry } from '../../../model/resource-registry';
import { unqualifiedFunctionArn } from '../../../iam/policy-store';
import type { RestApiControl, RestApiSpec } from '../../../stack/topology';
import { createApiGateway } from '../api-gateway';
import { integrationFunctionArn } from '../gateway-routes';
import { operationsOf } from '../openapi-routes';
import { badRequest } from './control-errors';

/** The API settings an imported document declares (`info`, `x-amazon-apigateway-*`). */
export interface DocumentSettings {
  name?: string;
  description?: string;
  binaryMediaTypes: string[];
  policy?: string;
  apiKeySource?: string;
  minimumCompressionSize?: number;
  endpointConfiguration?: RestApiControl['endpointConfiguration'];
  disableExecuteApiEndpoint?: boolean;
}

/** The document in a request body (JSON), or API Gateway's refusal. */
export function parseDocument(body: Buffer): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest(
      'Invalid OpenAPI input: the local cloud imports OpenAPI documents in JSON (YAML is not read)',
    );
  }
  if (!isObject(parsed) || (parsed.openapi === undefined && parsed.swagger === undefined)) {
    throw badRequest('Invalid OpenAPI input: the document declares no openapi or swagger version');
  }
  return parsed;
}

const strings = (value: Json | undefined): string[] =>
  Array.isArray(value) ? value.filter((each): each is string => typeof each === 'string') : [];

const text = (value: Json | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

export function documentSettings(document: JsonObject): DocumentSettings {
  const info = isObject(document.info) ? document.info : {};
  const policy = document['x-amazon-apigateway-policy'];
  const endpoint = document['x-amazon-apigateway-endpoint-configuration'];
  const size = document['x-amazon-apigateway-minimum-compression-size'];
  const types = isObject(endpoint) ? strings(endpoint.types) : [];
  return {
    name: text(info.title) || undefined,
    description: text(info.description),
    binaryMediaTypes: strings(document['x-amazon-apigateway-binary-media-types']),
    ...(isObject(policy) ? { policy: JSON.stringify(policy) } : {}),
    apiKeySource: text(document['x-amazon-apigateway-api-key-source']),
    ...(typeof size === 'number' ? { minimumCompressionSize: size } : {}),
    ...(isObject(endpoint) && types.length > 0
      ? {
          endpointConfiguration: {
            types,
            ...(strings(endpoint.vpcEndpointIds).length > 0
              ? { vpcEndpointIds: strings(endpoint.vpcEndpointIds) }
              : {}),
          },
        }
      : {}),
    ...(isObject(endpoint) && typeof endpoint.disableExecuteApiEndpoint === 'boolean'
      ? { disableExecuteApiEndpoint: endpoint.disableExecuteApiEndpoint }
      : {}),
  };
}

/** Where the document is checked: the functions that exist, and the cloud's account. */
export interface ImportContext {
  registry: ResourceRegistry;
  region: string;
  accountId: string;
  log: LocalLog;
}

/**
 * Refuses the document as the importer does ("Errors found during import", one line per method
 * it could not put), or as the local gateway cannot serve it.
 */
export function checkDocument(api: RestApiSpec, context: ImportContext): void {
  const errors = operationsOf(api.body).flatMap(({ method, resource, operation }) => {
    const problem = integrationProblem(operation['x-amazon-apigateway-integration'], context);
    return problem
      ? [`Unable to put integration on '${method}' for resource at path '${resource}': ${problem}`]
      : [];
  });
  if (errors.length > 0) throw badRequest(`Errors found during import:\n\t${errors.join('\n\t')}`);
  try {
    createApiGateway({
      api,
      functions: { invoke: () => Promise.reject(new Error('not served')) },
      region: context.region,
      accountId: context.accountId,
      log: context.log,
    });
  } catch (error) {
    throw badRequest(
      `Errors found during import:\n\t${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Why API Gateway would not put an integration that invokes a function, if it would not. */
function integrationProblem(
  integration: Json | undefined,
  context: ImportContext,
): string | undefined {
  const uri = isObject(integration) ? integration.uri : undefined;
  // A function chosen by a stage variable is resolved per request, not at import.
  if (typeof uri !== 'string' || uri.includes('${')) return undefined;
  const functionArn = integrationFunctionArn(integration);
  if (!functionArn) return undefined;
  const [, , , region, account] = functionArn.split(':');
  if (account !== context.accountId) return 'Lambda function ARN must be in same account';
  if (region !== context.region) return 'Invalid function ARN or invalid uri';
  const exists = context.registry.get('functions', unqualifiedFunctionArn(functionArn));
  return exists ? undefined : 'Invalid function ARN or invalid uri';
}
