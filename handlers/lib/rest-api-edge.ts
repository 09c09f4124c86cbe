/**
 * The edge of the REST API (Lambda proxy integration, payload format 1.0): headers as the client
 * sent their names, the last value of a repeated query parameter.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiEdge } from './api-edge';

export const restApiEdge: ApiEdge<APIGatewayProxyEvent, APIGatewayProxyResult> = {
  request: (event) => ({
    headers: event.headers,
    pathParameters: event.pathParameters,
    queryStringParameters: event.queryStringParameters,
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
  }),
  response: ({ statusCode, headers, body }) => ({ statusCode, headers, body }),
};
