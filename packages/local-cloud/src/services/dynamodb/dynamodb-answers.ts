/**
 * DynamoDB's JSON answers as the control plane writes them: a result, or an error as
 * `{"__type":"com.amazonaws.dynamodb.v20120810#<Code>","message":…}` with status 400. Every answer
 * carries the CRC32 of its body (`x-amz-crc32`), which the AWS CLI checks.
 */
import { AwsError } from '../aws-error';
import type { AwsResponse } from '../edge/types';
import { createHasher } from '../s3/checksums';

export class DynamoError extends AwsError {}

export const validation = (message: string): DynamoError =>
  new DynamoError('ValidationException', message);

export const resourceNotFound = (message = 'Requested resource not found'): DynamoError =>
  new DynamoError('ResourceNotFoundException', message);

/** An answer with its body's CRC32, as DynamoDB sends it. */
export function jsonAnswer(status: number, body: string | Buffer): AwsResponse {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const crc = createHasher('CRC32');
  crc.update(bytes);
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-crc32': String(crc.digest().readUInt32BE()),
    },
    body: bytes,
  };
}

export const resultAnswer = (result: object): AwsResponse =>
  jsonAnswer(200, JSON.stringify(result));

export const errorAnswer = (error: DynamoError): AwsResponse =>
  jsonAnswer(
    error.status,
    JSON.stringify({
      __type: `com.amazonaws.dynamodb.v20120810#${error.code}`,
      message: error.message,
    }),
  );
