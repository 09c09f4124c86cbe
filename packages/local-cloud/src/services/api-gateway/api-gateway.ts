/**
 * The local API Gateway (REST API, Lambda proxy integrations), driven entirely by the OpenAPI
 * document the stack deploys: routes, request validators, integrations (aws_proxy and mock),
 * gateway responses and binary media types all come from it. Everything is compiled once at
 * creation (the resource tree, the validators, the templates), so a request costs a tree walk,
 * a validation and an invoke.
 *
 * The stage prefix (`/<stage>/items`) is accepted and stripped; the API also answers at the root.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorShape } from '../edge/error-answers';
import type { LocalLog } from '../../log';
import type { RestApiSpec } from '../../stack/topology';
import { parseApiRequest } from './api-request';
import type { ApiRequest } from './api-request';
import { writeAnswer } from './gateway-answer';
import type { GatewayAnswer } from './gateway-answer';
import { compileGatewayResponses } from './gateway-responses';
import type { GatewayError } from './gateway-responses';
import { createBinaryMediaTypes, mediaTypeOf } from './media-types';
import { compileMockIntegration } from './mock-integration';
import type { MockIntegration } from './mock-integration';
import { createRouter, operationsOf } from './openapi-routes';
import type { MappingSource } from './parameter-mappings';
import { newExtendedRequestId, proxyEventOf, requestContextOf } from './proxy-event';
import type { RequestIds } from './proxy-event';
import { parseProxyResult, proxyAnswerOf } from './proxy-response';
import { compileRequestValidator, createSchemaCompiler } from './request-validation';
import type { RequestValidator } from './request-validation';
import { InvokeError } from '../lambda/invoke-error';
import { readBody, RequestTooLargeError } from '../edge/edge-service';
import { isObject } from '../../json';

/**
 * What the gateway needs from the Lambda runtime (FunctionRuntime satisfies it structurally).
 * `invoke` rejects with an InvokeError when Lambda refuses the invocation (a throttle); aborting
 * `signal` withdraws an invocation that still waits for a sandbox.
 */
export interface ProxyInvoker {
  invoke(
    functionArn: string,
    event: unknown,
    options?: { signal?: AbortSignal },
  ): Promise<{ payload: string; functionError?: string }>;
}

export interface ApiGatewayOptions {
  api: RestApiSpec;
  functions: ProxyInvoker;
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
    integration: 'aws_proxy' | 'mock';
  }[];
}

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 29000;
const EMPTY = Buffer.alloc(0);

type Integration =
  | { kind: 'aws_proxy'; functionArn: string; functionName: string; timeoutMs: number }
  | { kind: 'mock'; mock: MockIntegration };

interface Route {
  method: string;
  resource: string;
  resourceId: string;
  operationId?: string;
  integration: Integration;
  validate?: RequestValidator;
}

/** Resource ids look like API Gateway's (`2gxmpl`) and stay the same across boots. */
function resourceIdOf(apiId: string, resource: string): string {
  const hash = createHash('sha1').update(`${apiId}${resource}`).digest();
  return hash.readUInt32BE(0).toString(36).padStart(6, '0').slice(0, 6);
}

/**
 * The function an `x-amazon-apigateway-integration` invokes, from its uri
 * (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`).
 */
export function integrationFunctionArn(integration: unknown): string | undefined {
  if (!isObject(integration) || typeof integration.uri !== 'string') return undefined;
  return /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(integration.uri)?.[1];
}

function compileIntegration(
  integration: unknown,
  label: string,
  timeoutCap: number | undefined,
  warn: (message: string) => void,
): Integration {
  if (!isObject(integration)) {
    throw new Error(`OpenAPI: ${label} has no x-amazon-apigateway-integration`);
  }
  const type = typeof integration.type === 'string' ? integration.type.toLowerCase() : '';
  if (type === 'mock')
    return { kind: 'mock', mock: compileMockIntegration(integration, label, warn) };
  if (type !== 'aws_proxy') {
    throw new Error(
      `OpenAPI: ${label} uses a "${type}" integration; the local API Gateway emulates aws_proxy (Lambda) and mock`,
    );
  }
  const functionArn = integrationFunctionArn(integration);
  if (!functionArn) {
    throw new Error(
      `OpenAPI: ${label} has no Lambda invocation uri (${JSON.stringify(integration.uri ?? null)})`,
    );
  }
  const declared =
    typeof integration.timeoutInMillis === 'number'
      ? integration.timeoutInMillis
      : DEFAULT_TIMEOUT_MS;
  return {
    kind: 'aws_proxy',
    functionArn,
    functionName: functionArn.split(':')[6] ?? functionArn,
    timeoutMs: timeoutCap === undefined ? declared : Math.min(declared, timeoutCap),
  };
}

