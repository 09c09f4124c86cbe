/**
 * API Gateway REST API proxy events (payload format 1.0), shaped like the ones the `aws_proxy`
 * integrations of the app deliver: method, resource and path come from the operation in the
 * OpenAPI document, so an event cannot drift from the route its handler serves.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { entryName } from '../../handlers/environments';
import type { FunctionName } from '../../handlers/environments';
import type { ApiGatewayHandler, OperationId } from '../../handlers/lib/api-handler';
import { locateOperation } from '../../handlers/lib/request-validator';
import { lambdaContext } from './lambda-events';

export const TEST_ORIGIN = 'https://app.example.test';
const STAGE = 'test';
const API_ID = 'a1b2c3d4e5';
const ACCOUNT_ID = '123456789012';

export interface ApiRequestOptions {
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is (to send malformed JSON). */
  body?: unknown;
  headers?: Record<string, string>;
  /** The Content-Type of a body (default application/json); null sends none, as a Blob does. */
  contentType?: string | null;
  /** Send the body base64-encoded, as API Gateway does for binary media types. */
  base64?: boolean;
}

/** The path of a template with its parameters, each percent-encoded. */
export function expandPath(template: string, parameters: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = parameters[name];
    if (value === undefined) throw new Error(`No value for path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

function multiValue(
  values: Record<string, string> | undefined,
): Record<string, string[] | undefined> | null {
  return values && Object.keys(values).length > 0
    ? Object.fromEntries(Object.entries(values).map(([name, value]) => [name, [value]]))
    : null;
}

/** The proxy event API Gateway sends for `operationId`, as called from the website. */
export function apiGatewayEvent(
  operationId: OperationId,
  options: ApiRequestOptions = {},
): APIGatewayProxyEvent {
  const { method, path: resource } = locateOperation(operationId);
  const httpMethod = method.toUpperCase();
  const pathParameters = options.pathParameters ?? {};
  const path = expandPath(resource, pathParameters);
  const text =
    options.body === undefined
      ? null
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const body = text !== null && options.base64 ? Buffer.from(text).toString('base64') : text;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Host: `${API_ID}.execute-api.eu-west-1.amazonaws.com`,
    Origin: TEST_ORIGIN,
    'User-Agent': 'Mozilla/5.0 (jest)',
    'X-Amzn-Trace-Id': `Root=1-${Date.now().toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    'X-Forwarded-For': '203.0.113.7',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
    ...(text !== null && options.contentType !== null
      ? { 'Content-Type': options.contentType ?? 'application/json' }
      : {}),
    ...options.headers,
  };
  const now = new Date();
  return {
    resource,
    path,
    httpMethod,
    headers,
    multiValueHeaders: multiValue(headers) ?? {},
    queryStringParameters:
      options.query && Object.keys(options.query).length ? options.query : null,
    multiValueQueryStringParameters: multiValue(options.query),
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    body,
    isBase64Encoded: Boolean(options.base64 && text !== null),
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: API_ID,
      authorizer: null,
      domainName: `${API_ID}.execute-api.eu-west-1.amazonaws.com`,
      domainPrefix: API_ID,
      extendedRequestId: randomUUID(),
      httpMethod,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'Mozilla/5.0 (jest)',
        userArn: null,
      },
      path: `/${STAGE}${path}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'abc123',
      resourcePath: resource,
      stage: STAGE,
    },
  };
}

/** The JSON body of a proxy response (throws on a body that is not JSON, which is a finding). */
export function jsonBody<T = unknown>(result: APIGatewayProxyResult): T {
  return JSON.parse(result.body) as T;
}

/** The CORS contract of every API response, errors included. */
export const CORS_HEADERS = { 'Access-Control-Allow-Origin': TEST_ORIGIN, Vary: 'Origin' } as const;

export type ApiCaller<Op extends OperationId> = (
  operation: Op,
  options?: ApiRequestOptions,
) => Promise<APIGatewayProxyResult>;

/**
 * Imports the handler of each operation (`handlers/<kebab-case operationId>.ts`). Import after the
 * environment is set (startTestApp), since handlers read it at cold start.
 */
export async function loadHandlers<Op extends Extract<OperationId, FunctionName>>(
  operations: Op[],
): Promise<(operation: Op) => ApiGatewayHandler> {
  const loaded = await Promise.all(
    operations.map(async (operation) => {
      const module = (await import(`../../handlers/${entryName(operation)}`)) as {
        handler: ApiGatewayHandler;
      };
      return [operation, module.handler] as const;
    }),
  );
  const handlers = new Map<Op, ApiGatewayHandler>(loaded);
  return (operation) => {
    const handler = handlers.get(operation);
    if (!handler) throw new Error(`${operation} was not loaded`);
    return handler;
  };
}

/** A function that invokes the operations' handlers with API Gateway's proxy event. */
export async function loadApi<Op extends Extract<OperationId, FunctionName>>(
  ...operations: Op[]
): Promise<ApiCaller<Op>> {
  const handlerOf = await loadHandlers(operations);
  return (operation, options = {}) =>
    handlerOf(operation)(apiGatewayEvent(operation, options), lambdaContext(operation));
}
