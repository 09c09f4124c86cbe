/**
 * The headers an object is stored with (Content-Type, Cache-Control, Content-Disposition,
 * Content-Encoding, Content-Language, Expires and `x-amz-meta-*` user metadata), read from a write
 * and answered on a read as S3 does.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ObjectRecord } from './object-store';
import { s3Errors } from './s3-errors';

const STORED = [
  'content-type',
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
] as const;

/** `GET ?response-content-type=…` (on a signed request) overrides what the object was stored with. */
const OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
};

const META = 'x-amz-meta-';
/** S3's limit on user metadata: names and values, 2 KB in UTF-8. */
const MAX_METADATA_BYTES = 2048;

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(',') : value;

/** The stored headers of a write; `aws-chunked` is the upload's framing, not the object's. */
export function storedHeadersOf(headers: IncomingHttpHeaders): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const name of STORED) {
    let value = single(headers[name]);
    if (name === 'content-encoding' && value !== undefined) {
      value = value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '' && part.toLowerCase() !== 'aws-chunked')
        .join(',');
      if (value === '') value = undefined;
    }
    if (value !== undefined) stored[name] = value;
  }
  return stored;
}

/** The `x-amz-meta-*` headers of a write, by name without the prefix. */
export function userMetadataOf(headers: IncomingHttpHeaders): Record<string, string> {
  const metadata: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(META) || value === undefined) continue;
    const key = name.slice(META.length);
    const text = single(value) ?? '';
    metadata[key] = text;
    bytes += Buffer.byteLength(key) + Buffer.byteLength(text);
  }
  if (bytes > MAX_METADATA_BYTES) throw s3Errors.metadataTooLarge(bytes);
  return metadata;
}

export const quotedEtag = (etag: string): string => `"${etag}"`;

/** The headers of a GET or HEAD answer for the object. */
export function objectResponseHeaders(
  record: ObjectRecord,
  query?: URLSearchParams,
): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'binary/octet-stream',
    ...record.headers,
    etag: quotedEtag(record.etag),
    'last-modified': new Date(record.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
  };
  for (const [name, value] of Object.entries(record.metadata)) headers[`${META}${name}`] = value;
  const tagCount = Object.keys(record.tags ?? {}).length;
  if (tagCount > 0) headers['x-amz-tagging-count'] = String(tagCount);
  for (const [parameter, name] of Object.entries(OVERRIDES)) {
    const value = query?.get(parameter);
    if (value === null || value === undefined) continue;
    // A header value cannot hold line breaks or characters beyond Latin-1.
    if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(value)) {
      throw s3Errors.invalidArgument(`Invalid ${parameter}`, parameter, value);
    }
    headers[name] = value;
  }
  return headers;
}
