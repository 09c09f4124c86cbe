/**
 * Multipart uploads, as `aws s3 cp` and the SDK's Upload use them for large files:
 * CreateMultipartUpload, UploadPart (and UploadPartCopy), CompleteMultipartUpload (the `-N` ETag),
 * AbortMultipartUpload, ListParts and ListMultipartUploads. Parts are files of their own until the
 * upload completes; the completed object is written whole, then committed with one rename.
 */
import { checksumHeader } from './checksums';
import type { ByteRange } from './object-conditions';
import { quotedEtag, storedHeadersOf, userMetadataOf } from './object-headers';
import {
  commitObject,
  openCopySource,
  partNumberOf,
  requestedAlgorithm,
} from './object-operations';
import { maxKeysOf, owner } from './object-listing';
import type { Bucket, ObjectRecord, OpenedFile, PartRecord, Upload } from './object-store';
import {
  multipartEtag,
  seal,
  writeFromStream,
  writeFromStored,
  writtenFacts,
} from './object-writer';
import type { StoredPiece, WrittenFile } from './object-writer';
import { bodyExpectations } from './request-body';
import type { S3Context } from './s3-context';
import type { S3Answer, S3Call } from './types';
import { headerOf, readXmlBody, xmlAnswer } from './s3-context';
import { s3Errors } from './s3-errors';
import { compareUtf8 } from './sorted-keys';
import type { XmlElement } from './xml-reader';
import { childrenNamed, childText, XmlError } from './xml-reader';
import { document, nested, text } from './xml-writer';

/** Every part but the last must be at least 5 MiB. */
const MIN_PART_BYTES = 5 * 1024 * 1024;

export function createMultipartUpload(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
  key: string,
): S3Answer {
  const algorithm = requestedAlgorithm(call);
  const upload = context.store.createUpload(bucket, {
    key,
    initiated: Date.now(),
    headers: storedHeadersOf(call.headers),
    metadata: userMetadataOf(call.headers),
    ...(algorithm ? { checksumAlgorithm: algorithm } : {}),
  });
  return xmlAnswer(
    document('InitiateMultipartUploadResult', uploadNames(bucket, upload)),
    algorithm ? { 'x-amz-checksum-algorithm': algorithm } : {},
  );
}

/** `<Bucket/><Key/><UploadId/>`, which several answers start with. */
const uploadNames = (bucket: Bucket, upload: Upload): string =>
  text('Bucket', bucket.name) +
  text('Key', upload.record.key) +
  text('UploadId', upload.record.uploadId);

/** The open upload `uploadId` of this key, or NoSuchUpload. */
function uploadOf(context: S3Context, bucket: Bucket, key: string, uploadId: string): Upload {
  const upload = context.store.getUpload(bucket, uploadId);
  if (!upload || upload.record.key !== key) throw s3Errors.noSuchUpload(uploadId);
  return upload;
}

export async function uploadPart(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
  key: string,
): Promise<S3Answer> {
  const upload = uploadOf(context, bucket, key, call.query.get('uploadId') ?? '');
  const partNumber = partNumberOf(call.query.get('partNumber'));
  const copying = headerOf(call, 'x-amz-copy-source') !== undefined;
  const written = copying
    ? await copiedPart(context, call, upload)
    : await writeFromStream(
        context.store,
        call.request,
        bodyExpectations(call.headers, upload.record.checksumAlgorithm),
      );
  const part: PartRecord = {
    partNumber,
    ...writtenFacts(written.body),
  };
  seal(context.store, written, part);
  context.store.commitPart(bucket, upload, written.temp, part);
  const checksum = part.checksum
    ? { [checksumHeader(part.checksum.algorithm)]: part.checksum.value }
    : {};
  if (!copying) return { status: 200, headers: { etag: quotedEtag(part.etag), ...checksum } };
  return xmlAnswer(
    document(
      'CopyPartResult',
      text('ETag', quotedEtag(part.etag)),
      text('LastModified', new Date(part.lastModified).toISOString()),
    ),
  );
}

