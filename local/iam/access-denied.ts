/**
 * The errors AWS answers when a request is refused by IAM or fails its signature check, in each
 * service's own protocol, so an SDK client raises what it would raise against AWS
 * (`AccessDenied` from S3, `AccessDeniedException` from DynamoDB, `AuthorizationError` from
 * SNS…).
 */
import { randomUUID } from 'node:crypto';
import type { AwsResponse } from '../services/edge-service';
import { xmlEscape } from '../services/sns-query-protocol';
import type { SignatureErrorCode } from './signature-v4';

/** AccessDenied, or a signature check's code (SignatureDoesNotMatch, RequestExpired…). */
export type RefusalCode = 'AccessDenied' | SignatureErrorCode;

const json = (
  status: number,
  body: Record<string, string>,
  headers: Record<string, string> = {},
  contentType = 'application/x-amz-json-1.0',
): AwsResponse => ({
  status,
  headers: { 'content-type': contentType, ...headers },
  body: JSON.stringify(body),
});

function s3Refusal(code: RefusalCode, message: string, requestId: string): AwsResponse {
  // S3 says an expired pre-signed URL is AccessDenied, "Request has expired".
  const s3Code = code === 'RequestExpired' ? 'AccessDenied' : code;
  return {
    status: 403,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${s3Code}</Code><Message>${xmlEscape(message)}</Message>` +
      `<RequestId>${requestId}</RequestId><HostId>local-cloud</HostId></Error>`,
  };
}

function snsRefusal(code: RefusalCode, message: string, requestId: string): AwsResponse {
  const snsCode = code === 'AccessDenied' ? 'AuthorizationError' : code;
  return {
    status: 403,
    headers: { 'content-type': 'text/xml' },
    body:
      '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>' +
      `<Code>${snsCode}</Code><Message>${xmlEscape(message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/** The refusal a service answers, by SigV4 signing name. */
export function refusal(service: string, code: RefusalCode, message: string): AwsResponse {
  const requestId = randomUUID();
  const signature = code !== 'AccessDenied';
  switch (service) {
    case 's3':
      return s3Refusal(code, message, requestId);
    case 'sns':
      return snsRefusal(code, message, requestId);
    case 'dynamodb':
      return json(400, {
        __type: `com.amazon.coral.service#${signature ? 'InvalidSignatureException' : 'AccessDeniedException'}`,
        Message: message,
      });
    case 'sqs':
      // SQS's JSON protocol names the error of its older Query protocol in this header, which
      // the SDK reports as the error's name (AccessDenied), as it always has.
      return json(
        403,
        {
          __type: `com.amazon.coral.service#${signature ? 'InvalidSignatureException' : 'AccessDeniedException'}`,
          message,
        },
        { 'x-amzn-query-error': `${signature ? 'SignatureDoesNotMatch' : 'AccessDenied'};Sender` },
      );
    case 'lambda':
      return json(
        403,
        { Type: 'User', message },
        {
          'x-amzn-errortype': signature ? 'InvalidSignatureException' : 'AccessDeniedException',
        },
        'application/json',
      );
    default:
      return json(400, {
        __type: signature ? 'InvalidSignatureException' : 'AccessDeniedException',
        message,
      });
  }
}
