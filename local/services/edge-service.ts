/**
 * The contract between the AWS edge endpoint (one port for every service, like LocalStack's 4566)
 * and the services behind it. The edge reads the SigV4 credential scope of a request to find the
 * service it is for, and hands the raw request to that service's `handle`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The caller of a request, from its SigV4 credential (empty when the request is unsigned). */
export interface Caller {
  accessKeyId: string;
}

export interface EdgeService {
  /** The SigV4 signing name the SDK uses for the service: s3, dynamodb, sqs, sns, states, lambda. */
  readonly signingName: string;
  handle(request: IncomingMessage, response: ServerResponse, caller: Caller): void;
}

/** A buffered request, for the services this project implements itself. */
export interface AwsRequest {
  method: string;
  /** Decoded path, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  caller: Caller;
}

export interface AwsResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** The whole body of a request. */
export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Adapts a buffered handler to EdgeService.handle: reads the body, calls the handler, writes its
 * answer. A handler that throws answers 500 with a JSON message instead of leaving the client
 * hanging (services map their expected errors to AWS error shapes themselves).
 */
export function buffered(
  handler: (request: AwsRequest) => Promise<AwsResponse>,
): EdgeService['handle'] {
  return (request, response, caller) => {
    void (async () => {
      let answer: AwsResponse;
      try {
        const url = new URL(request.url ?? '/', 'http://localhost');
        answer = await handler({
          method: request.method ?? 'GET',
          path: decodeURIComponent(url.pathname),
          query: url.searchParams,
          headers: request.headers,
          body: await readBody(request),
          caller,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        answer = {
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
