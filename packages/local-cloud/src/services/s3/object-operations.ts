/**
 * S3's object operations: PutObject, GetObject and HeadObject (conditions, ranges, part numbers,
 * response-* overrides, checksums), DeleteObject, DeleteObjects and CopyObject. A write is
 * committed (one rename) and announced before it is answered.
 */
import { checksumAlgorithmOf, checksumHeader } from './checksums';
import type { ChecksumAlgorithm } from './checksums';
import { evaluateConditions, parseRange } from './object-conditions';
import type { ByteRange } from './object-conditions';
import {
  objectResponseHeaders,
  quotedEtag,
  storedHeadersOf,
  userMetadataOf,
} from './object-headers';
import type { Bucket, ObjectChecksum, ObjectRecord } from './object-store';
import { seal, writeFromStream, writeFromStored, writtenFacts } from './object-writer';
import type { WrittenFile } from './object-writer';
import { bodyExpectations } from './request-body';
import type { S3Context } from './s3-context';
import type { S3Answer, S3Call } from './types';
import { headerOf, readXmlBody, xmlAnswer } from './s3-context';
import { S3Error, s3Errors } from './s3-errors';
import { parseCopySource } from './s3-location';
import { isValidBucketName } from './bucket-names';
import { readDeleteRequest } from './delete-request';
import { readTaggingHeader } from './tag-set';
import { document, nested, text } from './xml-writer';

/** S3's longest key: 1,024 bytes of UTF-8. */
export function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > 1024) throw s3Errors.keyTooLong(bytes);
}

/** An unversioned bucket has one version of each object, `null`. */
function checkVersion(versionId: string | null | undefined): void {
  if (versionId !== null && versionId !== undefined && versionId !== 'null') {
    throw s3Errors.invalidArgument('Invalid version id specified', 'versionId', versionId);
  }
}

/** The headers that report an object's checksum. */
function checksumHeaders(checksum: ObjectChecksum | undefined): Record<string, string> {
  if (!checksum) return {};
  return {
    [checksumHeader(checksum.algorithm)]: checksum.value,
    'x-amz-checksum-type': checksum.type,
  };
}

/** A conditional write (`If-None-Match: *`, `If-Match: <etag>`), checked as it commits. */
function checkWriteConditions(call: Pick<S3Call, 'headers'>, bucket: Bucket, key: string): void {
  const existing = bucket.objects.get(key);
  const ifNoneMatch = headerOf(call, 'if-none-match');
  if (ifNoneMatch !== undefined && existing) {
    if (ifNoneMatch.trim() !== '*') throw s3Errors.notImplemented('If-None-Match other than *');
    throw s3Errors.preconditionFailed('If-None-Match');
  }
  const ifMatch = headerOf(call, 'if-match');
  if (ifMatch === undefined) return;
  if (!existing) throw s3Errors.noSuchKey(key);
  evaluateConditions(existing, { 'if-match': ifMatch });
}

/** Commits a sealed file as the object (the commit point), then announces it. */
export function commitObject(
  context: S3Context,
  call: Pick<S3Call, 'headers' | 'sourceIp'>,
  bucket: Bucket,
  written: WrittenFile,
  record: ObjectRecord,
  eventName: string,
): void {
  try {
    checkWriteConditions(call, bucket, record.key);
    if (!context.store.isLive(bucket)) throw s3Errors.noSuchBucket(bucket.name);
  } catch (error) {
    context.store.discard(written.temp);
    throw error;
  }
  context.store.commitObject(bucket, written.temp, record);
  context.notify({
    bucket: bucket.name,
    key: record.key,
    size: record.size,
    eTag: record.etag,
    eventName,
    eventTime: new Date(record.lastModified).toISOString(),
    sourceIp: call.sourceIp,
  });
}

