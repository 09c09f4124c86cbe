/**
 * The one AWS endpoint of the local cloud (like LocalStack's edge port): every SDK client and the
 * AWS CLI point `--endpoint-url` here, and the request goes to the service its SigV4 credential
 * scope names (`…/us-east-1/sqs/aws4_request`). Unsigned requests (a browser's CORS preflight
 * before a pre-signed upload, a hand-written curl) are recognised by their shape, S3 otherwise.
 *
 * Web pages may reach this port (it is on the machine their browser runs on), and may even sign
 * with the administrator's well-known key; only S3 serves browsers, as its CORS configuration
 * allows. A request to any other service that a browser sent is refused before it does anything.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalLog } from '../../log';
import { refusal } from '../../iam/access-denied';
import type { RequestGate } from '../../iam/request-gate';
import { browserOriginOf } from './browser-origin';
import { RequestTooLargeError } from './edge-service';
import type { AwsResponse, Caller, EdgeService } from './types';
import { requestTooLarge } from './request-too-large';

/** What the SDK's JSON protocols send in X-Amz-Target, by signing name. */
const TARGET_PREFIXES: [RegExp, string][] = [
  [/^DynamoDB_/, 'dynamodb'],
  [/^AmazonSQS\./, 'sqs'],
  [/^AWSStepFunctions\./, 'states'],
  [/^Logs_20140328\./, 'logs'],
];

/** The REST protocols' paths, by signing name (dated, as Lambda's API versions its paths). */
const PATH_PREFIXES: [RegExp, string][] = [
  [/^\/\d{4}-\d{2}-\d{2}\/(functions|event-source-mappings|tags)(\/|\?|$)/, 'lambda'],
  [/^\/(restapis|v2\/apis)(\/|\?|$)/, 'apigateway'],
];

interface Credential {
  accessKeyId: string;
  service: string;
}

/** The access key and service of a request's SigV4 credential (header or pre-signed query). */
export function credentialOf(request: IncomingMessage): Credential | undefined {
  const header = request.headers.authorization;
  // The query is read without parsing the path: a hostile path (`//%zz`) is no URL, and must
  // reach its service to be refused there rather than throw here.
  const target = request.url ?? '/';
  const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
  const scope =
    (header && /Credential=([^,\s]+)/.exec(header)?.[1]) ??
    new URLSearchParams(query).get('X-Amz-Credential');
  if (!scope) return undefined;
  // <access key>/<date>/<region>/<service>/aws4_request
  const [accessKeyId, , , service] = scope.split('/');
  return accessKeyId && service ? { accessKeyId, service } : undefined;
}

function serviceOf(request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    for (const [pattern, service] of TARGET_PREFIXES) if (pattern.test(target)) return service;
  }
  // REST APIs' paths, so that an unsigned control-plane call is refused in its service's words.
  for (const [pattern, service] of PATH_PREFIXES)
    if (pattern.test(request.url ?? '')) return service;
  // The Query protocol posts a form: SNS's to the root, SQS's to the root or a queue's URL
  // (`/<account>/<queue>`); at the root, SNS is the guess. S3's browser uploads post multipart
  // forms to a bucket path.
  const type = request.headers['content-type'] ?? '';
  if (request.method === 'POST' && type.startsWith('application/x-www-form-urlencoded')) {
    if (request.url === '/') return 'sns';
    if (/^\/\d{12}\/[^/?]+\/?$/.test(request.url ?? '')) return 'sqs';
  }
  return 's3';
}

/**
 * API invocations the AWS endpoint also answers (path-style URLs of deployed APIs): public
 * requests, not AWS API calls, so neither signed nor judged by IAM here.
 */
export interface Invocations {
  isInvocation(url: string): boolean;
  invoke(request: IncomingMessage, response: ServerResponse): void;
}

export interface AwsEdge {
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** Services by signing name, as routed. */
  readonly services: ReadonlyMap<string, EdgeService>;
}

function send(response: ServerResponse, answer: AwsResponse): void {
  const body = answer.body ?? '';
  response.writeHead(answer.status, {
    'content-length': String(Buffer.byteLength(body)),
    ...answer.headers,
  });
  response.end(body);
}

