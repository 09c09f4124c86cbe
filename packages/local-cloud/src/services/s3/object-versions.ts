/**
 * ListObjectVersions (`GET /<bucket>?versions`): objects keep one version locally, the `null`
 * version of a bucket that was never versioned, so each key is listed once, as its latest version.
 * Terraform's force_destroy and aws_s3_object's delete list versions and delete each one.
 */
import type { Bucket, ObjectRecord } from './object-store';
import { quotedEtag } from './object-headers';
import { encoderOf, listPage, maxKeysOf, owner } from './object-listing';
import { document, nested, text } from './xml-writer';

function versionXml(record: ObjectRecord, encode: (value: string) => string): string {
  return nested(
    'Version',
    text('Key', encode(record.key)),
    text('VersionId', 'null'),
    text('IsLatest', true),
    text('LastModified', new Date(record.lastModified).toISOString()),
    text('ETag', quotedEtag(record.etag)),
    text('ChecksumAlgorithm', record.checksum?.algorithm),
    text('Size', record.size),
    owner(),
    text('StorageClass', 'STANDARD'),
  );
}

export function listObjectVersions(bucket: Bucket, query: URLSearchParams): string {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') || undefined;
  const keyMarker = query.get('key-marker') ?? '';
  const maxKeys = maxKeysOf(query);
  const encode = encoderOf(query);
  const page = listPage(bucket, {
    prefix,
    ...(delimiter ? { delimiter } : {}),
    ...(keyMarker ? { after: keyMarker } : {}),
    maxKeys,
  });
  return document(
    'ListVersionsResult',
    text('Name', bucket.name),
    text('Prefix', encode(prefix)),
    text('KeyMarker', encode(keyMarker)),
    text('VersionIdMarker', query.get('version-id-marker') ?? ''),
    text('MaxKeys', maxKeys),
    text('Delimiter', delimiter && encode(delimiter)),
    text('IsTruncated', page.truncated),
    page.truncated && page.last ? text('NextKeyMarker', encode(page.last)) : '',
    page.truncated ? text('NextVersionIdMarker', 'null') : '',
    page.contents.map((record) => versionXml(record, encode)).join(''),
    page.commonPrefixes
      .map((common) => nested('CommonPrefixes', text('Prefix', encode(common))))
      .join(''),
    query.has('encoding-type') ? text('EncodingType', 'url') : '',
  );
}
