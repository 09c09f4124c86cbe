/**
 * Conditional reads and byte ranges, as S3 evaluates them (RFC 9110's order): If-Match, then
 * If-Unmodified-Since (when If-Match is absent) fail with 412; If-None-Match, then
 * If-Modified-Since (when If-None-Match is absent) answer 304. The `x-amz-copy-source-if-*`
 * headers of a copy are the same conditions on the source, where any failure is a 412.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { s3Errors } from './s3-errors';

interface Versioned {
  etag: string;
  lastModified: number;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** `"a", W/"b"` or `*` against an ETag (stored without quotes). */
function etagMatches(list: string, etag: string): boolean {
  return list
    .split(',')
    .map((item) =>
      item
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .some((item) => item === '*' || item === etag);
}

/** HTTP dates have whole seconds; so does the comparison. */
function modifiedSince(object: Versioned, date: string | undefined): boolean | undefined {
  if (date === undefined) return undefined;
  const since = Date.parse(date);
  if (Number.isNaN(since)) return undefined;
  return Math.floor(object.lastModified / 1000) * 1000 > since;
}

/** 'not-modified' for a 304; throws PreconditionFailed for a 412. */
export function evaluateConditions(
  object: Versioned,
  headers: IncomingHttpHeaders,
  prefix = '',
): 'proceed' | 'not-modified' {
  const ifMatch = header(headers, `${prefix}if-match`);
  const ifNoneMatch = header(headers, `${prefix}if-none-match`);
  if (ifMatch !== undefined && !etagMatches(ifMatch, object.etag)) {
    throw s3Errors.preconditionFailed(prefix === '' ? 'If-Match' : 'x-amz-copy-source-If-Match');
  }
  if (
    ifMatch === undefined &&
    modifiedSince(object, header(headers, `${prefix}if-unmodified-since`))
  ) {
    throw s3Errors.preconditionFailed(
      prefix === '' ? 'If-Unmodified-Since' : 'x-amz-copy-source-If-Unmodified-Since',
    );
  }
  const notModified =
    ifNoneMatch !== undefined
      ? etagMatches(ifNoneMatch, object.etag)
      : modifiedSince(object, header(headers, `${prefix}if-modified-since`)) === false;
  if (notModified && prefix !== '') {
    throw s3Errors.preconditionFailed(
      ifNoneMatch !== undefined
        ? 'x-amz-copy-source-If-None-Match'
        : 'x-amz-copy-source-If-Modified-Since',
    );
  }
  return notModified ? 'not-modified' : 'proceed';
}

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * The one range of a `Range: bytes=…` header, or undefined to send the whole object (no header, a
 * syntax S3 ignores, or several ranges, which S3 does not serve); throws InvalidRange when the
 * range starts past the end.
 */
export function parseRange(value: string | undefined, size: number): ByteRange | undefined {
  const match = value === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw s3Errors.invalidRange(size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) throw s3Errors.invalidRange(size);
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}
