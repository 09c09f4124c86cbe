/**
 * The edge of the HTTP API (Lambda proxy integration, payload format 2.0): header names lower
 * case and repeated values comma-joined, as are repeated query parameters; fields the request
 * has none of are absent rather than null. The result says its status, so API Gateway infers
 * nothing from it.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiEdge } from './api-edge';

/** A payload format 2.0 event (1.0 events from a REST API have no version). */
export function isHttpApiEvent(event: object): event is APIGatewayProxyEventV2 {
  return (event as { version?: unknown }).version === '2.0';
}

export const httpApiEdge: ApiEdge<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
  request: (event) => ({
    headers: event.headers ?? null,
    pathParameters: event.pathParameters ?? null,
    queryStringParameters: event.queryStringParameters ?? null,
    body: event.body ?? null,
    isBase64Encoded: event.isBase64Encoded,
  }),
  response: ({ statusCode, headers, body }) => ({
    statusCode,
    headers,
    body,
    isBase64Encoded: false,
  }),
};
