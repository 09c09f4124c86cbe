/**
 * The local HTTP API (API Gateway v2, Lambda proxy integrations), driven by the stack's
 * aws_apigatewayv2_* resources: route keys, payload format 2.0 events and responses, the
 * built-in CORS, `{"message"}` answers of its own (404 for a route it does not have, 500 when a
 * function fails or may not be invoked, 503 when it times out, 413 for a body over 10 MB).
 *
 * The stage is served at the root, as a $default stage is, or (path-style, `stageInPath`) after
 * `/<stage>`, which a named stage's events keep in `rawPath` and `requestContext.http.path` as
 * AWS's do, while routes are matched without it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointError, ErrorAnswer, ErrorShape } from '../edge/error-answers';
import { readBody, RequestTooLargeError } from '../edge/edge-service';
import type { LocalLog } from '../../log';
import type { HttpApiRouteSpec, HttpApiSpec } from '../../stack/topology';
import { parseApiRequest } from '../api-gateway/api-request';
import type { ApiRequest } from '../api-gateway/api-request';
import { newExtendedRequestId } from '../api-gateway/proxy-event';
import { invokeFailureReason, invokeWithTimeout } from '../api-gateway/proxy-integration';
import type { ProxyInvoker } from '../api-gateway/types';
import { isPreflight, preflightAnswer, withCorsHeaders } from './cors';
import {
  entityTooLarge,
  internalServerError,
  notFound,
  serviceUnavailable,
  writeHttpAnswer,
} from './http-answers';
import { payloadV2EventOf } from './payload-v2-event';
import { payloadV2AnswerOf } from './payload-v2-response';
import { compileRouteKeys } from './route-keys';
import type { HttpAnswer, HttpApiState, MatchedRoute } from './types';

export interface HttpApiOptions {
  api: HttpApiSpec;
  functions: ProxyInvoker;
  accountId: string;
  log: LocalLog;
  /** Whether the function's resource policy lets API Gateway invoke it for a route (IAM). */
  mayInvoke?: (routeKey: string) => boolean;
  /** Whether request paths start with `/<stage>` (a named stage's invoke URL); default false. */
  stageInPath?: boolean;
}

export interface HttpApi {
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** The port's own errors (malformed, too slow), in the API's `{"message"}` with its CORS. */
  errorShape: ErrorShape;
}

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function createHttpApi(options: HttpApiOptions): HttpApi {
  const { api, log } = options;
  for (const route of api.routes.filter((each) => each.payloadFormatVersion !== '2.0')) {
    log.write(
      'warn',
      'http-api',
      `${route.routeKey}: payload format 1.0 is not emulated on HTTP APIs; it answers 500`,
    );
  }
  const state: HttpApiState = {
    identity: { apiId: api.id, accountId: options.accountId, stage: api.stageName },
    functions: options.functions,
    log,
    cors: api.cors,
    match: compileRouteKeys(api.routes),
    mayInvoke: options.mayInvoke,
    pathStage: options.stageInPath ? api.stageName : '',
  };
  return {
    handle: (request, response) => handle(state, request, response),
    errorShape: (error) => portErrorShape(state, error),
  };
}

/** Answers a request, whatever happens on the way, and logs it. */
function handle(state: HttpApiState, incoming: IncomingMessage, response: ServerResponse): void {
  const started = performance.now();
  const requestId = newExtendedRequestId();
  const { log } = state;
  serve(state, incoming, requestId)
    .catch((error: unknown) => {
      log.write(
        'error',
        'http-api',
        `${incoming.method ?? ''} ${incoming.url ?? ''}: ${String(error)}`,
      );
      return withCors(state, incoming.headers.origin, internalServerError());
    })
    .then((answer) => {
      writeHttpAnswer(response, answer, requestId);
      const path = (incoming.url ?? '/').split('?')[0] ?? '/';
      const ms = (performance.now() - started).toFixed(1);
      // The HTTP API's access log, on by default as the REST API's: one line per request.
      log.write('info', 'http-api', `${incoming.method ?? ''} ${path} ${answer.status} ${ms} ms`);
    })
    .catch((error: unknown) => {
      log.write('error', 'http-api', `could not answer ${incoming.url ?? ''}: ${String(error)}`);
      response.destroy();
    });
}

/** Every answer but a preflight's carries the API's CORS headers, not the integration's. */
function withCors(state: HttpApiState, origin: string | undefined, answer: HttpAnswer): HttpAnswer {
  return state.cors ? withCorsHeaders(state.cors, origin, answer) : answer;
}

async function serve(
  state: HttpApiState,
  incoming: IncomingMessage,
  requestId: string,
): Promise<HttpAnswer> {
  const origin = incoming.headers.origin;
  const body = await readBody(incoming, MAX_BODY_BYTES).catch((error: unknown) => {
    if (error instanceof RequestTooLargeError) return undefined;
    throw error;
  });
  if (body === undefined) return withCors(state, origin, entityTooLarge());
  const request = parseApiRequest(incoming, body, state.pathStage);
  if (state.cors && isPreflight(request.method, request.lowerHeaders)) {
    return preflightAnswer(state.cors, origin);
  }
  const matched = state.match(request.method, request.path);
  if (!matched) return withCors(state, origin, notFound());
  return withCors(state, origin, await invoke(state, request, matched, requestId));
}

async function invoke(
  state: HttpApiState,
  request: ApiRequest,
  matched: MatchedRoute,
  requestId: string,
): Promise<HttpAnswer> {
  const { route } = matched;
  const fail = (reason: string, answer: HttpAnswer): HttpAnswer => {
    state.log.write(
      'error',
      'http-api',
      `${whoOf(route)}: ${reason}; API Gateway answers ${answer.status}`,
    );
    return answer;
  };
  if (route.payloadFormatVersion !== '2.0') {
    return fail('payload format 1.0 is not emulated', internalServerError());
  }
  if (state.mayInvoke && !state.mayInvoke(route.routeKey)) {
    return fail('Invalid permissions on Lambda function', internalServerError());
  }
  const event = payloadV2EventOf(state.identity, request, matched, requestId);
  let result;
  try {
    result = await invokeWithTimeout(state, route, event);
  } catch (error) {
    return fail(invokeFailureReason(error), internalServerError());
  }
  if (result === 'timeout') {
    return fail(`the integration timed out after ${route.timeoutMs} ms`, serviceUnavailable());
  }
  if (result.functionError)
    return fail(`the function failed: ${result.payload}`, internalServerError());
  return (
    payloadV2AnswerOf(result.payload) ??
    fail(`malformed Lambda response: ${result.payload.slice(0, 200)}`, internalServerError())
  );
}

function whoOf(route: HttpApiRouteSpec): string {
  return `${route.functionArn.split(':')[6] ?? route.functionArn} (${route.routeKey})`;
}

/** The port's own errors, as the API answers a request it could not read. */
function portErrorShape(state: HttpApiState, { status, message }: EndpointError): ErrorAnswer {
  return withCors(state, undefined, {
    status,
    headers: [['Content-Type', 'application/json']],
    body: JSON.stringify({ message }),
  });
}
