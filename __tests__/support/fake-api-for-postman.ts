/**
 * A throwaway HTTP server for the Postman collection tests: it answers a few routes the way the
 * OpenAPI document says, and one (`GET /items/{id}`) wrongly, so a newman run can show that the
 * generated assertions pass on right answers and fail on wrong ones.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_ITEM_ID = 'fake-item-1';
/** `GET /workflows/{id}` answers RUNNING this many times before it answers FAILED. */
export const FAKE_WORKFLOW_RUNNING_ANSWERS = 2;

export interface FakeApi {
  readonly baseUrl: string;
  /** Every request received, as `METHOD /path`. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

const NOW = '2025-01-01T00:00:00.000Z';

export async function startFakeApi(origin: string): Promise<FakeApi> {
  const requests: string[] = [];
  let workflowPolls = 0;

  const json = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': origin,
      ...headers,
    });
    response.end(JSON.stringify(body));
  };

  const handle = (request: IncomingMessage, response: ServerResponse, text: string): void => {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    requests.push(`${method} ${path}`);

    if (method === 'POST' && path === '/items') {
      const input = JSON.parse(text) as { name?: unknown };
      json(
        response,
        201,
        {
          id: FAKE_ITEM_ID,
          name: input.name,
          status: 'draft',
          createdAt: NOW,
          updatedAt: NOW,
          etag: '"1"',
        },
        {
          Location: `/items/${FAKE_ITEM_ID}`,
          ETag: '"1"',
          'Access-Control-Expose-Headers': 'Location, ETag',
        },
      );
    } else if (method === 'GET' && path.startsWith('/workflows/')) {
      workflowPolls += 1;
      const executionId = decodeURIComponent(path.slice('/workflows/'.length));
      json(
        response,
        200,
        workflowPolls <= FAKE_WORKFLOW_RUNNING_ANSWERS
          ? { executionId, status: 'RUNNING', startedAt: NOW }
          : {
              executionId,
              status: 'FAILED',
              startedAt: NOW,
              stoppedAt: NOW,
              error: { error: 'ItemNotPublishable', cause: 'The item has no ready image' },
            },
      );
    } else if (method === 'GET' && path.startsWith('/items/')) {
      // Deliberately wrong: the right status, but a body without `message` and no CORS header.
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: 'Not found' }));
    } else if (method === 'OPTIONS' && path.startsWith('/items/')) {
      response.writeHead(204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'GET,PUT,DELETE,OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type,If-Match,Authorization',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
      response.end();
    } else {
      json(response, 500, { message: `The fake API has no route for ${method} ${path}` });
    }
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
