/**
 * One listening port of the local cloud. It listens first, so the endpoints (and the URLs the
 * stack's names and CORS origins resolve to) are known before anything else boots, and answers 503
 * until its service is attached.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface HttpEndpoint {
  /** e.g. http://127.0.0.1:3001 */
  readonly url: string;
  attach(handler: RequestHandler): void;
  close(): Promise<void>;
}

const booting: RequestHandler = (_request, response) => {
  response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  response.end(JSON.stringify({ message: 'The local cloud is starting' }));
};

export async function openEndpoint(
  host: string,
  port: number,
  name: string,
): Promise<HttpEndpoint> {
  let handler = booting;
  const server: Server = createServer((request, response) => handler(request, response));
  // Many SDK clients keep connections open; a short idle timeout keeps shutdown quick.
  server.keepAliveTimeout = 5000;
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
    attach: (next) => {
      handler = next;
    },
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}
