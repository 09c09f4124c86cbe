/**
 * The IAM check at the door of the local AWS endpoint: reads what the check needs of a request
 * (its body, for the JSON and Query protocols), finds who signed it (a key nobody issued, a wrong
 * signature or, outside S3, no signature is refused whatever the IAM mode), turns it into the
 * authorizations it needs and asks the policies. A refused request gets the service's own error;
 * an allowed one goes on to the service with its body intact.
 */
import type { IncomingMessage } from 'node:http';
import { readBody, replay } from '../services/edge/edge-service';
import { queryFormatOf } from '../services/sqs/sqs-query-protocol';
import type { AwsResponse } from '../services/edge/types';
import type { AccessControl } from './access-control';
import { refusal } from './access-denied';
import { authorizationsFor, needsBody } from './request-authorizations';

export type GateOutcome = { forward: IncomingMessage } | { refuse: AwsResponse };

export type RequestGate = (service: string, request: IncomingMessage) => Promise<GateOutcome>;

/** The caller's address as aws:SourceIp has it (no IPv4-mapped IPv6 prefix). */
const sourceIpOf = (request: IncomingMessage): string =>
  (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');

export function createRequestGate(
  control: AccessControl,
  context: { region: string; accountId: string },
): RequestGate {
  return async (service, request) => {
    const target = request.url ?? '/';
    const [rawPath = '/', search = ''] = target.split(/\?(.*)/s);
    const query = new URLSearchParams(search);
    const method = request.method ?? 'GET';
    const body = needsBody(service, method, query) ? await readBody(request) : undefined;

    const required = authorizationsFor(
      { service, method, rawPath, query, headers: request.headers, body },
      context,
    );
    // A CORS preflight is answered before any authentication, as S3 does (GetCallerIdentity, which
    // needs no permission either, still needs a valid signature).
    if (required.length === 0 && service === 's3')
      return { forward: body ? replay(request, body) : request };
    // Distinct headers: a repeated header is signed as its values joined by ',' (node joins ', ').
    const identified = control.identify({
      method,
      url: target,
      headers: request.headersDistinct,
      body,
    });
    // SQS refuses a Query request in the Query protocol's shape.
    const sqsQuery = service === 'sqs' ? queryFormatOf(request.headers) : undefined;
    const shape = sqsQuery ? { sqsQuery } : {};
    if ('failure' in identified) {
      const { failure } = identified;
      return {
        refuse: refusal(service, failure.code, failure.message, {
          ...shape,
          ...('accessKeyId' in failure ? { accessKeyId: failure.accessKeyId } : {}),
        }),
      };
    }
    // S3 lets a resource policy admit anyone (the website bucket's public read); the other
    // services want a signature.
    if (identified.identity.principal.kind === 'anonymous' && service !== 's3') {
      return { refuse: refusal(service, 'MissingAuthenticationToken', 'no signature', shape) };
    }
    const check = control.check(identified.identity, required, {
      'aws:SourceIp': sourceIpOf(request),
    });
    if (!check.allowed) {
      return { refuse: refusal(service, 'AccessDenied', check.message ?? 'Access Denied', shape) };
    }
    return { forward: body ? replay(request, body) : request };
  };
}
