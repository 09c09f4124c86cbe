/**
 * The Lambda REST API on the AWS endpoint, as the SDK's LambdaClient calls it: Invoke
 * (RequestResponse, Event, DryRun, with the log tail), GetFunction, GetFunctionConfiguration and
 * ListFunctions. Errors carry Lambda's type in `x-amzn-errortype` and a `{Type, message}` body.
 */
import { validationMessage } from '../aws-error';
import { randomUUID } from 'node:crypto';
import type { FunctionSpec } from '../../stack/topology';
import type { AwsRequest, AwsResponse } from '../edge/types';
import { decimalMarkers, page } from '../pagination';
import { eventTooLarge, InvokeError, requestTooLarge } from './invoke-error';
import { ASYNC_REQUEST_LIMIT_BYTES, SYNC_REQUEST_LIMIT_BYTES } from './invoke-limits';
import { functionConfiguration, getFunctionAnswer } from './function-configuration';
import { json, refusal } from './lambda-responses';
import type { InvokeResult, InvokeTarget } from './types';

export interface InvokeApiBackend {
  readonly region: string;
  readonly accountId: string;
  find(ref: string): FunctionSpec | undefined;
  list(): FunctionSpec[];
  functionArnOf(ref: string): string;
  /** Rejects with an InvokeError when Lambda refuses the invocation. */
  invokeEvent(
    fn: FunctionSpec,
    event: string,
    target: InvokeTarget,
    options: { maxWaitMs?: number },
  ): Promise<InvokeResult>;
  /** How long a synchronous invocation waits for a sandbox before it is throttled. */
  readonly sandboxWaitMs: number;
  queueEvent(fn: FunctionSpec, event: string, target: InvokeTarget): void;
}

const API = '/2015-03-31/functions';
const JSON_TYPE = { 'content-type': 'application/json' };

function error(status: number, type: string, message: string): AwsResponse {
  return refusal(new InvokeError(status, type, message));
}

