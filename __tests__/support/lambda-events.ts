/**
 * The other events the app's functions receive, shaped like the real ones: SQS batches (event
 * source mapping) and S3 bucket notifications. Plus a Lambda context.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Context, S3Event, S3EventRecord, SQSEvent, SQSRecord } from 'aws-lambda';

const REGION = 'eu-west-1';
const ACCOUNT_ID = '123456789012';

export function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2025/01/01/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

// ----- SQS ---------------------------------------------------------------------------------------

export interface SqsMessage {
  body: string;
  /** Keep the id to model a redelivery of the same message. */
  messageId?: string;
  /** 1 for a first delivery. */
  receiveCount?: number;
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

export function sqsRecord(queueName: string, message: SqsMessage): SQSRecord {
  const sent = Date.now() - 50;
  return {
    messageId: message.messageId ?? randomUUID(),
    // Real receipt handles are long opaque base64 strings, different on every receive.
    receiptHandle: Buffer.from(`${randomUUID()}#${randomUUID()}`).toString('base64'),
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount ?? 1),
      SentTimestamp: String(sent),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(sent + 10),
    },
    messageAttributes: {},
    md5OfBody: md5(message.body),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${queueName}`,
    awsRegion: REGION,
  };
}

export function sqsEvent(queueName: string, messages: SqsMessage[]): SQSEvent {
  return { Records: messages.map((message) => sqsRecord(queueName, message)) };
}

// ----- S3 ----------------------------------------------------------------------------------------

/**
 * How S3 writes an object key into an event notification: URL-encoded, with '+' for a space
 * (a literal '+' becomes %2B); the '/' separators stay as they are.
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

export interface S3ObjectNotice {
  bucket: string;
  /** The object key as stored; the event carries it URL-encoded. */
  key: string;
  size: number;
  eTag: string;
  eventName?: `ObjectCreated:${'Put' | 'Post' | 'Copy' | 'CompleteMultipartUpload'}`;
}

export function s3EventRecord(notice: S3ObjectNotice): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: REGION,
    eventTime: new Date().toISOString(),
    eventName: notice.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:AROAEXAMPLEROLEID:uploader' },
    requestParameters: { sourceIPAddress: '203.0.113.7' },
    responseElements: {
      'x-amz-request-id': randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
      'x-amz-id-2': createHash('sha256').update(randomUUID()).digest('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'image-processor',
      bucket: {
        name: notice.bucket,
        ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
        arn: `arn:aws:s3:::${notice.bucket}`,
      },
      object: {
        key: encodeS3EventKey(notice.key),
        size: notice.size,
        eTag: notice.eTag,
        sequencer: Date.now().toString(16).toUpperCase().padStart(18, '0'),
      },
    },
  };
}

export function s3Event(...notices: S3ObjectNotice[]): S3Event {
  return { Records: notices.map(s3EventRecord) };
}
