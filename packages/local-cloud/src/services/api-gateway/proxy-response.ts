/**
 * What API Gateway makes of a Lambda proxy integration's result: `statusCode`, `headers` and
 * `multiValueHeaders` (merged), `body`, `isBase64Encoded`. Anything else is a "Malformed Lambda
 * proxy response", which the gateway answers with 502.
 */
import type { GatewayAnswer } from './gateway-answer';
import { acceptedMediaTypes, mediaTypeOf } from './media-types';

export interface ProxyResult {
  status: number;
  /** Merged headers, names as the function wrote them. */
  headers: [name: string, value: string][];
  body: string;
  isBase64Encoded: boolean;
}

type Malformed = { malformed: string };

/** The result, or why API Gateway would call it malformed. */
export function parseProxyResult(payload: string): ProxyResult | Malformed {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { malformed: 'the payload is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { malformed: 'the payload is not a JSON object' };
  }
  const result = value as Record<string, unknown>;
  const status = statusOf(result);
  if (typeof status !== 'number') return status;
  const headers = headersOf(result);
  if ('malformed' in headers) return headers;
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') {
    return { malformed: 'body is not a string' };
  }
  if (
    result.isBase64Encoded !== undefined &&
    result.isBase64Encoded !== null &&
    typeof result.isBase64Encoded !== 'boolean'
  ) {
    return { malformed: 'isBase64Encoded is not a boolean' };
  }
  return {
    status,
    headers,
    body: typeof result.body === 'string' ? result.body : '',
    isBase64Encoded: result.isBase64Encoded === true,
  };
}

function statusOf(result: Record<string, unknown>): number | Malformed {
  // AWS's own blueprints return statusCode as a string: API Gateway takes a number in either form.
  const status =
    typeof result.statusCode === 'string' && /^\d+$/.test(result.statusCode)
      ? Number(result.statusCode)
      : result.statusCode;
  if (status === undefined) return { malformed: 'statusCode is missing' };
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return { malformed: `statusCode ${JSON.stringify(result.statusCode)} is not an HTTP status` };
  }
  return status;
}

/** `multiValueHeaders` and `headers`, merged. */
function headersOf(result: Record<string, unknown>): [string, string][] | Malformed {
  const headers: [string, string][] = [];
  if (result.multiValueHeaders !== undefined && result.multiValueHeaders !== null) {
    if (typeof result.multiValueHeaders !== 'object' || Array.isArray(result.multiValueHeaders)) {
      return { malformed: 'multiValueHeaders is not an object' };
    }
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      if (!Array.isArray(values) || !values.every((item) => typeof item === 'string')) {
        return { malformed: `multiValueHeaders.${name} is not a list of strings` };
      }
      for (const item of values) headers.push([name, item]);
    }
  }
  if (result.headers !== undefined && result.headers !== null) {
    if (typeof result.headers !== 'object' || Array.isArray(result.headers)) {
      return { malformed: 'headers is not an object' };
    }
    for (const [name, item] of Object.entries(result.headers)) {
      if (typeof item !== 'string') return { malformed: `headers.${name} is not a string` };
      // A pair given in both only appears once (multiValueHeaders wins).
      const lower = name.toLowerCase();
      if (!headers.some(([other, value]) => other.toLowerCase() === lower && value === item)) {
        headers.push([name, item]);
      }
    }
  }
  return headers;
}

/** Response headers API Gateway does not pass on as they are, but as `x-amzn-Remapped-<name>`. */
const REMAPPED = new Set([
  'authorization',
  'connection',
  'date',
  'expect',
  'host',
  'max-forwards',
  'proxy-authenticate',
  'server',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'www-authenticate',
]);

export interface ProxyAnswer {
  answer: GatewayAnswer;
  /** Set when a base64 body goes out as text because no binary media type matches. */
  base64AsText: boolean;
}

/**
 * The HTTP response for a proxy result. A base64 body is decoded only when the response's
 * Content-Type or one of the request's Accept types is a binary media type: otherwise API
 * Gateway sends the base64 text itself, a classic surprise this keeps visible locally.
 */
export function proxyAnswerOf(
  result: ProxyResult,
  accept: string | undefined,
  isBinary: (mediaType: string | undefined) => boolean,
): ProxyAnswer {
  const headers: [string, string][] = [];
  let contentType: string | undefined;
  for (const [name, value] of result.headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-length') continue;
    if (lower === 'content-type') contentType = value;
    headers.push(REMAPPED.has(lower) ? [`x-amzn-Remapped-${name}`, value] : [name, value]);
  }
  if (contentType === undefined) headers.push(['Content-Type', 'application/json']);
  if (!result.isBase64Encoded) {
    return { answer: { status: result.status, headers, body: result.body }, base64AsText: false };
  }
  const binary =
    isBinary(mediaTypeOf(contentType ?? 'application/json')) ||
    acceptedMediaTypes(accept).some((type) => isBinary(type));
  return {
    answer: {
      status: result.status,
      headers,
      body: binary ? Buffer.from(result.body, 'base64') : result.body,
    },
    base64AsText: !binary,
  };
}
