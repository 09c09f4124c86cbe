/**
 * S3 event notifications: an object created in a bucket invokes the functions its notification
 * configuration names, asynchronously, with the event S3 would send. S3 URL-encodes the key in the
 * event (a space becomes '+'), which handlers must decode: the local event does the same so a
 * handler that forgets fails here and not first in the cloud.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { S3EventRecord } from 'aws-lambda';
import type { LocalLog } from '../log';
import type { BucketNotification, BucketSpec } from '../stack/topology';
import type { FunctionRuntime } from '../services/lambda/function-runtime';
import type { ObjectStorage } from '../services/s3/object-storage';
import type { ObjectCreated } from '../services/s3/types';

export type AsyncInvoker = Pick<FunctionRuntime, 'invokeAsync'>;
export type ObjectEvents = Pick<ObjectStorage, 'onObjectCreated'>;

/** How S3 writes a key into an event: URL-encoded, '+' for a space, '/' kept. */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

export function matchesNotification(
  notification: BucketNotification,
  created: ObjectCreated,
): boolean {
  const event = `s3:${created.eventName}`;
  const eventMatches = notification.events.some(
    (pattern) =>
      pattern === event || (pattern.endsWith(':*') && event.startsWith(pattern.slice(0, -1))),
  );
  return (
    eventMatches &&
    created.key.startsWith(notification.filterPrefix ?? '') &&
    created.key.endsWith(notification.filterSuffix ?? '')
  );
}

export function s3EventRecord(
  created: ObjectCreated,
  notification: BucketNotification,
  region: string,
): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region,
    eventTime: created.eventTime,
    eventName: created.eventName,
    userIdentity: { principalId: 'AWS:LOCALCLOUD' },
    requestParameters: { sourceIPAddress: created.sourceIp },
    responseElements: {
      'x-amz-request-id': randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
      'x-amz-id-2': createHash('sha256').update(randomUUID()).digest('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: notification.id ?? 'notification',
      bucket: {
        name: created.bucket,
        ownerIdentity: { principalId: 'LOCALCLOUD' },
        arn: `arn:aws:s3:::${created.bucket}`,
      },
      object: {
        key: encodeS3EventKey(created.key),
        size: created.size,
        eTag: created.eTag,
        sequencer: Date.now().toString(16).toUpperCase().padStart(18, '0'),
      },
    },
  };
}

export function connectBucketNotifications(options: {
  /** The buckets as they are now (read on each created object). */
  buckets: () => readonly BucketSpec[];
  storage: ObjectEvents;
  functions: AsyncInvoker;
  region: string;
  log: LocalLog;
}): void {
  options.storage.onObjectCreated((created) => {
    const bucket = options.buckets().find(({ name }) => name === created.bucket);
    for (const notification of bucket?.notifications ?? []) {
      if (!matchesNotification(notification, created)) continue;
      options.log.write(
        'debug',
        's3',
        `${created.eventName} s3://${created.bucket}/${created.key} → ${notification.functionArn}`,
      );
      options.functions.invokeAsync(notification.functionArn, {
        Records: [s3EventRecord(created, notification, options.region)],
      });
    }
  });
}
