/**
 * An AWS edge for a few services on a free port of 127.0.0.1, without the local cloud's endpoint
 * limits or IAM gate: what one service started on its own listens behind.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalLog } from '../../log';
import { createAwsEdge } from './aws-edge';
import type { EdgeService } from './types';

export interface EdgeServer {
  /** e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** Stops listening and closes every connection, keep-alive ones too. */
  close(): Promise<void>;
}

export async function serveEdge(services: EdgeService[], log: LocalLog): Promise<EdgeServer> {
  const edge = createAwsEdge(services, log);
  const server = createServer((request, response) => edge.handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