/** `x-amz-copy-source-range: bytes=first-last`, within the source; all of it when absent. */
function copySourceRange(value: string | undefined, size: number): ByteRange {
  if (value === undefined) return { start: 0, end: size - 1 };
  const match = /^bytes=(\d{1,16})-(\d{1,16})$/.exec(value.trim());
  const start = Number(match?.[1]);
  const end = Number(match?.[2]);
  if (!match || start > end || end >= size) {
    throw s3Errors.invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      value,
    );
  }
  return { start, end };
}

/** UploadPartCopy: the part is `x-amz-copy-source-range` (or all) of another object. */
async function copiedPart(context: S3Context, call: S3Call, upload: Upload): Promise<WrittenFile> {
  const source = await openCopySource(context, call);
  let range: ByteRange;
  try {
    range = copySourceRange(headerOf(call, 'x-amz-copy-source-range'), source.opened.record.size);
  } catch (error) {
    await source.opened.close();
    throw error;
  }
  return writeFromStored(
    context.store,
    [{ file: source.opened, ...range }],
    upload.record.checksumAlgorithm,
  ).finally(() => source.opened.close());
}

interface CompletedPart {
  partNumber: number;
  etag: string;
}

function readCompletedParts(root: XmlElement): CompletedPart[] {
  if (root.name !== 'CompleteMultipartUpload') throw s3Errors.malformedXml();
  const parts = childrenNamed(root, 'Part');
  if (parts.length === 0) throw s3Errors.malformedXml();
  try {
    return parts.map((part) => {
      const number = childText(part, 'PartNumber')?.trim() ?? '';
      const etag = childText(part, 'ETag')?.trim();
      if (!/^\d{1,5}$/.test(number) || etag === undefined) throw s3Errors.malformedXml();
      return { partNumber: Number(number), etag: etag.replace(/^"(.*)"$/, '$1') };
    });
  } catch (error) {
    if (error instanceof XmlError) throw s3Errors.malformedXml();
    throw error;
  }
}

export async function completeMultipartUpload(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
  key: string,
): Promise<S3Answer> {
  const upload = uploadOf(context, bucket, key, call.query.get('uploadId') ?? '');
  const wanted = readCompletedParts(await readXmlBody(call));
  const parts = wanted.map((want, index): PartRecord => {
    const previous = wanted[index - 1];
    if (previous && previous.partNumber >= want.partNumber) throw s3Errors.invalidPartOrder();
    const part = upload.parts.get(want.partNumber);
    if (!part || part.etag !== want.etag) throw s3Errors.invalidPart();
    return part;
  });
  if (parts.slice(0, -1).some((part) => part.size < MIN_PART_BYTES))
    throw s3Errors.entityTooSmall();
  const opened: OpenedFile<unknown>[] = [];
  let written: WrittenFile;
  try {
    const pieces: StoredPiece[] = [];
    for (const part of parts) {
      const file = await context.store.openPart(upload, part.partNumber);
      if (!file) throw s3Errors.invalidPart();
      opened.push(file);
      pieces.push({ file, start: 0, end: part.size - 1 });
    }
    written = await writeFromStored(context.store, pieces, upload.record.checksumAlgorithm);
  } finally {
    await Promise.all(opened.map((file) => file.close()));
  }
  const record: ObjectRecord = {
    key,
    ...writtenFacts(written.body),
    etag: multipartEtag(parts.map((part) => part.etag)),
    headers: upload.record.headers,
    metadata: upload.record.metadata,
    parts: parts.map((part) => part.size),
  };
  seal(context.store, written, record);
  if (context.store.getUpload(bucket, upload.record.uploadId) !== upload) {
    context.store.discard(written.temp);
    throw s3Errors.noSuchUpload(upload.record.uploadId);
  }
  commitObject(context, call, bucket, written, record, 'ObjectCreated:CompleteMultipartUpload');
  context.store.removeUpload(bucket, upload);
  const host = headerOf(call, 'host') ?? 'localhost';
  return xmlAnswer(
    document(
      'CompleteMultipartUploadResult',
      text('Location', `http://${host}/${bucket.name}/${encodeURIComponent(key)}`),
      text('Bucket', bucket.name),
      text('Key', key),
      text('ETag', quotedEtag(record.etag)),
      record.checksum ? text(`Checksum${record.checksum.algorithm}`, record.checksum.value) : '',
      record.checksum ? text('ChecksumType', record.checksum.type) : '',
    ),
  );
}

