/**
 * The local API Gateway (REST API), driven entirely by the OpenAPI document the stack deploys:
 * routes, request validators, integrations (aws_proxy, aws service integrations and mock),
 * gateway responses and binary media types all come from it. Everything is compiled once at
 * creation (the resource tree, the validators, the templates), so a request costs a tree walk,
 * a validation and an invoke.
 *
 * The stage prefix (`/<stage>/items`) is accepted and stripped; the API also answers at the root.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointError, ErrorAnswer, ErrorShape } from '../edge/error-answers';
import { readBody, RequestTooLargeError } from '../edge/edge-service';
import { isObject } from '../../json';
import type { LocalLog } from '../../log';
import type { RestApiSpec } from '../../stack/topology';
import { parseApiRequest } from './api-request';
import { callAwsIntegration } from './aws-call';
import type { ApiRequest } from './api-request';
import { writeAnswer } from './gateway-answer';
import type { GatewayAnswer } from './gateway-answer';
import { failCall, unreadable } from './gateway-errors';
import { compileGatewayResponses } from './gateway-responses';
import type { GatewayError } from './gateway-responses';
import { compileRoutes, matchRoute } from './gateway-routes';
import { createBinaryMediaTypes, mediaTypeOf } from './media-types';
import type { MockIntegration, MockRequest } from './mock-integration';
import type { MappingSource } from './parameter-mappings';
import { createRouter } from './openapi-routes';
import { newExtendedRequestId, requestContextOf } from './proxy-event';
import type { RequestIds } from './proxy-event';
import { invokeProxy } from './proxy-integration';
import type {
  AwsServiceCaller,
  GatewayState,
  Integration,
  ProxyInvoker,
  RoutedCall,
} from './types';

export interface ApiGatewayOptions {
  api: RestApiSpec;
  functions: ProxyInvoker;
  /** What `aws` integrations call the local AWS endpoint through, as their roles. */
  services?: AwsServiceCaller;
  region: string;
  accountId: string;
  log: LocalLog;
  /** Integration timeout cap, default: the integration's timeoutInMillis or 29000. */
  integrationTimeoutMs?: number;
  /**
   * Whether the function's resource policy lets API Gateway invoke it for this route (IAM);
   * `method` is upper case or `ANY`, `resource` the path template. Every route by default.
   */
  mayInvoke?: (method: string, resource: string) => boolean;
}

export interface ApiGateway {
  handle(request: IncomingMessage, response: ServerResponse): void;
  /**
   * The errors its port answers before the gateway sees a request (malformed, too slow, headers
   * too large), as the gateway answers its own: DEFAULT_4XX or DEFAULT_5XX, with their headers.
   */
  errorShape: ErrorShape;
  routes: {
    method: string;
    path: string;
    operationId?: string;
    integration: Integration['kind'];
  }[];
}

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

export function createApiGateway(options: ApiGatewayOptions): ApiGateway {
  const gateway = compileGateway(options);
  return {
    handle: (request, response) => handle(gateway, request, response),
    errorShape: (error) => portErrorShape(gateway, error),
    routes: gateway.routes.map((route) => ({
      method: route.method,
      path: route.resource,
      ...(route.operationId ? { operationId: route.operationId } : {}),
      integration: route.integration.kind,
    })),
  };
}

/** Everything a request needs, compiled once from the document. */
function compileGateway(options: ApiGatewayOptions): GatewayState {
  const { api, log } = options;
  const document = api.body;
  const warn = (message: string): void => log.write('warn', 'api', message);
  const declaredResponses = document['x-amazon-apigateway-gateway-responses'];
  const responses = compileGatewayResponses(
    isObject(declaredResponses) ? declaredResponses : undefined,
    warn,
  );
  const isBinary = createBinaryMediaTypes(binaryMediaTypesOf(api));
  const routes = compileRoutes(api, options.integrationTimeoutMs, warn);
  return {
    functions: options.functions,
    services: options.services,
    log,
    mayInvoke: options.mayInvoke,
    identity: { apiId: api.id, accountId: options.accountId, stage: api.stageName },
    responses,
    isBinary,
    routes,
    router: createRouter(routes.map((route) => ({ ...route, value: route }))),
    base64Warned: new Set(),
  };
}

/** The API's binary media types: its own, and those its document declares. */
function binaryMediaTypesOf(api: RestApiSpec): string[] {
  const declared = api.body['x-amazon-apigateway-binary-media-types'];
  return [
    ...api.binaryMediaTypes,
    ...(Array.isArray(declared)
      ? declared.filter((type): type is string => typeof type === 'string')
      : []),
  ];
}

