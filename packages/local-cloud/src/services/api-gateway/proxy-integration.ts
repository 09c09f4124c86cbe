/**
 * The aws_proxy integration: the request as a proxy event to its function, within the
 * integration's timeout, and the function's answer (or its failure) as API Gateway gives it.
 */
import { InvokeError } from '../lambda/invoke-error';
import type { GatewayAnswer } from './gateway-answer';
import type { GatewayError } from './gateway-responses';
import { mediaTypeOf } from './media-types';
import { failCall } from './gateway-errors';
import { proxyEventOf } from './proxy-event';
import { parseProxyResult, proxyAnswerOf } from './proxy-response';
import type { GatewayState, ProxyIntegration, ProxyInvoker, Route, RoutedCall } from './types';

/** What an invocation that ran answers. */
type Invoked = Awaited<ReturnType<ProxyInvoker['invoke']>>;

export async function invokeProxy(
  gateway: GatewayState,
  call: RoutedCall,
  integration: ProxyIntegration,
  requestContext: Record<string, unknown>,
): Promise<GatewayAnswer> {
  const { route } = call;
  const event = proxyEventOf({
    request: call.request,
    resource: route.resource,
    pathParameters: call.pathParameters,
    requestContext,
    binary: gateway.isBinary(mediaTypeOf(call.request.lowerHeaders['content-type'])),
  });
  if (gateway.mayInvoke && !gateway.mayInvoke(route.method, route.resource)) {
    return internalError(
      gateway,
      call,
      integration,
      'Execution failed due to configuration error: Invalid permissions on Lambda function',
      500,
    );
  }
  const invoked = await invokeOrFail(gateway, call, integration, event);
  return 'answer' in invoked
    ? invoked.answer
    : answerOf(gateway, call, integration, invoked.result);
}

/** Why Lambda gave no result, for the log. */
export function invokeFailureReason(error: unknown): string {
  return error instanceof InvokeError
    ? `Lambda invocation failed with status: ${error.statusCode} (${error.type}: ${error.message})`
    : `the invocation failed: ${(error as Error).message ?? String(error)}`;
}

/** Who an integration's log lines are about: the function and the route. */
function whoOf(integration: ProxyIntegration, route: Route): string {
  return `${integration.functionName} (${route.method} ${route.resource})`;
}

/** A failure of the integration: logged, then answered as DEFAULT_5XX (502 unless said). */
function internalError(
  gateway: GatewayState,
  call: RoutedCall,
  integration: ProxyIntegration,
  reason: string,
  status = 502,
): GatewayAnswer {
  const who = whoOf(integration, call.route);
  gateway.log.write('error', 'api', `${who}: ${reason}; API Gateway answers ${status}`);
  const error: GatewayError = { type: 'DEFAULT_5XX', status, message: 'Internal server error' };
  return failCall(gateway, error, call);
}

/** The function's result, or the answer to an invocation that did not give one. */
async function invokeOrFail(
  gateway: GatewayState,
  call: RoutedCall,
  integration: ProxyIntegration,
  event: unknown,
): Promise<{ result: Invoked } | { answer: GatewayAnswer }> {
  let result: Invoked | 'timeout';
  try {
    result = await invokeWithTimeout(gateway, integration, event);
  } catch (error) {
    // Lambda refused the invocation (a throttle, a payload too large): API Gateway answers 500
    // without passing Lambda's status on; a function that ran and failed is a 502.
    const reason = invokeFailureReason(error);
    const status = error instanceof InvokeError ? 500 : 502;
    return { answer: internalError(gateway, call, integration, reason, status) };
  }
  if (result !== 'timeout') return { result };
  gateway.log.write(
    'error',
    'api',
    `${whoOf(integration, call.route)}: Execution failed: the integration timed out after ${integration.timeoutMs} ms; API Gateway answers 504`,
  );
  const timedOut: GatewayError = {
    type: 'INTEGRATION_TIMEOUT',
    message: 'Endpoint request timed out',
  };
  return { answer: failCall(gateway, timedOut, call) };
}

/**
 * Invokes an integration's function, giving up after its timeout (the HTTP API's integrations
 * wait the same way).
 */
export async function invokeWithTimeout(
  { functions }: { functions: ProxyInvoker },
  integration: { functionArn: string; timeoutMs: number },
  event: unknown,
): Promise<Invoked | 'timeout'> {
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

/** The function's result as the gateway answers it: its proxy response, or a 502. */
function answerOf(
  gateway: GatewayState,
  call: RoutedCall,
  integration: ProxyIntegration,
  result: Invoked,
): GatewayAnswer {
  if (result.functionError) {
    const reason = `the function failed: ${describeFunctionError(result.payload)}`;
    return internalError(gateway, call, integration, reason);
  }
  const parsed = parseProxyResult(result.payload);
  if ('malformed' in parsed) {
    const reason = `Malformed Lambda proxy response: ${parsed.malformed}`;
    return internalError(gateway, call, integration, reason);
  }
  const accept = call.request.lowerHeaders.accept;
  const { answer, base64AsText } = proxyAnswerOf(parsed, accept, gateway.isBinary);
  if (base64AsText && !gateway.base64Warned.has(integration.functionArn)) {
    gateway.base64Warned.add(integration.functionArn);
    gateway.log.write(
      'warn',
      'api',
      `${whoOf(integration, call.route)} returned isBase64Encoded, but neither its Content-Type nor the request's Accept is a binary media type of the API: API Gateway sends the base64 text as is`,
    );
  }
  return answer;
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
