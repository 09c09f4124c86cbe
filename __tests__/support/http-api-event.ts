/**
 * HTTP API proxy events (payload format 2.0), shaped like AWS's documented example: header names
 * lower case and repeated values comma-joined, repeated query parameters comma-joined, cookies
 * apart, `requestContext.http`, and absent (not null) fields for what the request lacks. The
 * route comes from the operation in the OpenAPI document, as for the REST API's events.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FunctionName } from '../../handlers/environments';
import type { OperationId } from '../../handlers/lib/api-handler';
import { locateOperation } from '../../handlers/lib/request-validator';
import { expandPath, loadHandlers, TEST_ORIGIN } from './api-gateway-event';
import { lambdaContext } from './lambda-events';

const API_ID = 'r3pmxmplak';
const ACCOUNT_ID = '123456789012';
const DOMAIN = `${API_ID}.execute-api.eu-west-1.amazonaws.com`;

export interface HttpApiRequestOptions {
  pathParameters?: Record<string, string>;
  /** Each parameter's values, in order (a repeated parameter has several). */
  query?: Record<string, string[]>;
  headers?: Record<string, string>;
}

/** The 2.0 event API Gateway sends for `operationId`, as called from the website. */
export function httpApiEvent(
  operationId: OperationId,
  options: HttpApiRequestOptions = {},
): APIGatewayProxyEventV2 {
  const { method, path: template } = locateOperation(operationId);
  const httpMethod = method.toUpperCase();
  const routeKey = `${httpMethod} ${template}`;
  const pathParameters = options.pathParameters ?? {};
  const rawPath = expandPath(template, pathParameters);
  const query = Object.entries(options.query ?? {});
  const rawQueryString = query
    .flatMap(([name, values]) =>
      values.map((value) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`),
    )
    .join('&');
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers: {
      accept: 'application/json',
      'content-length': '0',
      host: DOMAIN,
      origin: TEST_ORIGIN,
      'user-agent': 'Mozilla/5.0 (jest)',
      'x-amzn-trace-id': `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...Object.fromEntries(
        Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      ),
    },
    ...(query.length > 0
      ? {
          queryStringParameters: Object.fromEntries(
            query.map(([name, values]) => [name, values.join(',')]),
          ),
        }
      : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: API_ID,
      domainName: DOMAIN,
      domainPrefix: API_ID,
      http: {
        method: httpMethod,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (jest)',
      },
      requestId: `${randomUUID().slice(0, 14)}=`,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

/** The structured 2.0 result a function gives (a handler of this app always says its status). */
export type HttpApiCaller<Op extends OperationId> = (
  operation: Op,
  options?: HttpApiRequestOptions,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** As loadApi, but the handlers are invoked through the HTTP API's 2.0 events. */
export async function loadHttpApi<Op extends Extract<OperationId, FunctionName>>(
  ...operations: Op[]
): Promise<HttpApiCaller<Op>> {
  const handlerOf = await loadHandlers(operations);
  return (operation, options = {}) =>
    handlerOf(operation)(httpApiEvent(operation, options), lambdaContext(operation));
}
