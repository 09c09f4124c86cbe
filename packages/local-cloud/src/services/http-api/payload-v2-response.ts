/**
 * What an HTTP API makes of a function's result in payload format 2.0. A result with a
 * `statusCode` is a response: `headers`, `cookies` (each a Set-Cookie), `body`,
 * `isBase64Encoded`. Any other valid JSON is the body of a 200 `application/json` answer (a string
 * as it is, anything else as its JSON), as AWS infers it. A malformed response is undefined: the
 * API answers 500.
 */
import { isObject } from '../../json';
import type { HttpAnswer } from './types';

/** Headers Node writes itself from the body; a function's own would contradict it. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection']);

function statusOf(value: unknown): number | undefined {
  const status = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
    ? status
    : undefined;
}

function headersOf(value: unknown): [string, string][] | undefined {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) return undefined;
  const headers: [string, string][] = [];
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'object' && item !== null) return undefined;
    if (!FRAMING.has(name.toLowerCase()) && item !== null) headers.push([name, String(item)]);
  }
  return headers;
}

function cookiesOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) && value.every((cookie) => typeof cookie === 'string')
    ? value
    : undefined;
}

function structured(result: Record<string, unknown>): HttpAnswer | undefined {
  const status = statusOf(result.statusCode);
  const headers = headersOf(result.headers);
  const cookies = cookiesOf(result.cookies);
  const { body } = result;
  if (status === undefined || !headers || !cookies) return undefined;
  if (body !== undefined && body !== null && typeof body !== 'string') return undefined;
  const text = typeof body === 'string' ? body : '';
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) {
    headers.push(['Content-Type', 'application/json']);
  }
  for (const cookie of cookies) headers.push(['Set-Cookie', cookie]);
  return {
    status,
    headers,
    body: result.isBase64Encoded === true ? Buffer.from(text, 'base64') : text,
  };
}

export function payloadV2AnswerOf(payload: string): HttpAnswer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (isObject(value) && value.statusCode !== undefined) return structured(value);
  return {
    status: 200,
    headers: [['Content-Type', 'application/json']],
    body: typeof value === 'string' ? value : payload,
  };
}
