/**
 * ListObjects (v1) and ListObjectsV2: pages of a bucket's keys in UTF-8 order, from the in-memory
 * index, with prefix, delimiter (common prefixes, each counted once against max-keys), marker,
 * start-after and continuation tokens, and `encoding-type=url`. A page resumes with a binary
 * search wherever the previous one stopped, so any page size works on any bucket size.
 */
import type { Bucket, ObjectRecord } from './object-store';
import { quotedEtag } from './object-headers';
import { s3Errors } from './s3-errors';
import { compareUtf8 } from './sorted-keys';
import { document, nested, text } from './xml-writer';

/** The canonical user of the local account, who owns (and initiates) everything. */
export const owner = (element: 'Owner' | 'Initiator' = 'Owner'): string =>
  nested(
    element,
    text('ID', '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a'),
    text('DisplayName', 'local-cloud'),
  );

const MAX_KEYS = 1000;

export interface ListingRequest {
  prefix: string;
  delimiter?: string;
  /** The listing starts after this key (or common prefix). */
  after?: string;
  maxKeys: number;
}

export interface ListingPage {
  contents: ObjectRecord[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix of the page: where the next page starts after. */
  last?: string;
}

/** Whether `marker` is a common prefix the listing rolls keys into (then its keys are skipped). */
function isCommonPrefix(marker: string, prefix: string, delimiter: string | undefined): boolean {
  if (!delimiter || !marker.startsWith(prefix)) return false;
  return marker.indexOf(delimiter, prefix.length) === marker.length - delimiter.length;
}

export function listPage(bucket: Bucket, request: ListingRequest): ListingPage {
  const { prefix, delimiter, after, maxKeys } = request;
  const { keys } = bucket;
  const page: ListingPage = { contents: [], commonPrefixes: [], truncated: false };
  if (maxKeys === 0) return page;
  const past = (rolledUp: string) => (key: string) =>
    compareUtf8(key, rolledUp) < 0 || key.startsWith(rolledUp);
  let index = keys.indexAfter(prefix, true);
  if (after !== undefined) {
    const resume = isCommonPrefix(after, prefix, delimiter)
      ? keys.firstNotBefore(past(after))
      : keys.indexAfter(after);
    index = Math.max(index, resume);
  }
  let count = 0;
  for (
    let key = keys.at(index);
    key !== undefined && key.startsWith(prefix);
    key = keys.at(index)
  ) {
    if (count === Math.min(maxKeys, MAX_KEYS)) {
      page.truncated = true;
      break;
    }
    count += 1;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (delimiter && cut >= 0) {
      const rolledUp = key.slice(0, cut + delimiter.length);
      page.commonPrefixes.push(rolledUp);
      page.last = rolledUp;
      index = keys.firstNotBefore(past(rolledUp));
      continue;
    }
    const record = bucket.objects.get(key);
    if (record) page.contents.push(record);
    page.last = key;
    index += 1;
  }
  return page;
}

/** `max-keys`: a non-negative integer (S3 answers at most 1,000 keys whatever it says). */
export function maxKeysOf(query: URLSearchParams, name = 'max-keys'): number {
  const value = query.get(name);
  if (value === null) return MAX_KEYS;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 2 ** 31 - 1) {
    throw s3Errors.invalidArgument(
      `Provided ${name} not an integer or within integer range`,
      name,
      value,
    );
  }
  return Number(value);
}

/** `encoding-type=url`: keys and prefixes answered URL-encoded (SDKs decode them). */
export function encoderOf(query: URLSearchParams): (value: string) => string {
  const type = query.get('encoding-type');
  if (type === null) return (value) => value;
  if (type !== 'url') {
    throw s3Errors.invalidArgument(
      'Invalid Encoding Method specified in Request',
      'encoding-type',
      type,
    );
  }
  return (value) => encodeURIComponent(value).replace(/%2F/g, '/');
}

