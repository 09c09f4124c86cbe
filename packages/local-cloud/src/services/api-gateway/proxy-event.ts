/**
 * The Lambda proxy integration's event (payload format 1.0), shaped field for field like the
 * events API Gateway REST APIs send, including the headers API Gateway adds on its way
 * (X-Forwarded-*, X-Amzn-Trace-Id).
 */
import { randomFillSync } from 'node:crypto';
import { dictionary } from './api-request';
import type { ApiRequest } from './api-request';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** `26/Nov/2026:15:09:40 +0000`, the format of `requestContext.requestTime`. */
export function requestTimeOf(date: Date): string {
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()] ?? ''}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

// Random ids for every request: drawn from a pool, since each randomBytes call costs microseconds.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomSlice(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += size;
  return pool.subarray(poolOffset - size, poolOffset);
}

/** An X-Ray trace header, as API Gateway adds when the client sent none. */
export function traceId(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000).toString(16);
  return `Root=1-${seconds}-${randomSlice(12).toString('hex')}`;
}

export interface ApiIdentity {
  apiId: string;
  accountId: string;
  stage: string;
}

export interface RequestIds {
  requestId: string;
  /** API Gateway's own id, e.g. `JJbxmplHYosFVYQ=` (also the x-amz-apigw-id header). */
  extendedRequestId: string;
}

export function newExtendedRequestId(): string {
  return randomSlice(11).toString('base64');
}

/** `requestContext`, also what gateway response templates read as `$context`. */
export function requestContextOf(
  api: ApiIdentity,
  request: ApiRequest,
  ids: RequestIds,
  route: { resource: string; resourceId: string } | undefined,
): Record<string, unknown> {
  const host = request.lowerHeaders.host ?? '';
  const domainName = host.replace(/:\d+$/, '');
  return {
    resourceId: route?.resourceId ?? '',
    resourcePath: route?.resource ?? '',
    httpMethod: request.method,
    extendedRequestId: ids.extendedRequestId,
    requestTime: requestTimeOf(request.receivedAt),
    path: `/${api.stage}${request.path}`,
    accountId: api.accountId,
    protocol: 'HTTP/1.1',
    stage: api.stage,
    domainPrefix: domainName.split('.')[0] ?? '',
    requestTimeEpoch: request.receivedAt.getTime(),
    requestId: ids.requestId,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      apiKey: null,
      apiKeyId: null,
      accessKey: null,
      sourceIp: request.sourceIp,
      principalOrgId: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: request.lowerHeaders['user-agent'] ?? null,
      user: null,
      clientCert: null,
    },
    domainName,
    apiId: api.apiId,
  };
}

const ADDED = new Set(['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto']);

/** The headers API Gateway adds, merged into the client's (names as API Gateway spells them). */
function forwardedHeaders(request: ApiRequest): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const headers = dictionary<string>();
  const multiValueHeaders = dictionary<string[]>();
  for (const name in request.headers) {
    if (ADDED.has(name.toLowerCase())) continue;
    headers[name] = request.headers[name] as string;
    multiValueHeaders[name] = request.multiValueHeaders[name] as string[];
  }
  const forwardedFor = request.lowerHeaders['x-forwarded-for'];
  const added: [string, string][] = [
    ['X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp],
    ['X-Forwarded-Port', String(request.localPort)],
    ['X-Forwarded-Proto', 'http'],
  ];
  if (!request.lowerHeaders['x-amzn-trace-id']) {
    added.push(['X-Amzn-Trace-Id', traceId(request.receivedAt)]);
  }
  for (const [name, value] of added) {
    headers[name] = value;
    multiValueHeaders[name] = [value];
  }
  return { headers, multiValueHeaders };
}

export function proxyEventOf(options: {
  request: ApiRequest;
  resource: string;
  pathParameters: Record<string, string>;
  requestContext: Record<string, unknown>;
  /** Whether the body goes base64-encoded (its media type is one of the binary media types). */
  binary: boolean;
}): Record<string, unknown> {
  const { request, resource, pathParameters, requestContext, binary } = options;
  const { headers, multiValueHeaders } = forwardedHeaders(request);
  const hasBody = request.body.length > 0;
  return {
    resource,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: request.query,
    multiValueQueryStringParameters: request.multiValueQuery,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
    stageVariables: null,
    requestContext,
    body: hasBody ? request.body.toString(binary ? 'base64' : 'utf8') : null,
    isBase64Encoded: hasBody && binary,
  };
}