/** `errorType: errorMessage` of a function error payload, or the payload itself. */
function describeFunctionError(payload: string): string {
  try {
    const error = JSON.parse(payload) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof error.errorMessage === 'string') {
      return typeof error.errorType === 'string'
        ? `${error.errorType}: ${error.errorMessage}`
        : error.errorMessage;
    }
  } catch {
    // Not JSON: the payload says it best.
  }
  return payload;
}

export function createApiGateway(options: ApiGatewayOptions): ApiGateway {
  const { api, functions, log } = options;
  const document = api.body;
  const warn = (message: string): void => log.write('warn', 'api', message);
  const gatewayResponses = compileGatewayResponses(
    isObject(document['x-amazon-apigateway-gateway-responses'])
      ? document['x-amazon-apigateway-gateway-responses']
      : undefined,
    warn,
  );
  const declaredBinary = document['x-amazon-apigateway-binary-media-types'];
  const isBinary = createBinaryMediaTypes([
    ...api.binaryMediaTypes,
    ...(Array.isArray(declaredBinary)
      ? declaredBinary.filter((type): type is string => typeof type === 'string')
      : []),
  ]);
  const compiler = createSchemaCompiler(document);
  const identity = { apiId: api.id, accountId: options.accountId, stage: api.stageName };

  const routes: Route[] = operationsOf(document).map(
    ({ method, resource, pathItem, operation }) => {
      const label = `${method} ${resource}`;
      const validate = compileRequestValidator({ document, pathItem, operation, compiler, label });
      return {
        method,
        resource,
        resourceId: resourceIdOf(api.id, resource),
        ...(operation.operationId ? { operationId: operation.operationId } : {}),
        integration: compileIntegration(
          operation['x-amazon-apigateway-integration'],
          label,
          options.integrationTimeoutMs,
          warn,
        ),
        ...(validate ? { validate } : {}),
      };
    },
  );
  const router = createRouter(routes.map((route) => ({ ...route, value: route })));
  const base64Warned = new Set<string>();

  function fail(
    error: GatewayError,
    request: ApiRequest,
    ids: RequestIds,
    route?: Route,
    pathParameters: Record<string, string> | null = null,
  ): GatewayAnswer {
    return gatewayResponses.answer(error, requestContextOf(identity, request, ids, route), {
      headers: request.lowerHeaders,
      query: request.query,
      pathParameters,
    });
  }

  async function invokeWithTimeout(
    integration: Extract<Integration, { kind: 'aws_proxy' }>,
    event: unknown,
  ): Promise<{ payload: string; functionError?: string } | 'timeout'> {
    // Giving up also withdraws an invocation still waiting for a sandbox: nobody would read it.
    const gaveUp = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        gaveUp.abort(new Error('API Gateway gave up on the integration'));
        resolve('timeout');
      }, integration.timeoutMs);
    });
    const invocation = functions.invoke(integration.functionArn, event, { signal: gaveUp.signal });
    try {
      return await Promise.race([invocation, timeout]);
    } finally {
      clearTimeout(timer);
      // A rejection after the timeout (the withdrawal itself) has nobody left to answer.
      invocation.catch(() => undefined);
    }
  }

  async function proxy(
    route: Route,
    integration: Extract<Integration, { kind: 'aws_proxy' }>,
    request: ApiRequest,
    ids: RequestIds,
    pathParameters: Record<string, string>,
    requestContext: Record<string, unknown>,
  ): Promise<GatewayAnswer> {
    const event = proxyEventOf({
      request,
      resource: route.resource,
      pathParameters,
      requestContext,
      binary: isBinary(mediaTypeOf(request.lowerHeaders['content-type'])),
    });
    const who = `${integration.functionName} (${route.method} ${route.resource})`;
    const internalError = (reason: string, status = 502): GatewayAnswer => {
      log.write('error', 'api', `${who}: ${reason}; API Gateway answers ${status}`);
      return fail(
        { type: 'DEFAULT_5XX', status, message: 'Internal server error' },
        request,
        ids,
        route,
        pathParameters,
      );
    };
    if (options.mayInvoke && !options.mayInvoke(route.method, route.resource)) {
      return internalError(
        'Execution failed due to configuration error: Invalid permissions on Lambda function',
        500,
      );
    }
    let result: { payload: string; functionError?: string } | 'timeout';
    try {
      result = await invokeWithTimeout(integration, event);
    } catch (error) {
      // Lambda refused the invocation (a throttle, a payload too large): API Gateway answers 500
      // without passing Lambda's status on; a function that ran and failed is a 502.
      if (error instanceof InvokeError) {
        return internalError(
          `Lambda invocation failed with status: ${error.statusCode} (${error.type}: ${error.message})`,
          500,
        );
      }
      return internalError(`the invocation failed: ${(error as Error).message ?? String(error)}`);
    }
    if (result === 'timeout') {
      log.write(
        'error',
        'api',
        `${who}: Execution failed: the integration timed out after ${integration.timeoutMs} ms; API Gateway answers 504`,
      );
      return fail(
        { type: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out' },
        request,
        ids,
        route,
        pathParameters,
      );
    }
    if (result.functionError) {
      return internalError(`the function failed: ${describeFunctionError(result.payload)}`);
    }
    const parsed = parseProxyResult(result.payload);
    if ('malformed' in parsed) {
      return internalError(`Malformed Lambda proxy response: ${parsed.malformed}`);
    }
    const { answer, base64AsText } = proxyAnswerOf(parsed, request.lowerHeaders.accept, isBinary);
    if (base64AsText && !base64Warned.has(integration.functionArn)) {
      base64Warned.add(integration.functionArn);
      warn(
        `${who} returned isBase64Encoded, but neither its Content-Type nor the request's Accept is a binary media type of the API: API Gateway sends the base64 text as is`,
      );
    }
    return answer;
  }

  async function serve(incoming: IncomingMessage, ids: RequestIds): Promise<GatewayAnswer> {
    const body = await readBody(incoming, MAX_BODY_BYTES).catch((error: unknown) => {
      if (error instanceof RequestTooLargeError) return undefined;
      throw error;
    });
    const request = parseApiRequest(incoming, body ?? EMPTY, api.stageName);
    if (body === undefined) {
      return fail({ type: 'REQUEST_TOO_LARGE', message: 'Request Too Long' }, request, ids);
    }
    const match = router.match(request.path);
    const route = match && (match.methods.get(request.method) ?? match.methods.get('ANY'));
    if (!match || !route) {
      return fail(
        { type: 'MISSING_AUTHENTICATION_TOKEN', message: 'Missing Authentication Token' },
        request,
        ids,
      );
    }
    const { pathParameters } = match;
    const requestContext = requestContextOf(identity, request, ids, route);
    const source: MappingSource = {
      headers: request.lowerHeaders,
      query: request.query,
      pathParameters,
    };
    const mediaType = mediaTypeOf(request.lowerHeaders['content-type']);
    const invalid = route.validate?.({
      headers: request.lowerHeaders,
      query: request.query,
      pathParameters,
      mediaType,
      body: request.body,
    });
    if (invalid) return gatewayResponses.answer(invalid, requestContext, source);

    const { integration } = route;
    if (integration.kind === 'aws_proxy') {
      return proxy(route, integration, request, ids, pathParameters, requestContext);
    }
    const answer = integration.mock.answer({
      mediaType,
      source,
      variables: { context: requestContext, stageVariables: {} },
    });
    if (answer) return answer;
    log.write(
      'error',
      'api',
      `${route.method} ${route.resource}: no mock integration response matches and none is the default`,
    );
    return fail(
      { type: 'API_CONFIGURATION_ERROR', message: 'Internal server error' },
      request,
      ids,
      route,
      pathParameters,
    );
  }

  /** An answer of the gateway's own, to a request it could not read. */
  function unreadable(status: number, message: string): GatewayAnswer {
    return gatewayResponses.answer(
      { type: status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX', status, message },
      {},
      { headers: {}, query: {}, pathParameters: null },
    );
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const started = performance.now();
    const ids: RequestIds = { requestId: randomUUID(), extendedRequestId: newExtendedRequestId() };
    serve(request, ids)
      .catch((error: unknown): GatewayAnswer => {
        log.write(
          'error',
          'api',
          `${request.method ?? ''} ${request.url ?? ''}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return unreadable(500, 'Internal server error');
      })
      .then((answer) => {
        writeAnswer(response, answer, ids);
        const path = (request.url ?? '/').split('?')[0] ?? '/';
        const ms = (performance.now() - started).toFixed(1);
        log.write('debug', 'api', `${request.method ?? ''} ${path} ${answer.status} ${ms} ms`);
      })
      .catch((error: unknown) => {
        log.write('error', 'api', `could not answer ${request.url ?? ''}: ${String(error)}`);
        response.destroy();
      });
  }

  return {
    handle,
    errorShape: ({ status, message }) => {
      const answer = unreadable(status, message);
      return {
        status: answer.status,
        headers: [
          ...answer.headers,
          ...(answer.errorType ? [['x-amzn-ErrorType', answer.errorType] as [string, string]] : []),
        ],
        body: answer.body,
      };
    },
    routes: routes.map((route) => ({
      method: route.method,
      path: route.resource,
      ...(route.operationId ? { operationId: route.operationId } : {}),
      integration: route.integration.kind,
    })),
  };
}
