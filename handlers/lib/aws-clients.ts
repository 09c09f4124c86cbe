import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

/**
 * Client settings shared by every function; each handler calls these once, at module scope, so
 * warm invocations reuse connections. Endpoints come from the SDK's own AWS_ENDPOINT_URL_* variables.
 */

export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function createS3Client(): S3Client {
  // Pre-signed PUTs must not carry a checksum of an empty body, or the browser's upload is rejected.
  return new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
}