export async function putObject(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
  key: string,
): Promise<S3Answer> {
  const expected = bodyExpectations(call.headers);
  const headers = storedHeadersOf(call.headers);
  const metadata = userMetadataOf(call.headers);
  const tags = readTaggingHeader(headerOf(call, 'x-amz-tagging'));
  const written = await writeFromStream(context.store, call.request, expected);
  const record: ObjectRecord = {
    key,
    ...writtenFacts(written.body),
    headers,
    metadata,
    ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
  };
  seal(context.store, written, record);
  commitObject(context, call, bucket, written, record, 'ObjectCreated:Put');
  return {
    status: 200,
    headers: {
      etag: quotedEtag(record.etag),
      'x-amz-server-side-encryption': 'AES256',
      ...checksumHeaders(record.checksum),
    },
  };
}

/** A `partNumber` query parameter: 1 to 10,000. */
export function partNumberOf(value: string | null): number {
  const number = value !== null && /^\d{1,5}$/.test(value) ? Number(value) : 0;
  if (number < 1 || number > 10000) {
    throw s3Errors.invalidArgument(
      'Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      value ?? '',
    );
  }
  return number;
}

/** The byte range of part `partNumber` of an object (a whole object is its only part, 1). */
function partRange(record: ObjectRecord, value: string): ByteRange & { count: number } {
  const parts = record.parts ?? [record.size];
  const number = partNumberOf(value);
  if (number > parts.length) throw s3Errors.invalidRange(record.size);
  const start = parts.slice(0, number - 1).reduce((sum, size) => sum + size, 0);
  return { start, end: start + (parts[number - 1] ?? 0) - 1, count: parts.length };
}

