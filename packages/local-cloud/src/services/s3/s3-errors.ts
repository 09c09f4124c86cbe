/**
 * S3's errors: a code, an HTTP status and a message, answered as
 * `<Error><Code/><Message/><Resource/><RequestId/></Error>` (no body for HEAD). Operations throw
 * an S3Error; the service turns it into that answer. The codes and messages are S3's own, so an
 * SDK raises what it would raise against AWS (`NoSuchKey`, `BucketNotEmpty`…).
 */

import { randomUUID } from 'node:crypto';
import { escapeXml } from '../../xml-escape';
import type { AwsResponse } from '../edge/types';
import { text } from './xml-writer';

/** Extra elements S3 adds to some errors (`<BucketName>`, `<Key>`, `<Method>`…). */
export type ErrorDetails = Record<string, string>;

export class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: ErrorDetails = {},
    /** Headers the answer carries (`Content-Range` of an InvalidRange, `Allow`…). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }
}

/** The errors operations raise, by S3's code. */
export const s3Errors = {
  accessForbidden: (message: string, details: ErrorDetails = {}) =>
    new S3Error('AccessForbidden', 403, message, details),
  badDigest: (message: string) => new S3Error('BadDigest', 400, message),
  bucketAlreadyOwnedByYou: (bucket: string) =>
    new S3Error(
      'BucketAlreadyOwnedByYou',
      409,
      'Your previous request to create the named bucket succeeded and you already own it.',
      { BucketName: bucket },
    ),
  bucketNotEmpty: (bucket: string) =>
    new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', {
      BucketName: bucket,
    }),
  entityTooLarge: (size: number, limit: number) =>
    new S3Error('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: String(size),
      MaxSizeAllowed: String(limit),
    }),
  entityTooSmall: () =>
    new S3Error(
      'EntityTooSmall',
      400,
      'Your proposed upload is smaller than the minimum allowed object size.',
    ),
  incompleteBody: () =>
    new S3Error(
      'IncompleteBody',
      400,
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
    ),
  internalError: () =>
    new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.'),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error(
      'InvalidArgument',
      400,
      message,
      name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' },
    ),
  invalidBucketName: (bucket: string) =>
    new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', {
      BucketName: bucket,
    }),
  invalidDigest: (message = 'The Content-MD5 you specified is not valid.') =>
    new S3Error('InvalidDigest', 400, message),
  invalidLocationConstraint: (value: string) =>
    new S3Error(
      'InvalidLocationConstraint',
      400,
      'The specified location-constraint is not valid',
      { LocationConstraint: value },
    ),
  invalidPart: () =>
    new S3Error(
      'InvalidPart',
      400,
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    ),
  invalidPartOrder: () =>
    new S3Error(
      'InvalidPartOrder',
      400,
      'The list of parts was not in ascending order. Parts must be ordered by part number.',
    ),
  invalidRange: (size: number) =>
    new S3Error(
      'InvalidRange',
      416,
      'The requested range is not satisfiable',
      { ActualObjectSize: String(size) },
      { 'content-range': `bytes */${size}` },
    ),
  invalidRequest: (message: string) => new S3Error('InvalidRequest', 400, message),
  invalidUri: () => new S3Error('InvalidURI', 400, "Couldn't parse the specified URI."),
  keyTooLong: (size: number) =>
    new S3Error('KeyTooLongError', 400, 'Your key is too long', {
      Size: String(size),
      MaxSizeAllowed: '1024',
    }),
  malformedXml: () =>
    new S3Error(
      'MalformedXML',
      400,
      'The XML you provided was not well-formed or did not validate against our published schema',
    ),
  maxMessageLengthExceeded: () =>
    new S3Error('MaxMessageLengthExceeded', 400, 'Your request was too big.'),
  metadataTooLarge: (size: number) =>
    new S3Error(
      'MetadataTooLarge',
      400,
      'Your metadata headers exceed the maximum allowed metadata size',
      {
        Size: String(size),
        MaxSizeAllowed: '2048',
      },
    ),
  methodNotAllowed: (method: string, resourceType: 'SERVICE' | 'BUCKET' | 'OBJECT') =>
    new S3Error(
      'MethodNotAllowed',
      405,
      'The specified method is not allowed against this resource.',
      {
        Method: method,
        ResourceType: resourceType,
      },
    ),
  noSuchBucket: (bucket: string) =>
    new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket }),
  noSuchKey: (key: string) =>
    new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }),
  noSuchUpload: (uploadId: string) =>
    new S3Error(
      'NoSuchUpload',
      404,
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    ),
  noSuchVersion: (versionId: string) =>
    new S3Error('NoSuchVersion', 404, 'The specified version does not exist.', {
      VersionId: versionId,
    }),
  notImplemented: (what: string) =>
    new S3Error(
      'NotImplemented',
      501,
      `A header or query you provided implies functionality that is not implemented: ${what} is not emulated by the local cloud`,
    ),
  preconditionFailed: (condition: string) =>
    new S3Error(
      'PreconditionFailed',
      412,
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: condition,
      },
    ),
  serviceUnavailable: () =>
    new S3Error('ServiceUnavailable', 503, 'The local cloud is stopping; please retry.'),
  contentSha256Mismatch: (client: string, computed: string) =>
    new S3Error(
      'XAmzContentSHA256Mismatch',
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      { ClientComputedContentSHA256: client, S3ComputedContentSHA256: computed },
    ),
};

/** The error document S3 answers for `error` on `resource`. */
export function errorXml(error: S3Error, resource: string, requestId: string): string {
  const details = Object.entries(error.details)
    .map(([name, value]) => text(name, value))
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
    `${details}${text('Resource', resource)}${text('RequestId', requestId)}` +
    `${text('HostId', 'local-cloud')}</Error>`
  );
}

/** The answer to a body over the limit the edge reads (a DeleteObjects document, say): S3's own error for it. */
export function requestTooLarge(): AwsResponse {
  const error = s3Errors.maxMessageLengthExceeded();
  const requestId = randomUUID();
  return {
    status: error.status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: errorXml(error, '/', requestId),
  };
}