/** What the edge routes by, and what it keeps between requests. */
interface EdgeState {
  readonly bySigningName: ReadonlyMap<string, EdgeService>;
  readonly log: LocalLog;
  readonly status: () => Record<string, unknown>;
  readonly gate: RequestGate | undefined;
  readonly invocations: Invocations | undefined;
  /** The services not emulated that a client called: each is warned about once. */
  readonly reported: Set<string>;
}

/**
 * `status` adds to the health answer (`GET /_local-cloud/health`), e.g. the warm sandboxes.
 * `gate`, when given, decides whether a request may go on to its service (IAM). `invocations`
 * answers the deployed APIs' path-style URLs.
 */
export function createAwsEdge(
  services: EdgeService[],
  log: LocalLog,
  status: () => Record<string, unknown> = () => ({}),
  gate?: RequestGate,
  invocations?: Invocations,
): AwsEdge {
  const state: EdgeState = {
    bySigningName: new Map(services.map((service) => [service.signingName, service])),
    log,
    status,
    gate,
    invocations,
    reported: new Set(),
  };
  return {
    handle: (request, response) => handle(state, request, response),
    services: state.bySigningName,
  };
}

/** The health answer, or the request's service: if emulated, not sent by a web page, and allowed. */
function handle(state: EdgeState, request: IncomingMessage, response: ServerResponse): void {
  if (request.url === '/_local-cloud/health') {
    answerHealth(state, response);
    return;
  }
  if (state.invocations?.isInvocation(request.url ?? '')) {
    state.invocations.invoke(request, response);
    return;
  }
  const credential = credentialOf(request);
  const name = credential?.service ?? serviceOf(request);
  const caller: Caller = { accessKeyId: credential?.accessKeyId ?? '' };
  const service = state.bySigningName.get(name);
  if (!service) {
    refuseUnknownService(state, name, response);
    return;
  }
  state.log.write(
    'debug',
    'aws',
    `${name} ${String(request.headers['x-amz-target'] ?? `${request.method} ${request.url}`)}`,
  );
  const browser = name === 's3' ? undefined : browserOriginOf(request.headers);
  if (browser) {
    refuseBrowser(state, name, browser, response);
    return;
  }
  if (!state.gate) {
    service.handle(request, response, caller);
    return;
  }
  state.gate(name, request).then(
    (outcome) => {
      if ('refuse' in outcome) send(response, outcome.refuse);
      else service.handle(outcome.forward, response, caller);
    },
    (error: unknown) => answerGateFailure(state, { name, service, request, response }, error),
  );
}

function answerHealth(state: EdgeState, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      status: 'running',
      services: [...state.bySigningName.keys()],
      ...state.status(),
    }),
  );
}

/** 400 as an AWS service answers an unknown operation; the log says it once per service. */
function refuseUnknownService(state: EdgeState, name: string, response: ServerResponse): void {
  if (!state.reported.has(name)) {
    state.reported.add(name);
    state.log.write(
      'warn',
      'aws',
      `a client called "${name}", which the local cloud does not emulate`,
    );
  }
  response.writeHead(400, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      __type: 'UnknownOperationException',
      message: `The local cloud does not emulate the "${name}" service`,
    }),
  );
}

/** A web page may sign with the well-known administrator key: only S3 (and its CORS) serves it. */
function refuseBrowser(
  state: EdgeState,
  name: string,
  browser: string,
  response: ServerResponse,
): void {
  state.log.write('warn', 'aws', `refused a ${name} request a web page sent (${browser})`);
  send(
    response,
    refusal(
      name,
      'AccessDenied',
      `The local cloud refuses ${name} requests from web pages (${browser}): only S3 answers browsers, as a bucket's CORS configuration allows`,
    ),
  );
}

/** The gate could not judge the request (reading its body failed, or IAM threw). */
function answerGateFailure(
  state: EdgeState,
  call: { name: string; service: EdgeService; request: IncomingMessage; response: ServerResponse },
  error: unknown,
): void {
  const { name, service, request, response } = call;
  // A client that went away mid-body (or was cut off for being too slow) wants no answer.
  if (request.socket.destroyed) return;
  if (error instanceof RequestTooLargeError) {
    send(response, requestTooLarge(service, error.limit));
    return;
  }
  state.log.write('error', 'iam', `checking a ${name} request failed: ${String(error)}`);
  send(response, {
    status: 500,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ __type: 'InternalFailure', message: String(error) }),
  });
}