export function abortMultipartUpload(
  context: S3Context,
  call: S3Call,
  bucket: Bucket,
  key: string,
): S3Answer {
  const upload = uploadOf(context, bucket, key, call.query.get('uploadId') ?? '');
  context.store.removeUpload(bucket, upload);
  return { status: 204 };
}

export function listParts(context: S3Context, call: S3Call, bucket: Bucket, key: string): S3Answer {
  const upload = uploadOf(context, bucket, key, call.query.get('uploadId') ?? '');
  const maxParts = maxKeysOf(call.query, 'max-parts');
  const marker = Number(call.query.get('part-number-marker') ?? '0') || 0;
  const after = [...upload.parts.values()]
    .filter((part) => part.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, Math.min(maxParts, 1000));
  const truncated = after.length > page.length;
  const algorithm = upload.record.checksumAlgorithm;
  return xmlAnswer(
    document(
      'ListPartsResult',
      uploadNames(bucket, upload),
      text('PartNumberMarker', marker),
      text('NextPartNumberMarker', page[page.length - 1]?.partNumber ?? marker),
      text('MaxParts', maxParts),
      text('IsTruncated', truncated),
      ...page.map((part) =>
        nested(
          'Part',
          text('PartNumber', part.partNumber),
          text('LastModified', new Date(part.lastModified).toISOString()),
          text('ETag', quotedEtag(part.etag)),
          part.checksum ? text(`Checksum${part.checksum.algorithm}`, part.checksum.value) : '',
          text('Size', part.size),
        ),
      ),
      owner('Initiator'),
      owner(),
      text('StorageClass', 'STANDARD'),
      text('ChecksumAlgorithm', algorithm),
    ),
  );
}

export function listMultipartUploads(call: S3Call, bucket: Bucket): S3Answer {
  const prefix = call.query.get('prefix') ?? '';
  const delimiter = call.query.get('delimiter') ?? '';
  const keyMarker = call.query.get('key-marker') ?? '';
  const maxUploads = maxKeysOf(call.query, 'max-uploads');
  const uploads = [...bucket.uploads.values()]
    .filter(({ record }) => record.key.startsWith(prefix) && compareUtf8(record.key, keyMarker) > 0)
    .sort(
      (a, b) => compareUtf8(a.record.key, b.record.key) || a.record.initiated - b.record.initiated,
    );
  const listed: Upload[] = [];
  const prefixes = new Set<string>();
  let truncated = false;
  for (const upload of uploads) {
    if (listed.length + prefixes.size >= Math.min(maxUploads, 1000)) {
      truncated = true;
      break;
    }
    const cut = delimiter ? upload.record.key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) prefixes.add(upload.record.key.slice(0, cut + delimiter.length));
    else listed.push(upload);
  }
  const last = listed[listed.length - 1]?.record;
  return xmlAnswer(
    document(
      'ListMultipartUploadsResult',
      text('Bucket', bucket.name),
      text('KeyMarker', keyMarker),
      text('UploadIdMarker', call.query.get('upload-id-marker') ?? ''),
      truncated && last ? text('NextKeyMarker', last.key) : '',
      truncated && last ? text('NextUploadIdMarker', last.uploadId) : '',
      text('Prefix', prefix),
      delimiter ? text('Delimiter', delimiter) : '',
      text('MaxUploads', maxUploads),
      text('IsTruncated', truncated),
      ...listed.map(({ record }) =>
        nested(
          'Upload',
          text('Key', record.key),
          text('UploadId', record.uploadId),
          owner('Initiator'),
          owner(),
          text('StorageClass', 'STANDARD'),
          text('Initiated', new Date(record.initiated).toISOString()),
          text('ChecksumAlgorithm', record.checksumAlgorithm),
        ),
      ),
      ...[...prefixes].map((value) => nested('CommonPrefixes', text('Prefix', value))),
    ),
  );
}
