/**
 * How much of a port one client may hold, and what it is told past that. Every port is reachable
 * by anything on this machine (web pages included), so a client that sends its headers or its
 * body slowly, or opens connection after connection, is cut off in seconds. The limits are on
 * receiving a request, never on answering it: a long poll (SQS waits up to 20 s) or a slow
 * function (the API waits up to 29 s) takes as long as it takes.
 *
 * Node answers what it cannot parse (400), headers too large (431) and timeouts (408) itself, in
 * its own shape; here the port's shape answers instead.
 */
import { maxHeaderSize } from 'node:http';
import type { Server, ServerOptions, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { rawErrorAnswer, writeErrorAnswer } from './error-answers';
import type { EndpointError, ErrorShape } from './error-answers';

export interface EndpointLimits {
  /** Time a client has to send a request's headers. */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, headers and body. */
  requestTimeoutMs: number;
  /** How long a kept-alive connection may wait, idle, for its next request. */
  keepAliveTimeoutMs: number;
  /** Connections open at once; further ones are closed as they come. */
  maxConnections: number;
}

/** A 15 MB upload takes well under a second on loopback; a 5 GB single PUT would not fit. */
export const DEFAULT_ENDPOINT_LIMITS: EndpointLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 512,
};

/** The options a port's server is created with. */
export function serverOptionsOf(limits: EndpointLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node looks for late requests this often (30 s by default, which would make a 1 s limit 30 s).
    connectionsCheckingInterval: Math.max(
      10,
      Math.min(1000, Math.floor(limits.headersTimeoutMs / 4)),
    ),
    // A request without Host is refused by the port's Host check, in the port's shape.
    requireHostHeader: false,
  };
}

const seconds = (ms: number): string => `${ms / 1000} s`;

/** What Node's client error means, for the client. */
function endpointErrorOf(code: string | undefined, limits: EndpointLimits): EndpointError {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: 'RequestTimeout',
        message: `The request did not arrive in time: its headers within ${seconds(limits.headersTimeoutMs)}, all of it within ${seconds(limits.requestTimeoutMs)}`,
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'RequestHeaderSectionTooLarge',
        message: `The request's headers are larger than ${maxHeaderSize} bytes`,
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        code: 'RequestEntityTooLarge',
        message: "The request's chunk extensions are too large",
      };
    default:
      return {
        status: 400,
        code: 'BadRequest',
        message: `The request is not valid HTTP/1.1${code ? ` (${code})` : ''}`,
      };
  }
}

/**
 * Applies `limits` to `server`, and answers what Node refuses in the shape `shapeOf` gives at the
 * time (a port's shape can change once its service is attached).
 */
export function enforceLimits(
  server: Server,
  limits: EndpointLimits,
  shapeOf: () => ErrorShape,
): void {
  server.maxConnections = limits.maxConnections;
  // Whether a socket's response has begun: then an error answer would corrupt it.
  const responses = new WeakMap<Duplex, ServerResponse>();
  const answered = new WeakSet<Duplex>();
  server.on('request', (request, response: ServerResponse) =>
    responses.set(request.socket, response),
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const response = responses.get(socket);
    if (
      answered.has(socket) ||
      error.code === 'ECONNRESET' ||
      !socket.writable ||
      response?.headersSent === true
    ) {
      socket.destroy();
      return;
    }
    answered.add(socket);
    socket.end(rawErrorAnswer(shapeOf()(endpointErrorOf(error.code, limits))), () =>
      socket.destroy(),
    );
  });
  server.on('checkExpectation', (_request, response: ServerResponse) => {
    writeErrorAnswer(
      response,
      shapeOf()({
        status: 417,
        code: 'ExpectationFailed',
        message: 'Only "Expect: 100-continue" is supported',
      }),
    );
  });
}
