/**
 * The answers the gateway gives itself rather than an integration, in the shapes of the API's
 * gateway responses (their status, headers such as CORS, and templates).
 */
import type { GatewayAnswer } from './gateway-answer';
import type { GatewayError } from './gateway-responses';
import { requestContextOf } from './proxy-event';
import type { GatewayCall, GatewayState } from './types';

/** The answer to an error met on a request, with what is known of it so far. */
export function failCall(
  gateway: GatewayState,
  error: GatewayError,
  call: GatewayCall,
): GatewayAnswer {
  const { request, ids, route, pathParameters } = call;
  const requestContext = requestContextOf(gateway.identity, request, ids, route);
  return gateway.responses.answer(error, requestContext, {
    headers: request.lowerHeaders,
    query: request.query,
    pathParameters,
  });
}

/** The answer to a request the gateway could not read at all: DEFAULT_4XX or DEFAULT_5XX. */
export function unreadable(gateway: GatewayState, status: number, message: string): GatewayAnswer {
  return gateway.responses.answer(
    { type: status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX', status, message },
    {},
    { headers: {}, query: {}, pathParameters: null },
  );
}
