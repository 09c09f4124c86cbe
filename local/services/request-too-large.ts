/**
 * The answer to a body longer than the edge reads (see MAX_REQUEST_BODY_BYTES), in the protocol of
 * the service it was for, so that an SDK raises a named error rather than failing to parse one.
 */
import { randomUUID } from 'node:crypto';
import type { AwsResponse } from './edge-types';
import { xmlEscape } from './sns-query-protocol';

/** The answer for `service` (a SigV4 signing name) to a body over `limit` bytes. */
export function requestTooLarge(service: string, limit: number): AwsResponse {
  const message = `The request body is larger than ${limit} bytes, the most the local cloud reads for ${service}`;
  const requestId = randomUUID();
  switch (service) {
    case 's3':
      // S3's own code for a request body it will not read (a DeleteObjects document, say).
      return {
        status: 400,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        body:
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<Error><Code>MaxMessageLengthExceeded</Code><Message>${xmlEscape(message)}</Message>` +
          `<RequestId>${requestId}</RequestId><HostId>local-cloud</HostId></Error>`,
      };
    case 'sns':
      return {
        status: 413,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body:
          '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>' +
          `<Code>RequestEntityTooLarge</Code><Message>${xmlEscape(message)}</Message></Error>` +
          `<RequestId>${requestId}</RequestId></ErrorResponse>`,
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
