/**
 * S3 static website hosting for one bucket, as its website endpoint answers: the path is the key
 * (decoded once, never normalized, so `/../x` is the key `../x` of this bucket and nothing else),
 * a folder gets its index document (and `/folder` a 302 to `/folder/` when only the folder's index
 * exists), a missing key the error document with 404, and errors are HTML pages.
 */
import type { IncomingMessage } from 'node:http';
import { configurationOf, websiteKind } from './bucket-configurations';
import { getObject } from './object-operations';
import type { S3Context } from './s3-context';
import type { S3Answer, S3Call } from './types';
import type { S3Error } from './s3-errors';
import { s3Errors } from './s3-errors';
import { splitRequestTarget } from './s3-location';
import { escapeXml } from '../../xml-escape';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  412: 'Precondition Failed',
  416: 'Requested Range Not Satisfiable',
  500: 'Internal Server Error',
};

/** The HTML page a website endpoint answers for an error. */
export function websiteErrorPage(error: S3Error, requestId: string): S3Answer {
  const title = `${error.status} ${STATUS_TEXT[error.status] ?? 'Error'}`;
  const items = [
    ['Code', error.code],
    ['Message', error.message],
    ...Object.entries(error.details),
    ['RequestId', requestId],
  ]
    .map(([name, value]) => `<li>${escapeXml(name ?? '')}: ${escapeXml(value ?? '')}</li>`)
    .join('\n');
  return {
    status: error.status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n${items}\n</ul>\n<hr/>\n</body>\n</html>\n`,
  };
}

function keyOf(request: IncomingMessage): string {
  const { rawPath } = splitRequestTarget(request.url ?? '/');
  if (!rawPath.startsWith('/')) throw s3Errors.invalidUri();
  try {
    return decodeURIComponent(rawPath.slice(1));
  } catch {
    throw s3Errors.invalidUri();
  }
}

/** Answers a GET or HEAD of the website of `bucketName`. */
export async function serveWebsite(
  context: S3Context,
  bucketName: string,
  request: IncomingMessage,
  sourceIp: string,
): Promise<S3Answer> {
  const bucket = context.store.getBucket(bucketName);
  if (!bucket) throw s3Errors.noSuchBucket(bucketName);
  const website = configurationOf(bucket, websiteKind);
  if (!website) throw websiteKind.missing(bucketName);
  const redirect = website.redirectAllRequestsTo;
  if (redirect) {
    const location = `${redirect.protocol ?? 'http'}://${redirect.hostName}${request.url ?? '/'}`;
    return { status: 301, headers: { location } };
  }
  const index = website.indexDocument ?? 'index.html';
  const path = keyOf(request);
  const key = path === '' || path.endsWith('/') ? `${path}${index}` : path;
  const call: S3Call = {
    request,
    method: request.method ?? 'GET',
    headers: request.headers,
    // A website endpoint reads no query parameters (no response-* overrides, no part numbers).
    query: new URLSearchParams(),
    sourceIp,
  };
  if (bucket.objects.has(key)) return getObject(context, call, bucket, key);
  if (key === path && bucket.objects.has(`${path}/${index}`)) {
    // Each segment encoded, and a leading empty one too: the location stays a path of this
    // site, never `//other.host/`.
    const segments = path.split('/').map(encodeURIComponent).join('/');
    const location = `/${segments}/`.replace(/^\/\//, '/%2F');
    return { status: 302, headers: { location } };
  }
  const errorDocument = website.errorDocument;
  if (errorDocument && bucket.objects.has(errorDocument)) {
    const answer = await getObject(context, { ...call, headers: {} }, bucket, errorDocument);
    return { ...answer, status: 404 };
  }
  throw s3Errors.noSuchKey(key);
}
