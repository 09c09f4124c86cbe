/**
 * One listening port of the local cloud. It listens first, so the endpoints (and the URLs the
 * stack's names and CORS origins resolve to) are known before anything else boots, and answers 503
 * until its service is attached. It answers only requests addressed to this machine (see
 * loopback-host.ts), within its limits (see endpoint-limits.ts), and words the errors it answers
 * itself in its port's shape.
 *
 * It stops as a server should on a graceful stop: no new work (the listener closes, idle
 * keep-alive connections close, a request that still arrives on an open connection gets 503),
 * the requests being answered finish and their connections close after the response, and only
 * what outlasts the bound is cut.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ENDPOINT_LIMITS, enforceLimits, serverOptionsOf } from './endpoint-limits';
import type { EndpointLimits } from './endpoint-limits';
import { jsonErrorShape, writeErrorAnswer } from './error-answers';
import type { ErrorShape } from './error-answers';
import { isLoopbackHost } from './loopback-host';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface HttpEndpoint {
  /** e.g. http://127.0.0.1:3001 */
  readonly url: string;
  /** `errorShape`: how the service words the errors the port answers itself, from now on. */
  attach(handler: RequestHandler, errorShape?: ErrorShape): void;
  /**
   * Takes no new work: stops listening, closes idle connections, answers 503 to requests that
   * still arrive and closes each busy connection once its response is sent. With `admit`, the
   * port keeps listening for the requests it lets through (the cloud's own functions calling
   * back while they finish); every other request gets the 503.
   */
  stopAccepting(admit?: (request: IncomingMessage) => boolean): void;
  /** Whether requests are being answered. */
  readonly busy: boolean;
  /** Resolves when no request is being answered. */
  idle(): Promise<void>;
  /**
   * Stops accepting, lets the requests being answered finish for up to `graceMs` (default 10 s),
   * then closes every connection.
   */
  close(graceMs?: number): Promise<void>;
}

/** How long close() lets requests being answered finish. */
export const DEFAULT_CLOSE_GRACE_MS = 10_000;

export interface EndpointOptions {
  limits?: Partial<EndpointLimits>;
  /** How the port words the errors it answers itself (JSON `{message}` unless said). */
  errorShape?: ErrorShape;
}

/** Closes the response's connection once it is sent, whatever keep-alive said. */
function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) {
    response.shouldKeepAlive = false;
    return;
  }
  response.once('close', () => response.socket?.destroySoon());
}

/** What a port keeps between requests: how it answers now, and what it is answering. */
interface EndpointState {
  readonly host: string;
  readonly server: Server;
  /** How the port words the errors it answers itself; attach() may change it. */
  errorShape: ErrorShape;
  /** 503 until the service is attached. */
  handler: RequestHandler;
  /** While stopping: the requests still let through (none when absent). */
  admit: ((request: IncomingMessage) => boolean) | undefined;
  accepting: boolean;
  readonly answering: Set<ServerResponse>;
  readonly idleWaiters: (() => void)[];
  /** Once the listener is closing: resolves when it and every connection are gone. */
  listenerClosed: Promise<void> | undefined;
}

export async function openEndpoint(
  host: string,
  port: number,
  name: string,
  options: EndpointOptions = {},
): Promise<HttpEndpoint> {
  const limits = { ...DEFAULT_ENDPOINT_LIMITS, ...options.limits };
  // The server and the starting handler answer through the state: attach() changes it later.
  const state: EndpointState = {
    host,
    server: createServer(serverOptionsOf(limits), (request, response) =>
      answer(state, request, response),
    ),
    errorShape: options.errorShape ?? jsonErrorShape,
    handler: (_request, response) => unavailable(state, response, 'The local cloud is starting'),
    admit: undefined,
    accepting: true,
    answering: new Set(),
    idleWaiters: [],
    listenerClosed: undefined,
  };
  enforceLimits(state.server, limits, () => state.errorShape);
  await listen(state.server, host, port, name);
  const address = state.server.address() as AddressInfo;
  return endpointOf(state, `http://${host}:${address.port}`);
}

