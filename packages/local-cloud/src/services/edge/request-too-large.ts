/**
 * The answer to a body longer than the edge reads (see MAX_REQUEST_BODY_BYTES), in the protocol of
 * the service it was for, so that an SDK raises a named error rather than failing to parse one. A
 * service with an error shape of its own (S3) gives its answer as EdgeService.requestTooLarge;
 * the edge knows the JSON shapes and the query protocol's XML, and none of the services above it.
 */
import { randomUUID } from 'node:crypto';
import { QUERY_NAMESPACES, queryErrorAnswer } from '../aws-query';
import type { AwsResponse, EdgeService } from './types';

/** What the answer says, in every protocol. */
export const tooLargeMessage = (service: string, limit: number): string =>
  `The request body is larger than ${limit} bytes, the most the local cloud reads for ${service}`;

/** The answer of `service` to a body over `limit` bytes: its own, or the edge's in JSON. */
export function requestTooLarge(
  service: Pick<EdgeService, 'signingName' | 'requestTooLarge'>,
  limit: number,
): AwsResponse {
  if (service.requestTooLarge) return service.requestTooLarge(limit);
  const message = tooLargeMessage(service.signingName, limit);
  const requestId = randomUUID();
  const { signingName } = service;
  if (Object.hasOwn(QUERY_NAMESPACES, signingName)) {
    const namespace = QUERY_NAMESPACES[signingName as keyof typeof QUERY_NAMESPACES];
    const error = { code: 'RequestEntityTooLarge', message, senderFault: true, status: 413 };
    return queryErrorAnswer(namespace, error, requestId);
  }
  // The REST-JSON services name the error in a header; Lambda's body also says whose fault it is.
  if (signingName === 'apigateway' || signingName === 'lambda')
    return {
      status: 413,
      headers: {
        'content-type': 'application/json',
        'x-amzn-errortype': 'RequestEntityTooLargeException',
        'x-amzn-requestid': requestId,
      },
      body: JSON.stringify(signingName === 'lambda' ? { Type: 'User', message } : { message }),
    };
  return {
    status: 413,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
    body: JSON.stringify({ __type: 'RequestEntityTooLargeException', message }),
  };
}
