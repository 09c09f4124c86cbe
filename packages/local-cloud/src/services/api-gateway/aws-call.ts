/**
 * A request through an `aws` integration, as API Gateway runs it: the request template renders
 * the service request (`$input` is the method request), which goes to the local AWS endpoint signed
 * as the integration's role (so IAM judges it as it judges every caller); the service's status
 * selects an integration response, whose template renders the answer (`$input` is the service's).
 */
import type { GatewayAnswer } from './gateway-answer';
import { failCall } from './gateway-errors';
import type { GatewayError } from './gateway-responses';
import type { AwsIntegration } from './aws-integration';
import { RoleNotAssumable } from './aws-service-caller';
import { answerWith } from './integration-responses';
import { mediaTypeOf } from './media-types';
import type { MappingSource } from './parameter-mappings';
import { inputObject } from './vtl/vtl-input';
import type { AwsServiceResponse, GatewayState, RoutedCall } from './types';

/** Whose log lines: the route and the service. */
const whoOf = (call: RoutedCall, integration: AwsIntegration): string =>
  `${call.route.method} ${call.route.resource} (aws integration, ${integration.service})`;

/** What a template of the integration sees: `$input` is `body` with the method request's parameters. */
function variablesOf(
  call: RoutedCall,
  requestContext: Record<string, unknown>,
  body: string,
): Record<string, unknown> {
  const { request } = call;
  const input = inputObject({
    body,
    path: call.pathParameters,
    querystring: request.query ?? {},
    header: request.headers,
  });
  return { context: requestContext, input, stageVariables: {} };
}

function sourceOf(call: RoutedCall): MappingSource {
  const { request } = call;
  return {
    headers: request.lowerHeaders,
    query: request.query,
    pathParameters: call.pathParameters,
  };
}

/** A failure of the integration itself: logged, answered through DEFAULT_5XX or `type`. */
function failed(
  gateway: GatewayState,
  call: RoutedCall,
  integration: AwsIntegration,
  reason: string,
  error: GatewayError = { type: 'DEFAULT_5XX', status: 500, message: 'Internal server error' },
): GatewayAnswer {
  gateway.log.write('error', 'api', `${whoOf(call, integration)}: Execution failed: ${reason}`);
  return failCall(gateway, error, call);
}

/** The service request's body: the request template's rendering, or the body passed through. */
function integrationBody(
  call: RoutedCall,
  integration: AwsIntegration,
  variables: Record<string, unknown>,
): Buffer | 'unsupported' {
  const mediaType = mediaTypeOf(call.request.lowerHeaders['content-type']) ?? 'application/json';
  const template = integration.requestTemplates.get(mediaType);
  if (template) return Buffer.from(template.render(variables));
  const noTemplates = integration.requestTemplates.size === 0;
  const passes =
    integration.passthroughBehavior === 'when_no_match' ||
    (integration.passthroughBehavior === 'when_no_templates' && noTemplates);
  return passes ? call.request.body : 'unsupported';
}

function urlOf(call: RoutedCall, integration: AwsIntegration): string {
  const query = new URLSearchParams(integration.requestQuery(sourceOf(call)));
  if (integration.action) query.set('Action', integration.action);
  const search = query.toString();
  return search ? `${integration.path}?${search}` : integration.path;
}

export async function callAwsIntegration(
  gateway: GatewayState,
  call: RoutedCall,
  integration: AwsIntegration,
  requestContext: Record<string, unknown>,
): Promise<GatewayAnswer> {
  const variables = variablesOf(call, requestContext, call.request.body.toString('utf8'));
  let body: Buffer | 'unsupported';
  try {
    body = integrationBody(call, integration, variables);
  } catch (error) {
    return failed(
      gateway,
      call,
      integration,
      `the request template failed: ${(error as Error).message}`,
    );
  }
  if (body === 'unsupported') {
    return failCall(
      gateway,
      { type: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Media Type' },
      call,
    );
  }
  const answered = await send(gateway, call, integration, body);
  if ('answer' in answered) return answered.answer;
  return respond(gateway, call, integration, answered.response, requestContext);
}

/** The service's answer, or the gateway's own when there is none (no caller, timeout, failure). */
async function send(
  gateway: GatewayState,
  call: RoutedCall,
  integration: AwsIntegration,
  body: Buffer,
): Promise<{ response: AwsServiceResponse } | { answer: GatewayAnswer }> {
  if (!gateway.services) {
    return { answer: failed(gateway, call, integration, 'no AWS endpoint to call') };
  }
  const headers = {
    accept: 'application/json',
    ...Object.fromEntries(integration.requestHeaders(sourceOf(call))),
  };
  const gaveUp = new AbortController();
  const timer = setTimeout(() => gaveUp.abort(new Error('timeout')), integration.timeoutMs);
  try {
    const response = await gateway.services.call(
      {
        service: integration.service,
        method: integration.httpMethod,
        url: urlOf(call, integration),
        headers,
        body,
        roleArn: integration.roleArn,
      },
      gaveUp.signal,
    );
    return { response };
  } catch (error) {
    if (gaveUp.signal.aborted) {
      const timedOut: GatewayError = {
        type: 'INTEGRATION_TIMEOUT',
        message: 'Endpoint request timed out',
      };
      const reason = `the integration timed out after ${integration.timeoutMs} ms`;
      return { answer: failed(gateway, call, integration, reason, timedOut) };
    }
    const reason =
      error instanceof RoleNotAssumable
        ? error.message
        : `the service call failed: ${(error as Error).message}`;
    return { answer: failed(gateway, call, integration, reason) };
  } finally {
    clearTimeout(timer);
  }
}

/** The integration response the service's status selects, rendered on the service's answer. */
function respond(
  gateway: GatewayState,
  call: RoutedCall,
  integration: AwsIntegration,
  response: AwsServiceResponse,
  requestContext: Record<string, unknown>,
): GatewayAnswer {
  const text = response.body.toString('utf8');
  if (response.status >= 300) {
    gateway.log.write(
      'warn',
      'api',
      `${whoOf(call, integration)}: the service answered ${response.status}: ${text.slice(0, 500)}`,
    );
  }
  const selected = integration.responses.select(response.status);
  if (!selected) {
    return failed(
      gateway,
      call,
      integration,
      `no integration response matches status ${response.status} and none is the default`,
      {
        type: 'API_CONFIGURATION_ERROR',
        message: 'Internal server error',
      },
    );
  }
  try {
    return answerWith(
      selected,
      { ...sourceOf(call), integrationHeaders: response.headers },
      variablesOf(call, requestContext, text),
      { contentType: response.headers['content-type'] ?? 'application/json', body: response.body },
    );
  } catch (error) {
    return failed(
      gateway,
      call,
      integration,
      `the response template failed: ${(error as Error).message}`,
    );
  }
}
