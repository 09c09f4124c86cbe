/**
 * One listening port of the local cloud. It listens first, so the endpoints (and the URLs the
 * stack's names and CORS origins resolve to) are known before anything else boots, and answers 503
 * until its service is attached. It answers only requests addressed to this machine (see
 * loopback-host.ts), within its limits (see endpoint-limits.ts), and words the errors it answers
 * itself in its port's shape.
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
  close(): Promise<void>;
}

export interface EndpointOptions {
  limits?: Partial<EndpointLimits>;
  /** How the port words the errors it answers itself (JSON `{message}` unless said). */
  errorShape?: ErrorShape;
}

const booting: RequestHandler = (_request, response) => {
  response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  response.end(JSON.stringify({ message: 'The local cloud is starting' }));
};

export async function openEndpoint(
  host: string,
  port: number,
  name: string,
  options: EndpointOptions = {},
): Promise<HttpEndpoint> {
  let handler = booting;
  let errorShape = options.errorShape ?? jsonErrorShape;
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
  return {
    url: `http://${host}:${address.port}`,
    attach: (next, shape) => {
      handler = next;
      if (shape) errorShape = shape;
    },
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}