function contentsXml(
  record: ObjectRecord,
  encode: (value: string) => string,
  withOwner: boolean,
): string {
  return nested(
    'Contents',
    text('Key', encode(record.key)),
    text('LastModified', new Date(record.lastModified).toISOString()),
    text('ETag', quotedEtag(record.etag)),
    text('ChecksumAlgorithm', record.checksum?.algorithm),
    text('ChecksumType', record.checksum?.type),
    text('Size', record.size),
    withOwner ? owner() : '',
    text('StorageClass', 'STANDARD'),
  );
}

interface Common {
  bucket: Bucket;
  query: URLSearchParams;
  prefix: string;
  delimiter?: string;
  maxKeys: number;
  encode: (value: string) => string;
}

function common(bucket: Bucket, query: URLSearchParams): Common {
  const delimiter = query.get('delimiter');
  return {
    bucket,
    query,
    prefix: query.get('prefix') ?? '',
    ...(delimiter ? { delimiter } : {}),
    maxKeys: maxKeysOf(query),
    encode: encoderOf(query),
  };
}

/** The page of `request` that starts after `after` (from the start when it is empty). */
function pageAfter(request: Common, after: string | undefined): ListingPage {
  return listPage(request.bucket, {
    prefix: request.prefix,
    ...(request.delimiter ? { delimiter: request.delimiter } : {}),
    ...(after ? { after } : {}),
    maxKeys: request.maxKeys,
  });
}

function pageXml(page: ListingPage, request: Common, withOwner: boolean): string {
  const { encode } = request;
  return (
    page.contents.map((record) => contentsXml(record, encode, withOwner)).join('') +
    page.commonPrefixes
      .map((prefix) => nested('CommonPrefixes', text('Prefix', encode(prefix))))
      .join('') +
    (request.query.has('encoding-type') ? text('EncodingType', 'url') : '')
  );
}

/** GET /<bucket> */
export function listObjectsV1(bucket: Bucket, query: URLSearchParams): string {
  const request = common(bucket, query);
  const marker = query.get('marker') ?? '';
  const page = pageAfter(request, marker);
  const { encode } = request;
  return document(
    'ListBucketResult',
    text('Name', bucket.name),
    text('Prefix', encode(request.prefix)),
    text('Marker', encode(marker)),
    text('MaxKeys', request.maxKeys),
    text('Delimiter', request.delimiter && encode(request.delimiter)),
    text('IsTruncated', page.truncated),
    // S3 gives NextMarker only with a delimiter; without one the client resumes after the last key.
    page.truncated && request.delimiter && page.last ? text('NextMarker', encode(page.last)) : '',
    pageXml(page, request, true),
  );
}

const TOKEN_MARK = 'lc1:';

function continuationToken(last: string): string {
  return Buffer.from(`${TOKEN_MARK}${last}`, 'utf8').toString('base64');
}

function readContinuationToken(token: string): string {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  if (
    !decoded.startsWith(TOKEN_MARK) ||
    continuationToken(decoded.slice(TOKEN_MARK.length)) !== token
  ) {
    throw s3Errors.invalidArgument(
      'The continuation token provided is incorrect',
      'continuation-token',
      token,
    );
  }
  return decoded.slice(TOKEN_MARK.length);
}

/** GET /<bucket>?list-type=2 */
export function listObjectsV2(bucket: Bucket, query: URLSearchParams): string {
  const request = common(bucket, query);
  const token = query.get('continuation-token');
  const startAfter = query.get('start-after');
  const page = pageAfter(
    request,
    token !== null ? readContinuationToken(token) : (startAfter ?? undefined),
  );
  const { encode } = request;
  return document(
    'ListBucketResult',
    text('Name', bucket.name),
    text('Prefix', encode(request.prefix)),
    text('ContinuationToken', token ?? undefined),
    page.truncated && page.last ? text('NextContinuationToken', continuationToken(page.last)) : '',
    text('KeyCount', page.contents.length + page.commonPrefixes.length),
    text('MaxKeys', request.maxKeys),
    text('Delimiter', request.delimiter && encode(request.delimiter)),
    text('IsTruncated', page.truncated),
    text('StartAfter', startAfter === null ? undefined : encode(startAfter)),
    pageXml(page, request, query.get('fetch-owner') === 'true'),
  );
}
