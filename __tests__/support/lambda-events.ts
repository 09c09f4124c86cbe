/**
 * The other events the app's functions receive, shaped like the real ones: SQS batches (event
 * source mapping) and S3 bucket notifications. Plus a Lambda context.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Context, S3Event, S3EventRecord, SQSEvent, SQSRecord } from 'aws-lambda';
import { s3EventRecord as localS3EventRecord } from '@serverless-week/local-cloud';
export { encodeS3EventKey } from '@serverless-week/local-cloud';

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

export interface S3ObjectNotice {
  bucket: string;
  /** The object key as stored; the event carries it URL-encoded. */
  key: string;
  size: number;
  eTag: string;
  eventName?: `ObjectCreated:${'Put' | 'Post' | 'Copy' | 'CompleteMultipartUpload'}`;
}

/** The record S3 delivers for a created object, built as the local cloud builds it. */
export function s3EventRecord(notice: S3ObjectNotice): S3EventRecord {
  return localS3EventRecord(
    {
      bucket: notice.bucket,
      key: notice.key,
      size: notice.size,
      eTag: notice.eTag,
      eventName: notice.eventName ?? 'ObjectCreated:Put',
      eventTime: new Date().toISOString(),
      sourceIp: '203.0.113.7',
    },
    { id: 'image-processor', functionArn: '', events: ['s3:ObjectCreated:*'] },
    REGION,
  );
}

export function s3Event(...notices: S3ObjectNotice[]): S3Event {
  return { Records: notices.map(s3EventRecord) };
}
