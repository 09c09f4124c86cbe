/**
 * Which bucket and key an S3 request names: read once, here, by both IAM
 * (`src/iam/actions/s3-actions.ts`) and the store, so what is authorized is what is touched.
 *
 * The path is percent-decoded exactly once and never normalized: `..`, `.` and empty segments are
 * parts of a key (S3 keys are any UTF-8 text), and a `%2F` in the first segment stays in the
 * bucket name (which its validation then refuses). A request whose path is not valid
 * percent-encoded UTF-8 is an S3Error InvalidURI.
 */
import { s3Errors } from './s3-errors';

export interface S3Location {
  /** Absent for the service itself (ListBuckets). */
  bucket?: string;
  /** Absent for the bucket itself; never empty. */
  key?: string;
}

/** The request target split at its first `?`: the raw path and the query. */
export function splitRequestTarget(target: string): { rawPath: string; search: string } {
  const mark = target.indexOf('?');
  return mark < 0
    ? { rawPath: target, search: '' }
    : { rawPath: target.slice(0, mark), search: target.slice(mark + 1) };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw s3Errors.invalidUri();
  }
}

/**
 * The bucket of a virtual-hosted-style request: `<bucket>.s3.<anything>` (also `.s3-<region>`,
 * `.s3-accelerate`), or `<bucket>.localhost`, where the SDK sends a request for an endpoint of
 * `http://localhost:<port>`.
 */
function virtualHostBucket(host: string | undefined): string | undefined {
  const name = host?.replace(/:\d+$/, '').toLowerCase();
  if (!name) return undefined;
  return (/^(.+)\.s3[.-]/.exec(name) ?? /^(.+)\.localhost$/.exec(name))?.[1];
}

/** Reads the bucket and key of a request from its raw path (no query) and its Host header. */
export function locateS3Request(rawPath: string, host: string | undefined): S3Location {
  // Origin-form only: an absolute URI or `*` names no bucket or key.
  if (!rawPath.startsWith('/')) throw s3Errors.invalidUri();
  const rest = rawPath.slice(1);
  const hostBucket = virtualHostBucket(host);
  if (hostBucket) {
    return rest === '' ? { bucket: hostBucket } : { bucket: hostBucket, key: decode(rest) };
  }
  if (rest === '') return {};
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: decode(rest) };
  const bucket = decode(rest.slice(0, slash));
  // The key is everything after the bucket's slash, empty segments and all (`a//b`, `/x`).
  const key = rest.slice(slash + 1);
  return key === '' ? { bucket } : { bucket, key: decode(key) };
}

export type CopySource =
  | { bucket: string; key: string; versionId?: string }
  /** An access point's object: arn:aws:s3:<region>:<account>:accesspoint/<name>/object/<key>. */
  | { arn: string; versionId?: string };

/**
 * `x-amz-copy-source: /bucket/key%20name?versionId=v` (URL-encoded, leading slash optional);
 * undefined when it names no bucket and key or is not valid percent-encoded UTF-8.
 */
export function parseCopySource(value: string): CopySource | undefined {
  const mark = value.indexOf('?');
  const encoded = mark < 0 ? value : value.slice(0, mark);
  const versionId =
    mark < 0
      ? undefined
      : (new URLSearchParams(value.slice(mark + 1)).get('versionId') ?? undefined);
  let path: string;
  try {
    path = decodeURIComponent(encoded).replace(/^\//, '');
  } catch {
    return undefined;
  }
  const version = versionId === undefined ? {} : { versionId };
  if (path.startsWith('arn:')) return { arn: path, ...version };
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) return undefined;
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1), ...version };
}
