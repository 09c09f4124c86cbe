/**
 * The answers the HTTP API gives itself, always `{"message": …}` as API Gateway words them, and
 * how every answer is written (with the `apigw-requestid` header HTTP APIs add).
 */
import type { ServerResponse } from 'node:http';
import type { HttpAnswer } from './types';

function message(status: number, text: string): HttpAnswer {
  return {
    status,
    headers: [['Content-Type', 'application/json']],
    body: JSON.stringify({ message: text }),
  };
}

export const notFound = (): HttpAnswer => message(404, 'Not Found');
export const internalServerError = (): HttpAnswer => message(500, 'Internal Server Error');
/** What an HTTP API answers when its integration times out. */
export const serviceUnavailable = (): HttpAnswer => message(503, 'Service Unavailable');
export const entityTooLarge = (): HttpAnswer => message(413, 'Request Entity Too Large');

export function writeHttpAnswer(
  response: ServerResponse,
  answer: HttpAnswer,
  requestId: string,
): void {
  if (response.headersSent || response.destroyed) return;
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  const grouped = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of answer.headers) {
    const entry = grouped.get(name.toLowerCase());
    if (entry) entry.values.push(value);
    else grouped.set(name.toLowerCase(), { name, values: [value] });
  }
  for (const { name, values } of grouped.values()) {
    response.setHeader(name, values.length === 1 ? (values[0] as string) : values);
  }
  response.setHeader('apigw-requestid', requestId);
  const bodiless = answer.status === 204 || answer.status === 304;
  if (!bodiless) response.setHeader('Content-Length', String(body.length));
  response.writeHead(answer.status);
  response.end(bodiless ? undefined : body);
}
