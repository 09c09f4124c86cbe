/**
 * The contract between the AWS edge endpoint (one port for every service, like LocalStack's 4566)
 * and the services behind it. The edge reads the SigV4 credential scope of a request to find the
 * service it is for, and hands the raw request to that service's `handle`.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { requestTooLarge } from './request-too-large';

import type { AwsRequest, AwsResponse, EdgeService } from './types';

/**
 * The largest body read for a service other than S3 (whose objects stream to disk): twice
 * DynamoDB's largest request (BatchWriteItem, 16 MB), so that each service's own limit (Lambda
 * 6 MB, SQS, SNS and Step Functions 256 KB) answers first, in its own words, for any body a client
 * plausibly sends. This one keeps a client from filling the memory of the process with one
 * endless body.
 */
export const MAX_REQUEST_BODY_BYTES = 32 * 1024 * 1024;

/** A body longer than the reader takes: the edge answers 413, in the service's shape. */
export class RequestTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes`);
    this.name = 'RequestTooLargeError';
  }
}

/**
 * The whole body of a request, up to `limit` bytes. Past it (or when Content-Length says so
 * before anything is read) the promise rejects with RequestTooLargeError at once, and the rest of
 * the body is drained unkept, so that the client can read the answer.
 */
export function readBody(
  request: IncomingMessage,
  limit = MAX_REQUEST_BODY_BYTES,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): void => {
      request.removeListener('data', keep);
      request.resume();
      reject(new RequestTooLargeError(limit));
    };
    const declared = Number(request.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    function keep(chunk: Buffer): void {
      size += chunk.length;
      if (size > limit) tooLarge();
      else chunks.push(chunk);
    }
    if (declared > limit) {
      tooLarge();
      return;
    }
    request.on('data', keep);
    request.on('end', () => {
      // Most bodies arrive in one chunk: no copy for them.
      if (size <= limit)
        resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

/**
 * The request again, for a service that reads its body as a stream (dynalite, the buffered
 * services) after the IAM gate or a check of its own has read it: same method, URL, headers and socket, same bytes.
 */
export function replay(original: IncomingMessage, body: Buffer): IncomingMessage {
  const stream = new PassThrough();
  stream.end(body);
  return Object.assign(stream, {
    method: original.method,
    url: original.url,
    headers: original.headers,
    rawHeaders: original.rawHeaders,
    httpVersion: original.httpVersion,
    httpVersionMajor: original.httpVersionMajor,
    httpVersionMinor: original.httpVersionMinor,
    socket: original.socket,
    connection: original.socket,
    complete: true,
    trailers: {},
    rawTrailers: [],
  }) as unknown as IncomingMessage;
}

/**
 * The path with its escapes decoded; a path that is not valid percent-encoding (`/%ZZ`) as sent,
 * so that it names nothing and the service answers it as it answers an unknown name, in its own
 * shape, instead of the adapter failing with a 500.
 */
function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/**
 * Adapts a buffered handler to EdgeService.handle: reads the body, calls the handler, writes its
 * answer. A handler that throws answers 500 with a JSON message instead of leaving the client
 * hanging (services map their expected errors to AWS error shapes themselves). `service` is the
 * service's signing name, or the service itself when it gives its own answer to a body too large.
 */
export function buffered(
  service: string | Pick<EdgeService, 'signingName' | 'requestTooLarge'>,
  handler: (request: AwsRequest) => Promise<AwsResponse>,
): EdgeService['handle'] {
  const answering = typeof service === 'string' ? { signingName: service } : service;
  return (request, response, caller) => {
    void (async () => {
      let answer: AwsResponse;
      try {
        const url = new URL(request.url ?? '/', 'http://localhost');
        answer = await handler({
          method: request.method ?? 'GET',
          path: decodedPath(url.pathname),
          query: url.searchParams,
          headers: request.headers,
          body: await readBody(request),
          caller,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        answer =
          error instanceof RequestTooLargeError
            ? requestTooLarge(answering, error.limit)
            : {
                status: 500,
                headers: { 'content-type': 'application/x-amz-json-1.0' },
                body: JSON.stringify({ __type: 'InternalFailure', message }),
              };
      }
      const body = answer.body ?? '';
      response.writeHead(answer.status, {
        'x-amzn-requestid': crypto.randomUUID(),
        'content-length': String(Buffer.byteLength(body)),
        ...answer.headers,
      });
      response.end(body);
    })();
  };
}
