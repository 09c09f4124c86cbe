/**
 * How the gateway's `aws` integrations reach AWS: over HTTP to the local AWS endpoint, each request
 * signed with the key of the integration's role, as API Gateway calls a service with the role it
 * assumes. The endpoint's IAM check then judges the call by that role's policies, as it judges a
 * function's: a role without the right gets the service's AccessDenied. A role API Gateway may not
 * assume (its trust policy does not let apigateway.amazonaws.com in, or IAM has no such role) is
 * not called with at all: AWS fails such an integration before any call, as a configuration error.
 */
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Credentials } from '../../credentials';
import { signRequest } from '../../iam/signature-v4';
import type { AwsServiceCaller, AwsServiceRequest, AwsServiceResponse } from './types';

export interface AwsServiceCallerOptions {
  /** The local AWS endpoint, e.g. http://127.0.0.1:4566. */
  endpoint: string;
  region: string;
  /** The key pair the local cloud issued for the role. */
  credentialsFor(roleArn: string): Credentials;
  /** Whether IAM lets API Gateway assume the role (every role when absent). */
  mayAssume?(roleArn: string): boolean;
}

/** The integration's role is one API Gateway may not assume: nothing was called. */
export class RoleNotAssumable extends Error {
  constructor(roleArn: string) {
    super(
      `configuration error: API Gateway does not have permission to assume the provided role ${roleArn}`,
    );
    this.name = 'RoleNotAssumable';
  }
}

function headersOf(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function send(
  endpoint: URL,
  request: AwsServiceRequest,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<AwsServiceResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(request.url, endpoint),
      { method: request.method, headers, signal },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 500,
            headers: headersOf(response),
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

export function createAwsServiceCaller(options: AwsServiceCallerOptions): AwsServiceCaller {
  const endpoint = new URL(options.endpoint);
  return {
    call(request, signal) {
      if (options.mayAssume && !options.mayAssume(request.roleArn)) {
        return Promise.reject(new RoleNotAssumable(request.roleArn));
      }
      const headers = signRequest(
        {
          method: request.method,
          url: request.url,
          headers: {
            ...request.headers,
            host: endpoint.host,
            'content-length': String(request.body.length),
          },
          body: request.body,
        },
        options.credentialsFor(request.roleArn),
        { region: options.region, service: request.service },
      );
      return send(endpoint, request, headers, signal);
    },
  };
}
