/**
 * The errors AWS answers when a request is refused before its service sees it (IAM denies it, its
 * signature fails, its key is unknown, it carries no signature), in each service's own protocol,
 * so an SDK client raises what it would raise against AWS (`AccessDenied` from S3,
 * `AccessDeniedException` from DynamoDB, `AuthorizationError` from SNS, `InvalidAccessKeyId` from
 * S3 and `UnrecognizedClientException` from DynamoDB for a key nobody issued…).
 */
import { randomUUID } from 'node:crypto';
import { QUERY_NAMESPACES, queryErrorResponse } from '../services/aws-query';
import type { AwsResponse } from '../services/edge/types';
import { SqsError } from '../services/sqs/sqs-errors';
import type { QueryFormat } from '../services/sqs/sqs-query-protocol';
import { escapeXml } from '../xml-escape';
import type { SignatureErrorCode } from './signature-v4';

/**
 * AccessDenied (a policy, or a web page calling), a signature check's code (SignatureDoesNotMatch,
 * RequestExpired…), a key nobody issued, or no signature at all.
 */
export type RefusalCode =
  'AccessDenied' | SignatureErrorCode | 'InvalidAccessKeyId' | 'MissingAuthenticationToken';

/**
 * What else a refusal can say: the key it was signed with (S3 echoes an unknown one), and, for an
 * SQS request in the Query protocol, the format it answers in.
 */
export interface RefusalDetails {
  accessKeyId?: string;
  sqsQuery?: QueryFormat;
}

type Kind = 'denied' | 'signature' | 'unknown-key' | 'unsigned';

const kindOf = (code: RefusalCode): Kind =>
  code === 'AccessDenied'
    ? 'denied'
    : code === 'InvalidAccessKeyId'
      ? 'unknown-key'
      : code === 'MissingAuthenticationToken'
        ? 'unsigned'
        : 'signature';

/** How every service but S3 words an unknown key and a missing signature. */
const TOKEN_INVALID = 'The security token included in the request is invalid.';
const TOKEN_MISSING = 'Request is missing Authentication Token';

/**
 * The error type of the JSON protocols (DynamoDB, Step Functions, SQS, Lambda) by kind of
 * refusal, as AWS's front end names them.
 */
const JSON_TYPES: Record<Kind, string> = {
  denied: 'AccessDeniedException',
  signature: 'InvalidSignatureException',
  'unknown-key': 'UnrecognizedClientException',
  unsigned: 'MissingAuthenticationTokenException',
};

/** SQS's JSON protocol also names the code of its older Query protocol, which the SDK raises. */
const SQS_QUERY_CODES: Record<Kind, string> = {
  denied: 'AccessDenied',
  signature: 'SignatureDoesNotMatch',
  'unknown-key': 'InvalidClientTokenId',
  unsigned: 'MissingAuthenticationToken',
};

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

function s3Refusal(
  code: RefusalCode,
  message: string,
  requestId: string,
  details: RefusalDetails,
): AwsResponse {
  // S3 says an expired pre-signed URL (or an unsigned request it refuses) is AccessDenied.
  const s3Code =
    code === 'RequestExpired' || code === 'MissingAuthenticationToken' ? 'AccessDenied' : code;
  const key =
    code === 'InvalidAccessKeyId' && details.accessKeyId !== undefined
      ? `<AWSAccessKeyId>${escapeXml(details.accessKeyId)}</AWSAccessKeyId>`
      : '';
  return {
    // S3 answers a malformed request 400, a refused one 403.
    status: code === 'InvalidRequest' || code === 'XAmzContentSHA256Mismatch' ? 400 : 403,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${s3Code}</Code><Message>${escapeXml(message)}</Message>${key}` +
      `<RequestId>${requestId}</RequestId><HostId>local-cloud</HostId></Error>`,
  };
}

/** SNS, IAM and STS: the query protocol's XML error, 403, with the code each uses. */
function queryRefusal(
  namespace: string,
  code: RefusalCode,
  message: string,
  requestId: string,
): AwsResponse {
  const queryCode = {
    denied: namespace === QUERY_NAMESPACES.sns ? 'AuthorizationError' : 'AccessDenied',
    signature: code,
    'unknown-key': 'InvalidClientTokenId',
    unsigned: 'MissingAuthenticationToken',
  }[kindOf(code)];
  return {
    status: 403,
    headers: { 'content-type': 'text/xml' },
    body: queryErrorResponse(namespace, { code: queryCode, message, senderFault: true }, requestId),
  };
}

/** The words a service uses: its own for an unknown key or a missing signature. */
function wordingOf(service: string, kind: Kind, message: string): string {
  if (service === 's3') return message;
  if (kind === 'unknown-key') return TOKEN_INVALID;
  if (kind === 'unsigned')
    return service === 'lambda' ? 'Missing Authentication Token' : TOKEN_MISSING;
  return message;
}

/** The refusal a service answers, by SigV4 signing name. */
export function refusal(
  service: string,
  code: RefusalCode,
  message: string,
  details: RefusalDetails = {},
): AwsResponse {
  const requestId = randomUUID();
  const kind = kindOf(code);
  const words = wordingOf(service, kind, message);
  switch (service) {
    case 's3':
      return s3Refusal(code, words, requestId, details);
    case 'sns':
    case 'iam':
    case 'sts':
      return queryRefusal(QUERY_NAMESPACES[service], code, words, requestId);
    case 'dynamodb':
      return json(400, { __type: `com.amazon.coral.service#${JSON_TYPES[kind]}`, Message: words });
    case 'sqs':
      if (details.sqsQuery)
        return new SqsError(JSON_TYPES[kind], SQS_QUERY_CODES[kind], words, 403).toQueryResponse(
          requestId,
          details.sqsQuery,
        );
      return json(
        403,
        { __type: `com.amazon.coral.service#${JSON_TYPES[kind]}`, message: words },
        { 'x-amzn-query-error': `${SQS_QUERY_CODES[kind]};Sender` },
      );
    case 'lambda':
      return json(
        403,
        { Type: 'User', message: words },
        { 'x-amzn-errortype': JSON_TYPES[kind] },
        'application/json',
      );
    case 'apigateway':
      // API Gateway's front end: 403, the type in x-amzn-ErrorType, `{"message"}`.
      return json(
        403,
        { message: words },
        { 'x-amzn-ErrorType': JSON_TYPES[kind] },
        'application/json',
      );
    default:
      return json(400, { __type: JSON_TYPES[kind], message: words });
  }
}
