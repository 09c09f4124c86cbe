/**
 * An object's tags (`GET/PUT/DELETE /<bucket>/<key>?tagging`), kept in the object's record. A
 * change of tags rewrites the object's file (body and record, committed by one rename) without
 * changing its ETag or Last-Modified, and without announcing a created object.
 */
import type { Bucket, ObjectRecord } from './object-store';
import { seal, writeFromStored } from './object-writer';
import type { S3Context } from './s3-context';
import { readXmlBody, xmlAnswer } from './s3-context';
import { s3Errors } from './s3-errors';
import type { S3Answer, S3Call } from './types';
import { OBJECT_TAG_LIMIT, readTagging, writeTagSet } from './tag-set';
import type { Tags } from './tag-set';
import { document } from './xml-writer';

/** S3 says which version it tagged: the only one, `null`. */
const VERSION = { 'x-amz-version-id': 'null' };

function recordOf(bucket: Bucket, key: string): ObjectRecord {
  const record = bucket.objects.get(key);
  if (!record) throw s3Errors.noSuchKey(key);
  return record;
}

async function retag(context: S3Context, bucket: Bucket, key: string, tags: Tags): Promise<void> {
  const opened = await context.store.openObject(bucket, key);
  if (!opened) throw s3Errors.noSuchKey(key);
  const { tags: _old, ...rest } = opened.record;
  const record: ObjectRecord = Object.keys(tags).length > 0 ? { ...rest, tags } : rest;
  const written = await writeFromStored(
    context.store,
    [{ file: opened, start: 0, end: record.size - 1 }],
    record.checksum?.algorithm,
  ).finally(() => opened.close());
  seal(context.store, written, record);
  context.store.commitObject(bucket, written.temp, record);
}

export async function objectTaggingOperation(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
  key: string,
): Promise<S3Answer> {
  switch (call.method) {
    case 'GET':
      return xmlAnswer(document('Tagging', writeTagSet(recordOf(bucket, key).tags ?? {})), VERSION);
    case 'PUT': {
      recordOf(bucket, key);
      const tags = readTagging(await readXmlBody(call), OBJECT_TAG_LIMIT);
      await retag(context, bucket, key, tags);
      return { status: 200, headers: VERSION };
    }
    case 'DELETE':
      recordOf(bucket, key);
      await retag(context, bucket, key, {});
      return { status: 204, headers: VERSION };
    default:
      throw s3Errors.methodNotAllowed(call.method, 'OBJECT');
  }
}