function header(request: AwsRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The API as one handler; each request is routed on its own, with no state between them. */
export function invokeApi(
  backend: InvokeApiBackend,
): (request: AwsRequest) => Promise<AwsResponse> {
  return (request) => route(backend, request);
}

/** The operation a method and path name, as Lambda's REST API routes them. */
async function route(backend: InvokeApiBackend, request: AwsRequest): Promise<AwsResponse> {
  const { method } = request;
  // The SDK lists at /2015-03-31/functions, the docs show /2015-03-31/functions/.
  const path = request.path.replace(/\/+$/, '');
  if (path === API) return method === 'GET' ? list(backend, request) : unknown(request);
  if (!path.startsWith(`${API}/`)) return unknown(request);
  const [name = '', operation, ...extra] = path.slice(API.length + 1).split('/');
  if (extra.length > 0 || name === '') return unknown(request);
  const ref = refOf(request, name);
  if (method === 'POST' && operation === 'invocations') return invoke(backend, request, ref);
  if (method !== 'GET' || (operation !== undefined && operation !== 'configuration')) {
    return unknown(request);
  }
  return getFunction(backend, ref, operation === 'configuration');
}

/** What Lambda answers a method and path it has no operation for. */
function unknown(request: AwsRequest): AwsResponse {
  return error(
    404,
    'UnknownOperationException',
    `Unknown operation: ${request.method} ${request.path}`,
  );
}

/** Lambda names a function it did not find by its full ARN, whatever the caller sent. */
function notFound(backend: InvokeApiBackend, ref: string): AwsResponse {
  return error(
    404,
    'ResourceNotFoundException',
    `Function not found: ${backend.functionArnOf(ref)}`,
  );
}

/** The function a path segment names, with `?Qualifier=` folded in as Lambda reads it. */
function refOf(request: AwsRequest, name: string): string {
  const qualifier = request.query.get('Qualifier');
  return qualifier ? `${name}:${qualifier}` : name;
}

/** Invoke: the payload checked as Lambda checks it, then run as its invocation type says. */
async function invoke(
  backend: InvokeApiBackend,
  request: AwsRequest,
  ref: string,
): Promise<AwsResponse> {
  const fn = backend.find(ref);
  if (!fn) return notFound(backend, ref);
  const type = header(request, 'x-amz-invocation-type') ?? 'RequestResponse';
  const text = request.body.length === 0 ? '{}' : request.body.toString('utf8');
  const invalid = invalidPayload(request.body, type, text);
  if (invalid) return invalid;
  const target = targetOf(fn, ref);
  switch (type) {
    case 'DryRun':
      return { status: 204, headers: { 'x-amzn-requestid': target.requestId } };
    case 'Event':
      backend.queueEvent(fn, text, target);
      return { status: 202, headers: { 'x-amzn-requestid': target.requestId } };
    case 'RequestResponse':
      return invokeAndWait(backend, request, { fn, text, target });
    default:
      return unknownInvocationType(type);
  }
}

/** Lambda's refusal of a payload too large for its invocation type, or not JSON; none if fine. */
function invalidPayload(body: Buffer, type: string, text: string): AwsResponse | undefined {
  if (type === 'Event' && body.length > ASYNC_REQUEST_LIMIT_BYTES) {
    return refusal(eventTooLarge(body.length, ASYNC_REQUEST_LIMIT_BYTES));
  }
  if (body.length > SYNC_REQUEST_LIMIT_BYTES) {
    return refusal(requestTooLarge(SYNC_REQUEST_LIMIT_BYTES));
  }
  try {
    JSON.parse(text);
  } catch (parseError) {
    return error(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json: Could not parse payload into json: ${(parseError as Error).message}`,
    );
  }
  return undefined;
}

/** The invocation's request id, and the ARN the function's context sees (qualified if called so). */
function targetOf(fn: FunctionSpec, ref: string): InvokeTarget {
  return {
    requestId: randomUUID(),
    invokedFunctionArn: /:\$LATEST$/.test(ref) ? `${fn.arn}:$LATEST` : fn.arn,
  };
}

function unknownInvocationType(type: string): AwsResponse {
  return error(
    400,
    'InvalidParameterValueException',
    validationMessage(
      'invocationType',
      type,
      'Member must satisfy enum value set: [Event, RequestResponse, DryRun]',
    ),
  );
}

/** A synchronous invocation: the function's answer, or Lambda's refusal under the request's id. */
async function invokeAndWait(
  backend: InvokeApiBackend,
  request: AwsRequest,
  invocation: { fn: FunctionSpec; text: string; target: InvokeTarget },
): Promise<AwsResponse> {
  const { fn, text, target } = invocation;
  let result: InvokeResult;
  try {
    result = await backend.invokeEvent(fn, text, target, { maxWaitMs: backend.sandboxWaitMs });
  } catch (refused) {
    if (refused instanceof InvokeError) return refusal(refused, target.requestId);
    throw refused;
  }
  const headers: Record<string, string> = {
    ...JSON_TYPE,
    'x-amzn-requestid': target.requestId,
    'x-amz-executed-version': '$LATEST',
  };
  if (result.functionError) headers['x-amz-function-error'] = result.functionError;
  if (header(request, 'x-amz-log-type') === 'Tail') {
    headers['x-amz-log-result'] = Buffer.from(result.logTail, 'utf8').toString('base64');
  }
  return { status: 200, headers, body: result.payload };
}

/** ListFunctions, by name, a page of at most 50 at a time. */
function list(backend: InvokeApiBackend, request: AwsRequest): AwsResponse {
  const all = backend.list().sort((a, b) => a.name.localeCompare(b.name));
  const size = Math.min(50, Math.max(1, Number(request.query.get('MaxItems') ?? 50) || 50));
  const marker = request.query.get('Marker') ?? undefined;
  const { items, next } = page(all, marker, size, decimalMarkers);
  return json(200, {
    Functions: items.map(functionConfiguration),
    ...(next ? { NextMarker: next } : {}),
  });
}

/** GetFunction, or GetFunctionConfiguration when only the configuration is asked for. */
function getFunction(
  backend: InvokeApiBackend,
  ref: string,
  configurationOnly: boolean,
): AwsResponse {
  const fn = backend.find(ref);
  if (!fn) return notFound(backend, ref);
  return json(200, configurationOnly ? functionConfiguration(fn) : getFunctionAnswer(fn));
}
