/**
 * The types of the contract between the AWS edge endpoint and the services behind it (see
 * edge-service.ts), in a module that imports nothing of ours, so that any service module may use
 * them without an import circle.
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
  /**
   * The answer to a body over the `limit` the edge reads, in the service's own protocol; without
   * it, the edge answers in the service's protocol family (see request-too-large.ts).
   */
  requestTooLarge?(limit: number): AwsResponse;
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
