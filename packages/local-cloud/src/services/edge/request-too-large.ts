/**
 * The answer to a body longer than the edge reads (see MAX_REQUEST_BODY_BYTES), in the protocol of
 * the service it was for, so that an SDK raises a named error rather than failing to parse one.
 */
import { randomUUID } from 'node:crypto';
import type { AwsResponse } from './types';
import { errorXml, s3Errors } from '../s3/s3-errors';
import { SnsError } from '../sns/sns-errors';

/** The answer for `service` (a SigV4 signing name) to a body over `limit` bytes. */
export function requestTooLarge(service: string, limit: number): AwsResponse {
  const message = `The request body is larger than ${limit} bytes, the most the local cloud reads for ${service}`;
  const requestId = randomUUID();
  switch (service) {
    case 's3': {
      // S3's own error for a request body it will not read (a DeleteObjects document, say).
      const error = s3Errors.maxMessageLengthExceeded();
      return {
        status: error.status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        body: errorXml(error, '/', requestId),
      };
    }
    case 'sns':
      return {
        status: 413,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: new SnsError('RequestEntityTooLarge', message, 413).toXml(requestId),
      };
    case 'lambda':
      return {
        status: 413,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': 'RequestEntityTooLargeException',
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ Type: 'User', message }),
      };
    default:
      return {
        status: 413,
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: 'RequestEntityTooLargeException', message }),
      };
  }
}