/** The status, headers and byte range of a GET or HEAD of `record`. */
function readAnswer(
  call: S3Call,
  record: ObjectRecord,
  isGet: boolean,
): { answer: S3Answer; range?: ByteRange } {
  checkVersion(call.query.get('versionId'));
  const headers = objectResponseHeaders(record, isGet ? call.query : undefined);
  if (evaluateConditions(record, call.headers) === 'not-modified') {
    return {
      answer: {
        status: 304,
        headers: { etag: headers.etag ?? '', 'last-modified': headers['last-modified'] ?? '' },
      },
    };
  }
  const partNumber = call.query.get('partNumber');
  let range: ByteRange | undefined;
  if (partNumber !== null) {
    const part = partRange(record, partNumber);
    range = { start: part.start, end: part.end };
    headers['x-amz-mp-parts-count'] = String(part.count);
  } else {
    range = parseRange(headerOf(call, 'range'), record.size);
  }
  const whole = range === undefined || (range.start === 0 && range.end === record.size - 1);
  if (headerOf(call, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED' && whole) {
    Object.assign(headers, checksumHeaders(record.checksum));
  }
  if (!range) {
    return {
      answer: { status: 200, headers: { ...headers, 'content-length': String(record.size) } },
    };
  }
  headers['content-length'] = String(range.end - range.start + 1);
  headers['content-range'] = `bytes ${range.start}-${range.end}/${record.size}`;
  return { answer: { status: 206, headers }, range };
}

export function headObject(call: S3Call, bucket: Bucket, key: string): S3Answer {
  const record = bucket.objects.get(key);
  if (!record) throw s3Errors.noSuchKey(key);
  return readAnswer(call, record, false).answer;
}

export async function getObject(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
  key: string,
): Promise<S3Answer> {
  const opened = await context.store.openObject(bucket, key);
  if (!opened) throw s3Errors.noSuchKey(key);
  try {
    const { answer, range } = readAnswer(call, opened.record, true);
    const { start, end } = range ?? { start: 0, end: opened.record.size - 1 };
    if (answer.status === 304 || end < start) {
      await opened.close();
      return answer;
    }
    return { ...answer, stream: opened.body(start, end) };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

export function deleteObject(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
  key: string,
): S3Answer {
  checkVersion(call.query.get('versionId'));
  context.store.deleteObject(bucket, key);
  return { status: 204 };
}

export async function deleteObjects(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
): Promise<S3Answer> {
  const request = readDeleteRequest(await readXmlBody(call));
  const results = request.objects.map(({ key, versionId }) => {
    try {
      checkKey(key);
      checkVersion(versionId);
      if (context.store.isLive(bucket)) context.store.deleteObject(bucket, key);
      return request.quiet ? '' : nested('Deleted', text('Key', key), text('VersionId', versionId));
    } catch (error) {
      const failure = error instanceof S3Error ? error : s3Errors.internalError();
      return nested(
        'Error',
        text('Key', key),
        text('VersionId', versionId),
        text('Code', failure.code),
        text('Message', failure.message),
      );
    }
  });
  return xmlAnswer(document('DeleteResult', ...results));
}

/** `x-amz-checksum-algorithm` of a copy or a multipart upload. */
export function requestedAlgorithm(call: S3Call): ChecksumAlgorithm | undefined {
  const value = headerOf(call, 'x-amz-checksum-algorithm');
  if (value === undefined) return undefined;
  const algorithm = checksumAlgorithmOf(value);
  if (!algorithm) throw s3Errors.invalidRequest('Checksum algorithm provided is unsupported.');
  return algorithm;
}

/** The source object of a copy (`x-amz-copy-source`), checked as S3 checks it, opened. */
export async function openCopySource(context: S3Context, call: S3Call) {
  const header = headerOf(call, 'x-amz-copy-source') ?? '';
  const source = parseCopySource(header);
  if (!source) {
    throw s3Errors.invalidArgument(
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      'x-amz-copy-source',
      header,
    );
  }
  if ('arn' in source) throw s3Errors.notImplemented('Copying from an access point');
  checkVersion(source.versionId);
  if (!isValidBucketName(source.bucket)) throw s3Errors.invalidBucketName(source.bucket);
  checkKey(source.key);
  const bucket = context.store.getBucket(source.bucket);
  if (!bucket) throw s3Errors.noSuchBucket(source.bucket);
  const opened = await context.store.openObject(bucket, source.key);
  if (!opened) throw s3Errors.noSuchKey(source.key);
  try {
    evaluateConditions(opened.record, call.headers, 'x-amz-copy-source-');
  } catch (error) {
    await opened.close();
    throw error;
  }
  return { bucket, key: source.key, opened };
}

export async function copyObject(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
  key: string,
): Promise<S3Answer> {
  const directive = (headerOf(call, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw s3Errors.invalidArgument(
      'Unknown metadata directive.',
      'x-amz-metadata-directive',
      directive,
    );
  }
  const algorithm = requestedAlgorithm(call);
  const replace = directive === 'REPLACE';
  const replaced = replace
    ? { headers: storedHeadersOf(call.headers), metadata: userMetadataOf(call.headers) }
    : undefined;
  const source = await openCopySource(context, call);
  const { record: from } = source.opened;
  if (source.bucket === bucket && source.key === key && !replace) {
    await source.opened.close();
    throw s3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const tags =
    headerOf(call, 'x-amz-tagging-directive') === 'REPLACE'
      ? readTaggingHeader(headerOf(call, 'x-amz-tagging') ?? '')
      : from.tags;
  const written = await writeFromStored(
    context.store,
    [{ file: source.opened, start: 0, end: from.size - 1 }],
    algorithm ?? from.checksum?.algorithm,
  ).finally(() => source.opened.close());
  const record: ObjectRecord = {
    key,
    ...writtenFacts(written.body),
    headers: replaced?.headers ?? from.headers,
    metadata: replaced?.metadata ?? from.metadata,
    ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
  };
  seal(context.store, written, record);
  commitObject(context, call, bucket, written, record, 'ObjectCreated:Copy');
  return xmlAnswer(
    document(
      'CopyObjectResult',
      text('ETag', quotedEtag(record.etag)),
      text('LastModified', new Date(record.lastModified).toISOString()),
      record.checksum ? text(`Checksum${record.checksum.algorithm}`, record.checksum.value) : '',
    ),
    { 'x-amz-server-side-encryption': 'AES256' },
  );
}