/** Answers a request, whatever happens on the way, and logs it. */
function handle(gateway: GatewayState, request: IncomingMessage, response: ServerResponse): void {
  const { log } = gateway;
  const started = performance.now();
  const ids: RequestIds = { requestId: randomUUID(), extendedRequestId: newExtendedRequestId() };
  serve(gateway, request, ids)
    .catch((error: unknown): GatewayAnswer => {
      log.write(
        'error',
        'api',
        `${request.method ?? ''} ${request.url ?? ''}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return unreadable(gateway, 500, 'Internal server error');
    })
    .then((answer) => {
      writeAnswer(response, answer, ids);
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const ms = (performance.now() - started).toFixed(1);
      // API Gateway's access log, on by default: one line per request (--quiet leaves it out).
      log.write('info', 'api', `${request.method ?? ''} ${path} ${answer.status} ${ms} ms`);
    })
    .catch((error: unknown) => {
      log.write('error', 'api', `could not answer ${request.url ?? ''}: ${String(error)}`);
      response.destroy();
    });
}

/** A request through the gateway: read, routed, validated, then given to its integration. */
async function serve(
  gateway: GatewayState,
  incoming: IncomingMessage,
  ids: RequestIds,
): Promise<GatewayAnswer> {
  const read = await readRequest(gateway, incoming);
  if (read.tooLarge) {
    const error: GatewayError = { type: 'REQUEST_TOO_LARGE', message: 'Request Too Long' };
    return failCall(gateway, error, { request: read.request, ids, pathParameters: null });
  }
  const { request } = read;
  const matched = matchRoute(gateway.router, request);
  if (!matched) {
    const error: GatewayError = {
      type: 'MISSING_AUTHENTICATION_TOKEN',
      message: 'Missing Authentication Token',
    };
    return failCall(gateway, error, { request, ids, pathParameters: null });
  }
  const call: RoutedCall = { request, ids, ...matched };
  const requestContext = requestContextOf(gateway.identity, request, ids, call.route);
  const source: MappingSource = {
    headers: request.lowerHeaders,
    query: request.query,
    pathParameters: call.pathParameters,
  };
  const mediaType = mediaTypeOf(request.lowerHeaders['content-type']);
  const invalid = call.route.validate?.({ ...source, mediaType, body: request.body });
  if (invalid) return gateway.responses.answer(invalid, requestContext, source);

  const { integration } = call.route;
  if (integration.kind === 'aws_proxy') {
    return invokeProxy(gateway, call, integration, requestContext);
  }
  if (integration.kind === 'aws') {
    return callAwsIntegration(gateway, call, integration, requestContext);
  }
  const variables = { context: requestContext, stageVariables: {} };
  return answerMock(gateway, call, integration.mock, { mediaType, source, variables });
}

/** The request with its body; a body over API Gateway's limit is left out and said. */
async function readRequest(
  gateway: GatewayState,
  incoming: IncomingMessage,
): Promise<{ request: ApiRequest; tooLarge: boolean }> {
  const body = await readBody(incoming, MAX_BODY_BYTES).catch((error: unknown) => {
    if (error instanceof RequestTooLargeError) return undefined;
    throw error;
  });
  const request = parseApiRequest(incoming, body ?? EMPTY, gateway.identity.stage);
  return { request, tooLarge: body === undefined };
}

/** A mock integration's answer: the integration response its template selects. */
function answerMock(
  gateway: GatewayState,
  call: RoutedCall,
  mock: MockIntegration,
  request: MockRequest,
): GatewayAnswer {
  const answer = mock.answer(request);
  if (answer) return answer;
  const { route } = call;
  gateway.log.write(
    'error',
    'api',
    `${route.method} ${route.resource}: no mock integration response matches and none is the default`,
  );
  const error: GatewayError = { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' };
  return failCall(gateway, error, call);
}

/** The port's own errors, as the gateway answers a request it could not read. */
function portErrorShape(gateway: GatewayState, { status, message }: EndpointError): ErrorAnswer {
  const answer = unreadable(gateway, status, message);
  return {
    status: answer.status,
    headers: [
      ...answer.headers,
      ...(answer.errorType ? [['x-amzn-ErrorType', answer.errorType] as [string, string]] : []),
    ],
    body: answer.body,
  };
}
