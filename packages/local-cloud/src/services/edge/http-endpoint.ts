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

export async function openEndpoint(
  host: string,
  port: number,
  name: string,
  options: EndpointOptions = {},
): Promise<HttpEndpoint> {
  let errorShape = options.errorShape ?? jsonErrorShape;
  /** 503 in the port's own shape: a page polling the API while the cloud boots can read it. */
  const unavailable = (response: ServerResponse, message: string): void => {
    response.setHeader('retry-after', '1');
    writeErrorAnswer(response, errorShape({ status: 503, code: 'ServiceUnavailable', message }));
  };
  let handler: RequestHandler = (_request, response) =>
    unavailable(response, 'The local cloud is starting');
  let admit: ((request: IncomingMessage) => boolean) | undefined;
  let accepting = true;
  const answering = new Set<ServerResponse>();
  const idleWaiters: (() => void)[] = [];
  const limits = { ...DEFAULT_ENDPOINT_LIMITS, ...options.limits };
  const server: Server = createServer(serverOptionsOf(limits), (request, response) => {
    const addressed = request.headers.host;
    if (!isLoopbackHost(addressed, host)) {
      writeErrorAnswer(
        response,
        errorShape({
          status: 403,
          code: 'AccessDenied',
          message: `${addressed === undefined ? 'A request without a Host header' : `Host "${addressed}"`} is refused: this port answers only requests addressed to ${host}, localhost or another loopback name (a defence against DNS rebinding)`,
        }),
      );
      return;
    }
    if (!accepting && !admit?.(request)) {
      response.shouldKeepAlive = false;
      unavailable(response, 'The local cloud is stopping');
      return;
    }
    answering.add(response);
    response.once('close', () => {
      answering.delete(response);
      if (answering.size === 0) for (const wake of idleWaiters.splice(0)) wake();
    });
    handler(request, response);
  });
  enforceLimits(server, limits, () => errorShape);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} (${name}) is in use: stop what uses it or choose another port`)
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;

  let listenerClosed: Promise<void> | undefined;
  /** Stops listening (and, from Node 19, closes idle connections); resolves once all are gone. */
  const closeListener = (): Promise<void> =>
    (listenerClosed ??= new Promise<void>((resolve) => server.close(() => resolve())));

  const idle = (): Promise<void> =>
    answering.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));

  const stopAccepting = (letThrough?: (request: IncomingMessage) => boolean): void => {
    if (!accepting && !letThrough) {
      // A second call without `admit` (close() after a drain) also stops listening.
      admit = undefined;
      void closeListener();
      return;
    }
    accepting = false;
    admit = letThrough;
    if (admit) server.closeIdleConnections();
    else void closeListener();
    for (const response of answering) closeAfter(response);
  };

  return {
    url: `http://${host}:${address.port}`,
    attach: (next, shape) => {
      handler = next;
      if (shape) errorShape = shape;
    },
    stopAccepting,
    get busy() {
      return answering.size > 0;
    },
    idle,
    close: async (graceMs = DEFAULT_CLOSE_GRACE_MS) => {
      stopAccepting();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        idle(),
        new Promise((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closeListener();
    },
  };
}
