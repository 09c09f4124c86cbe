/**
 * The Lambda proxy integration's event of an HTTP API (payload format 2.0), field for field as
 * AWS documents it: header names lower case and repeated headers comma-joined, cookies in their
 * own list, repeated query parameters comma-joined, `requestContext.http`, and fields the request
 * has none of left out rather than null.
 */
import type { ApiRequest } from '../api-gateway/api-request';
import { dictionary } from '../api-gateway/api-request';
import { mediaTypeOf } from '../api-gateway/media-types';
import { requestTimeOf, traceId } from '../api-gateway/proxy-event';
import type { HttpApiIdentity, MatchedRoute } from './types';

/** Bodies API Gateway passes as text; any other media type arrives base64-encoded. */
function isTextual(mediaType: string | undefined): boolean {
  if (mediaType === undefined) return true;
  return (
    mediaType.startsWith('text/') ||
    /[/+](json|xml|javascript)$/.test(mediaType) ||
    mediaType === 'application/x-www-form-urlencoded'
  );
}

/** Lower-case names, repeated values joined with commas; cookies apart, as 2.0 has them. */
function headersOf(request: ApiRequest): { headers: Record<string, string>; cookies: string[] } {
  const headers = dictionary<string>();
  const cookies: string[] = [];
  for (const [name, values] of Object.entries(request.multiValueHeaders)) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      cookies.push(...values.flatMap((value) => value.split(/;\s*/)).filter(Boolean));
      continue;
    }
    headers[lower] =
      headers[lower] === undefined ? values.join(',') : `${headers[lower]},${values.join(',')}`;
  }
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor
    ? `${forwardedFor}, ${request.sourceIp}`
    : request.sourceIp;
  headers['x-forwarded-port'] = String(request.localPort);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= traceId(request.receivedAt);
  return { headers, cookies };
}

function queryOf(request: ApiRequest): Record<string, string> | undefined {
  if (!request.multiValueQuery) return undefined;
  const query = dictionary<string>();
  for (const [name, values] of Object.entries(request.multiValueQuery))
    query[name] = values.join(',');
  return query;
}

export function payloadV2EventOf(
  identity: HttpApiIdentity,
  request: ApiRequest,
  matched: MatchedRoute,
  requestId: string,
): Record<string, unknown> {
  const { headers, cookies } = headersOf(request);
  const query = queryOf(request);
  const domainName = (request.lowerHeaders.host ?? '').replace(/:\d+$/, '');
  const hasBody = request.body.length > 0;
  const textual = isTextual(mediaTypeOf(request.lowerHeaders['content-type']));
  const { routeKey } = matched.route;
  return {
    version: '2.0',
    routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: identity.accountId,
      apiId: identity.apiId,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? '',
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: request.lowerHeaders['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: identity.stage,
      time: requestTimeOf(request.receivedAt),
      timeEpoch: request.receivedAt.getTime(),
    },
    ...(hasBody ? { body: request.body.toString(textual ? 'utf8' : 'base64') } : {}),
    ...(Object.keys(matched.pathParameters).length > 0
      ? { pathParameters: matched.pathParameters }
      : {}),
    isBase64Encoded: hasBody && !textual,
  };
}
