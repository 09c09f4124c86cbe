/**
 * A request as API Gateway sees it before routing: headers with their names as sent, the query
 * string decoded, the stage prefix taken off the path.
 */
import type { IncomingMessage } from 'node:http';

/**
 * A record for names clients choose (query parameters, headers): without a prototype, so names such
 * as `constructor` or `__proto__` are plain keys.
 */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export interface ApiRequest {
  method: string;
  /** The path as requested (percent-encoded, without the query string). */
  rawPath: string;
  /** `rawPath` without the `/<stage>` prefix: what the resources are matched against. */
  path: string;
  /** Names as sent, the last value of each. */
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  /** Lower-case names, the last value of each (for lookups). */
  lowerHeaders: Record<string, string>;
  /** The query string as sent, without its `?`. */
  rawQuery: string;
  query: Record<string, string> | null;
  multiValueQuery: Record<string, string[]> | null;
  body: Buffer;
  sourceIp: string;
  /** The port the client reached (for X-Forwarded-Port). */
  localPort: number;
  receivedAt: Date;
}

function decodeQueryComponent(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function parseQuery(raw: string): Pick<ApiRequest, 'query' | 'multiValueQuery'> {
  if (raw === '') return { query: null, multiValueQuery: null };
  const query = dictionary<string>();
  const multiValueQuery = dictionary<string[]>();
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeQueryComponent(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : decodeQueryComponent(pair.slice(equals + 1));
    query[name] = value;
    (multiValueQuery[name] ??= []).push(value);
  }
  return Object.keys(query).length === 0
    ? { query: null, multiValueQuery: null }
    : { query, multiValueQuery };
}

function withoutStage(rawPath: string, stageName: string): string {
  const prefix = `/${stageName}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : rawPath;
}

export function parseApiRequest(
  request: IncomingMessage,
  body: Buffer,
  stageName: string,
): ApiRequest {
  const url = request.url ?? '/';
  const questionMark = url.indexOf('?');
  const rawPath = questionMark === -1 ? url : url.slice(0, questionMark);
  const headers = dictionary<string>();
  const multiValueHeaders = dictionary<string[]>();
  const lowerHeaders = dictionary<string>();
  const raw = request.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index] as string;
    const value = raw[index + 1] as string;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
    lowerHeaders[name.toLowerCase()] = value;
  }
  const rawQuery = questionMark === -1 ? '' : url.slice(questionMark + 1);
  const remote = request.socket.remoteAddress ?? '127.0.0.1';
  return {
    method: request.method ?? 'GET',
    rawPath,
    path: withoutStage(rawPath, stageName),
    headers,
    multiValueHeaders,
    lowerHeaders,
    rawQuery,
    ...parseQuery(rawQuery),
    body,
    sourceIp: remote.startsWith('::ffff:') ? remote.slice('::ffff:'.length) : remote,
    localPort: request.socket.localPort ?? 0,
    receivedAt: new Date(),
  };
}
