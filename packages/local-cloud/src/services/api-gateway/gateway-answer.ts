import type { ServerResponse } from 'node:http';

/** A response the gateway writes: headers keep their case and may repeat (multi-value). */
export interface GatewayAnswer {
  status: number;
  headers: [name: string, value: string][];
  body: Buffer | string;
  /** `x-amzn-ErrorType`, for answers API Gateway gives itself rather than an integration. */
  errorType?: string;
}

/**
 * Writes an answer with the headers API Gateway adds to every response. Multi-value headers are
 * written as separate header lines, as API Gateway does.
 */
export function writeAnswer(
  response: ServerResponse,
  answer: GatewayAnswer,
  ids: { requestId: string; extendedRequestId: string },
): void {
  if (response.headersSent || response.destroyed) return;
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  const grouped = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of answer.headers) {
    const key = name.toLowerCase();
    const entry = grouped.get(key);
    if (entry) entry.values.push(value);
    else grouped.set(key, { name, values: [value] });
  }
  for (const { name, values } of grouped.values()) {
    response.setHeader(name, values.length === 1 ? (values[0] as string) : values);
  }
  response.setHeader('x-amzn-RequestId', ids.requestId);
  response.setHeader('x-amz-apigw-id', ids.extendedRequestId);
  if (answer.errorType) response.setHeader('x-amzn-ErrorType', answer.errorType);
  // These statuses have no body (Node would drop it), so no Content-Length either.
  const bodiless = answer.status === 204 || answer.status === 304;
  if (!bodiless) response.setHeader('Content-Length', String(body.length));
  response.writeHead(answer.status);
  response.end(bodiless ? undefined : body);
}
