/**
 * A stand-in AWS endpoint on 127.0.0.1 for specs about what the real AWS SDK v3 clients send: it
 * records each request exactly as it arrived (raw target, headers, body) and answers just enough
 * for the client to return or throw at once.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The raw request target: the path still percent-encoded, plus `?query`. */
  url: string;
  /** As Node joins them: a repeated header's values in one `, `-separated string. */
  headers: IncomingHttpHeaders;
  /** Each header's values kept apart, which is how SigV4 canonicalizes repeated headers. */
  headersDistinct: IncomingMessage['headersDistinct'];
  body: Buffer;
}

/** Writes the response to a request, whose body has been read (and recorded) already. */
export type Answer = (request: IncomingMessage, response: ServerResponse) => void;

export interface DuringOptions {
  /**
   * Set when the answer is not what the client expects (the default answer is `{}` to every
   * service), so the client may reject it and only the request it sent matters.
   */
  ignoreRejection?: boolean;
}

export interface RecordingEndpoint {
  /** `http://127.0.0.1:<port>`, for a client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  /**
   * The request `send` made: the first one recorded while it ran. Throws when there was none, and
   * passes `send`'s rejection on unless told to ignore it.
   */
  during(send: () => Promise<unknown>, options?: DuringOptions): Promise<RecordedRequest>;
  /** Stops listening and drops kept-alive connections, so no handle outlives the suite. */
  close(): Promise<void>;
}

const emptyJson: Answer = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end('{}');
};

export async function startRecordingEndpoint(
  answer: Answer = emptyJson,
): Promise<RecordingEndpoint> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        headersDistinct: request.headersDistinct,
        body: Buffer.concat(chunks),
      });
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async during(send, options = {}) {
      const before = requests.length;
      if (options.ignoreRejection) await send().catch(() => undefined);
      else await send();
      const request = requests[before];
      if (!request) throw new Error('the endpoint received no request while `send` ran');
      return request;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
