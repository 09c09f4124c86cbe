/** The trigger rules of the local cloud: which notifications fire, which messages a poller keeps. */
import type { BucketNotification } from '../../src/stack/topology';
import type { ObjectCreated } from '../../src/services/s3/types';
import {
  encodeS3EventKey,
  matchesNotification,
  s3EventRecord,
} from '../../src/triggers/bucket-notifications';
import { messagesToKeep, sqsEvent } from '../../src/triggers/queue-pollers';
import type { ReceivedMessage } from '../../src/services/sqs/types';
import { receivedMessage } from '../support/queue-fixtures';

const created = (key: string, eventName = 'ObjectCreated:Put'): ObjectCreated => ({
  bucket: 'uploads',
  key,
  size: 10,
  eTag: 'abc',
  eventName,
  eventTime: '2026-11-26T15:00:00.000Z',
  sourceIp: '127.0.0.1',
});

const notification: BucketNotification = {
  id: 'make-thumbnails',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:images',
  events: ['s3:ObjectCreated:*'],
  filterPrefix: 'uploads/',
  filterSuffix: '.jpg',
};

describe('S3 notifications', () => {
  it('fire for a created object under the prefix with the suffix', () => {
    expect(matchesNotification(notification, created('uploads/a.jpg'))).toBe(true);
  });

  it('do not fire outside the prefix or without the suffix', () => {
    expect(matchesNotification(notification, created('other/a.jpg'))).toBe(false);
    expect(matchesNotification(notification, created('uploads/a.png'))).toBe(false);
  });

  it('fire only for the event names configured', () => {
    const putsOnly = { ...notification, events: ['s3:ObjectCreated:Put'] };

    expect(matchesNotification(putsOnly, created('uploads/a.jpg', 'ObjectCreated:Copy'))).toBe(
      false,
    );
    expect(matchesNotification(putsOnly, created('uploads/a.jpg', 'ObjectCreated:Put'))).toBe(true);
  });

  it('carry the key URL-encoded as S3 writes it, a space as +', () => {
    expect(encodeS3EventKey('uploads/my photo+1 é.jpg')).toBe('uploads/my+photo%2B1+%C3%A9.jpg');
  });

  it('have the shape of an S3 event record', () => {
    const record = s3EventRecord(created('uploads/a b.jpg'), notification, 'us-east-1');

    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      awsRegion: 'us-east-1',
      s3: {
        configurationId: 'make-thumbnails',
        bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' },
        object: { key: 'uploads/a+b.jpg', size: 10, eTag: 'abc' },
      },
    });
  });
});

describe('SQS event source mappings', () => {
  const message = (messageId: string): ReceivedMessage =>
    receivedMessage(messageId, { type: { DataType: 'String', StringValue: 'note' } });
  const batch = [message('a'), message('b'), message('c')];
  const reporting = { reportBatchItemFailures: true };

  it('keep the whole batch when the function fails', () => {
    const kept = messagesToKeep(reporting, batch, { payload: '{}', functionError: 'Unhandled' });

    expect(kept).toEqual(batch);
  });

  it('keep only the reported failures with ReportBatchItemFailures', () => {
    const payload = JSON.stringify({ batchItemFailures: [{ itemIdentifier: 'b' }] });

    expect(messagesToKeep(reporting, batch, { payload }).map((kept) => kept.messageId)).toEqual([
      'b',
    ]);
  });

  it('keep the whole batch when a reported identifier is not in it, as Lambda does', () => {
    const payload = JSON.stringify({ batchItemFailures: [{ itemIdentifier: 'zzz' }] });

    expect(messagesToKeep(reporting, batch, { payload })).toEqual(batch);
  });

  it('delete the whole batch after a success without the failure report setting', () => {
    const payload = JSON.stringify({ batchItemFailures: [{ itemIdentifier: 'b' }] });

    expect(messagesToKeep({ reportBatchItemFailures: false }, batch, { payload })).toEqual([]);
  });

  it('hand the function the SQS event shape', () => {
    const event = sqsEvent([message('a')], 'arn:aws:sqs:us-east-1:000000000000:q', 'us-east-1');

    expect(event.Records[0]).toMatchObject({
      messageId: 'a',
      receiptHandle: 'handle-a',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      messageAttributes: {
        type: { dataType: 'String', stringValue: 'note', stringListValues: [] },
      },
    });
  });
});