/** The port's interface over its state. */
function endpointOf(state: EndpointState, url: string): HttpEndpoint {
  return {
    url,
    attach: (next, shape) => {
      state.handler = next;
      if (shape) state.errorShape = shape;
    },
    stopAccepting: (letThrough) => stopAccepting(state, letThrough),
    get busy() {
      return state.answering.size > 0;
    },
    idle: () => idle(state),
    close: (graceMs = DEFAULT_CLOSE_GRACE_MS) => close(state, graceMs),
  };
}

/** Listens on the port; a port already taken is said in words a user can act on. */
function listen(server: Server, host: string, port: number, name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} (${name}) is in use: stop what uses it or choose another port`)
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
}

/**
 * Every request: refused when addressed elsewhere or arriving while the port stops, otherwise
 * tracked (close() waits for it) and handed to the service.
 */
function answer(state: EndpointState, request: IncomingMessage, response: ServerResponse): void {
  const addressed = request.headers.host;
  if (!isLoopbackHost(addressed, state.host)) {
    refuseForeignHost(state, response, addressed);
    return;
  }
  if (!state.accepting && !state.admit?.(request)) {
    response.shouldKeepAlive = false;
    unavailable(state, response, 'The local cloud is stopping');
    return;
  }
  track(state, response);
  state.handler(request, response);
}

/** 403 to a request for another host: a web page's DNS rebinding must not reach the cloud. */
function refuseForeignHost(
  state: EndpointState,
  response: ServerResponse,
  addressed: string | undefined,
): void {
  writeErrorAnswer(
    response,
    state.errorShape({
      status: 403,
      code: 'AccessDenied',
      message: `${addressed === undefined ? 'A request without a Host header' : `Host "${addressed}"`} is refused: this port answers only requests addressed to ${state.host}, localhost or another loopback name (a defence against DNS rebinding)`,
    }),
  );
}

/** 503 in the port's own shape: a page polling the API while the cloud boots can read it. */
function unavailable(state: EndpointState, response: ServerResponse, message: string): void {
  response.setHeader('retry-after', '1');
  writeErrorAnswer(
    response,
    state.errorShape({ status: 503, code: 'ServiceUnavailable', message }),
  );
}

/** Counts the response as being answered until it closes; the last one wakes idle()'s waiters. */
function track(state: EndpointState, response: ServerResponse): void {
  state.answering.add(response);
  response.once('close', () => {
    state.answering.delete(response);
    if (state.answering.size === 0) for (const wake of state.idleWaiters.splice(0)) wake();
  });
}

function idle(state: EndpointState): Promise<void> {
  return state.answering.size === 0
    ? Promise.resolve()
    : new Promise((resolve) => state.idleWaiters.push(resolve));
}

/** Stops listening (and, from Node 19, closes idle connections); resolves once all are gone. */
function closeListener(state: EndpointState): Promise<void> {
  return (state.listenerClosed ??= new Promise<void>((resolve) =>
    state.server.close(() => resolve()),
  ));
}

/** HttpEndpoint.stopAccepting: no new work, busy connections close after their response. */
function stopAccepting(
  state: EndpointState,
  letThrough?: (request: IncomingMessage) => boolean,
): void {
  if (!state.accepting && !letThrough) {
    // A second call without `admit` (close() after a drain) also stops listening.
    state.admit = undefined;
    void closeListener(state);
    return;
  }
  state.accepting = false;
  state.admit = letThrough;
  if (state.admit) state.server.closeIdleConnections();
  else void closeListener(state);
  for (const response of state.answering) closeAfter(response);
}

/** HttpEndpoint.close: what is being answered has `graceMs` to finish, then is cut. */
async function close(state: EndpointState, graceMs: number): Promise<void> {
  stopAccepting(state);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    idle(state),
    new Promise((resolve) => {
      timer = setTimeout(resolve, graceMs);
    }),
  ]);
  clearTimeout(timer);
  state.server.closeAllConnections();
  await closeListener(state);
}
