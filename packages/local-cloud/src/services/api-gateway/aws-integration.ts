/**
 * An `aws` integration (an AWS service called by API Gateway itself, no Lambda in between), compiled
 * from its `x-amazon-apigateway-integration`: the service and path (or action) of its uri, the role
 * of its `credentials`, its request parameters and templates, and its integration responses.
 */
import { isObject } from '../../json';
import type { JsonObject } from '../../json';
import { compileIntegrationResponses, compileTemplates } from './integration-responses';
import type { IntegrationResponses } from './integration-responses';
import { compileHeaderMappings } from './parameter-mappings';
import type { HeaderMappings } from './parameter-mappings';
import type { VtlTemplate } from './vtl/vtl-template';

export interface AwsIntegration {
  kind: 'aws';
  /** The signing name, e.g. `sqs`. */
  service: string;
  httpMethod: string;
  /** The path on the service's endpoint: `/<path>` of a `path/` uri, `/` for an `action/` one. */
  path: string;
  /** The `action/` uri's action, sent as `Action=` in the query string. */
  action?: string;
  roleArn: string;
  timeoutMs: number;
  /** Templates by lower-case media type. */
  requestTemplates: Map<string, VtlTemplate>;
  /** `never` refuses a media type without a template (415); the others pass the body through. */
  passthroughBehavior: string;
  requestHeaders: HeaderMappings;
  requestQuery: HeaderMappings;
  responses: IntegrationResponses;
}

const URI = /^arn:aws:apigateway:[^:]*:([a-z0-9-]+):(path|action)\/(.+)$/;
const ROLE = /^arn:aws:iam::\d{12}:role\/.+$/;

/** The request parameters under `prefix`, each checked; one the gateway cannot map throws. */
function requestMappings(parameters: unknown, prefix: string, label: string): HeaderMappings {
  const picked = Object.fromEntries(
    Object.entries(isObject(parameters) ? parameters : {}).filter(([key]) =>
      key.startsWith(prefix),
    ),
  );
  return compileHeaderMappings(picked, prefix, (key, expression) => {
    throw new Error(`OpenAPI: ${label}: request parameter ${key} = ${expression} is not supported`);
  });
}

function checkRequestParameters(parameters: unknown, label: string): void {
  for (const key of Object.keys(isObject(parameters) ? parameters : {})) {
    if (!/^integration\.request\.(header|querystring)\./.test(key)) {
      throw new Error(`OpenAPI: ${label}: request parameter ${key} is not supported locally`);
    }
  }
}

export function compileAwsIntegration(
  integration: JsonObject,
  label: string,
  timeoutMs: number,
): AwsIntegration {
  const uri = typeof integration.uri === 'string' ? URI.exec(integration.uri) : null;
  if (!uri) {
    throw new Error(
      `OpenAPI: ${label}: an aws integration's uri must be arn:aws:apigateway:<region>:<service>:path/… or action/… (${JSON.stringify(integration.uri ?? null)})`,
    );
  }
  const [, service = '', form, rest = ''] = uri;
  const { credentials } = integration;
  if (typeof credentials !== 'string' || !ROLE.test(credentials)) {
    throw new Error(
      `OpenAPI: ${label}: an aws integration needs the ARN of the role API Gateway assumes in credentials (${JSON.stringify(credentials ?? null)})`,
    );
  }
  checkRequestParameters(integration.requestParameters, label);
  return {
    kind: 'aws',
    service,
    httpMethod:
      typeof integration.httpMethod === 'string' ? integration.httpMethod.toUpperCase() : 'POST',
    path: form === 'path' ? `/${rest}` : '/',
    ...(form === 'action' ? { action: rest } : {}),
    roleArn: credentials,
    timeoutMs,
    requestTemplates: compileTemplates(integration.requestTemplates, label),
    passthroughBehavior:
      typeof integration.passthroughBehavior === 'string'
        ? integration.passthroughBehavior.toLowerCase()
        : 'when_no_match',
    requestHeaders: requestMappings(
      integration.requestParameters,
      'integration.request.header.',
      label,
    ),
    requestQuery: requestMappings(
      integration.requestParameters,
      'integration.request.querystring.',
      label,
    ),
    responses: compileIntegrationResponses(integration.responses, label, (key, expression) => {
      throw new Error(
        `OpenAPI: ${label}: response parameter ${key} = ${expression} is not supported`,
      );
    }),
  };
}
