/**
 * AWS Signature Version 4, checked the way AWS checks it: the local cloud recomputes the signature
 * of a request with the secret of the key it names, so it knows which function (which key) really
 * signed it. Both forms: the Authorization header, and pre-signed URLs (X-Amz-* query parameters).
 *
 * The canonical request is built as @smithy/signature-v4 (the SDK v3 signer) builds it, so that
 * requests from the real SDK clients verify byte for byte; where the SDK and the AWS documentation
 * agree (they do on everything used here) that is also what AWS does.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedRequestParts {
  method: string;
  /** The raw request target as received: the path still percent-encoded, plus `?query`. */
  url: string;
  /**
   * Header names in any case. Node's `request.headersDistinct` keeps repeated headers apart, which
   * canonicalizes them exactly (`request.headers` has already joined them with `, `).
   */
  headers: Record<string, string | string[] | undefined>;
  /**
   * The body, when the caller buffered it. S3 requests may be streamed instead; their
   * x-amz-content-sha256 header stands for the body in the signature.
   */
  body?: Buffer;
}

export interface SignatureScope {
  accessKeyId: string;
  /** YYYYMMDD, from the credential scope. */
  date: string;
  region: string;
  /** The signing name: s3, dynamodb, sqs, sns, states, lambda. */
  service: string;
  authType: 'header' | 'query';
}

export type SignatureErrorCode =
  | 'SignatureDoesNotMatch'
  | 'IncompleteSignature'
  | 'RequestExpired'
  | 'RequestTimeTooSkewed'
  /** S3 only: the body is not the one whose hash the signed x-amz-content-sha256 header gives. */
  | 'XAmzContentSHA256Mismatch'
  /** S3 only: a header-signed request without x-amz-content-sha256, which S3 requires. */
  | 'InvalidRequest';

export interface SignatureFailure {
  valid: false;
  code: SignatureErrorCode;
  /** AWS's wording. */
  message: string;
  /** What the signature was computed over, as S3 returns it with SignatureDoesNotMatch. */
  canonicalRequest?: string;
  stringToSign?: string;
}

export type SignatureCheck = { valid: true; signedAt: Date } | SignatureFailure;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** AWS accepts a header-signed request up to 15 minutes either side of its own clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;
/** A pre-signed URL lives at most a week. */
const MAX_EXPIRES_SECONDS = 604_800;
const SIGNATURE_DOES_NOT_MATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
const QUERY_PARAMETERS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
] as const;

/** What a request says about its own signature, before any secret is involved. */
interface ClaimedSignature {
  scope: SignatureScope;
  /** <date>/<region>/<service>/aws4_request */
  credentialScope: string;
  /** ISO 8601 basic (20261126T120000Z): the timestamp of the string to sign. */
  timestamp: string;
  signedAt: Date;
  signedHeaders: string[];
  signature: string;
  /** Pre-signed URLs only. */
  expiresSeconds?: number;
  query: [string, string][];
  headers: Map<string, string[]>;
}

const failure = (code: SignatureErrorCode, message: string): SignatureFailure => ({
  valid: false,
  code,
  message,
});

/**
 * The credential scope of a signed request (the edge routes by its service and knows the caller by
 * its key); undefined when the request is unsigned; a failure when the signature is malformed.
 */
export function signatureScopeOf(
  request: SignedRequestParts,
): SignatureScope | SignatureFailure | undefined {
  const claimed = claimedSignature(request);
  return claimed && 'valid' in claimed ? claimed : claimed?.scope;
}

/** Checks the request's signature against the secret of the key it names. */
export function verifySignature(
  request: SignedRequestParts,
  secretAccessKey: string,
  now: Date = new Date(),
): SignatureCheck {
  const claimed = claimedSignature(request);
  if (!claimed) return failure('IncompleteSignature', 'Request is missing Authentication Token');
  if ('valid' in claimed) return claimed;

  const late = checkTime(claimed, now);
  if (late) return late;

  const payloadHash = payloadHashOf(request, claimed);
  if ('valid' in payloadHash) return payloadHash;
  const payload = payloadHash.hash;

  const canonicalRequest = canonicalRequestOf(request, claimed, payload);
  const stringToSign = [
    ALGORITHM,
    claimed.timestamp,
    claimed.credentialScope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const expected = hmac(signingKeyOf(secretAccessKey, claimed.scope), stringToSign).toString('hex');
  if (!sameText(expected, claimed.signature)) {
    return {
      ...failure('SignatureDoesNotMatch', SIGNATURE_DOES_NOT_MATCH),
      canonicalRequest,
      stringToSign,
    };
  }

  // A hash the request declares must also be the hash of the body that came.
  const mismatch = payloadHash.declared
    ? contentHashMismatch(request, claimed, payload)
    : undefined;
  return mismatch ?? { valid: true, signedAt: claimed.signedAt };
}

type CanonicalParts = Pick<ClaimedSignature, 'query' | 'headers' | 'signedHeaders'> & {
  scope: Pick<SignatureScope, 'service'>;
};

/** The canonical request, the same for the signer and the verifier. */
function canonicalRequestOf(
  request: Pick<SignedRequestParts, 'method' | 'url'>,
  parts: CanonicalParts,
  payloadHash: string,
): string {
  return [
    request.method.toUpperCase(),
    canonicalPath(pathOf(request.url), parts.scope.service),
    canonicalQuery(parts.query),
    parts.signedHeaders
      .map((name) => `${name}:${canonicalHeaderValue(parts.headers.get(name))}\n`)
      .join(''),
    parts.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

/**
 * Signs a request in the Authorization header, as the SDK does: every header it has is signed,
 * with X-Amz-Date and X-Amz-Content-Sha256 added. The headers to send (`host` included) come back.
 */
export function signRequest(
  request: { method: string; url: string; headers: Record<string, string>; body: Buffer },
  credentials: { accessKeyId: string; secretAccessKey: string },
  scope: { region: string; service: string },
  now = new Date(),
): Record<string, string> {
  const timestamp = toIsoBasic(now);
  const date = timestamp.slice(0, 8);
  const payloadHash = sha256Hex(request.body);
  const headers: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    'x-amz-date': timestamp,
    'x-amz-content-sha256': payloadHash,
  };
  const signedHeaders = Object.keys(headers).sort();
  const canonicalRequest = canonicalRequestOf(
    request,
    {
      query: queryOf(request.url),
      headers: new Map(Object.entries(headers).map(([name, value]) => [name, [value]])),
      signedHeaders,
      scope,
    },
    payloadHash,
  );
  const credentialScope = `${date}/${scope.region}/${scope.service}/${TERMINATOR}`;
  const stringToSign = [ALGORITHM, timestamp, credentialScope, sha256Hex(canonicalRequest)].join(
    '\n',
  );
  const key = signingKeyOf(credentials.secretAccessKey, { date, ...scope });
  const signature = hmac(key, stringToSign).toString('hex');
  headers.authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return headers;
}

/** Derived signing keys by secret and scope: the four HMACs that make one are the same all day. */
const signingKeys = new Map<string, Buffer>();
const SIGNING_KEYS_KEPT = 1000;

function signingKeyOf(
  secretAccessKey: string,
  scope: Pick<SignatureScope, 'date' | 'region' | 'service'>,
): Buffer {
  const { date, region, service } = scope;
  const id = `${date}/${region}/${service}/${secretAccessKey}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = [date, region, service, TERMINATOR].reduce<Buffer | string>(
      (derived, part) => hmac(derived, part),
      `AWS4${secretAccessKey}`,
    ) as Buffer;
    // Dates roll over and keys come and go: a bounded cache, emptied when full.
    if (signingKeys.size >= SIGNING_KEYS_KEPT) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

/**
 * Claims by request object: the edge asks for a request's scope, then verifies the same request.
 * Callers hand in the parts of a request as received and never change them afterwards.
 */
const claims = new WeakMap<SignedRequestParts, ClaimedSignature | SignatureFailure | undefined>();

function claimedSignature(
  request: SignedRequestParts,
): ClaimedSignature | SignatureFailure | undefined {
  if (claims.has(request)) return claims.get(request);
  const claimed = readClaim(request);
  claims.set(request, claimed);
  return claimed;
}

function readClaim(request: SignedRequestParts): ClaimedSignature | SignatureFailure | undefined {
  const headers = new Map<string, string[]>();
  for (const name in request.headers) {
    const value = request.headers[name];
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const values = headers.get(key);
    if (values) values.push(...(Array.isArray(value) ? value : [value]));
    else headers.set(key, Array.isArray(value) ? [...value] : [value]);
  }
  const query = queryOf(request.url);
  const authorization = headers.get('authorization')?.join(',');
  const inQuery = query.some(([name]) => name === 'X-Amz-Algorithm' || name === 'X-Amz-Credential');

  if (authorization !== undefined && inQuery) {
    return failure(
      'IncompleteSignature',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );
  }
  if (authorization !== undefined) return fromHeader(authorization, headers, query);
  if (inQuery) return fromQuery(query, headers);
  return undefined;
}

function fromHeader(
  authorization: string,
  headers: Map<string, string[]>,
  query: [string, string][],
): ClaimedSignature | SignatureFailure {
  const [algorithm = '', ...rest] = authorization.trim().split(/\s+/);
  if (algorithm !== ALGORITHM) {
    return failure('IncompleteSignature', `Unsupported Authorization Type: ${algorithm}`);
  }
  const parts = new Map<string, string>();
  for (const part of rest.join(' ').split(',')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const credential = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  const amzDate = headers.get('x-amz-date')?.[0];
  const httpDate = headers.get('date')?.[0];

  const missing = [
    credential ? undefined : "Authorization header requires 'Credential' parameter.",
    signature ? undefined : "Authorization header requires 'Signature' parameter.",
    signedHeaders ? undefined : "Authorization header requires 'SignedHeaders' parameter.",
    (amzDate ?? httpDate)
      ? undefined
      : "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
  ].filter(Boolean);
  if (!credential || !signature || !signedHeaders || missing.length > 0) {
    return failure('IncompleteSignature', `${missing.join(' ')} Authorization=${authorization}`);
  }

  const signedAt = amzDate !== undefined ? fromIsoBasic(amzDate) : httpDateOf(httpDate);
  if (!signedAt) {
    return failure(
      'IncompleteSignature',
      amzDate !== undefined
        ? `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`
        : `Date must be an RFC 1123 date, not "${httpDate}"`,
    );
  }
  return completed({
    credential,
    signedHeaders,
    signature,
    signedAt,
    authType: 'header',
    query,
    headers,
  });
}

function fromQuery(
  query: [string, string][],
  headers: Map<string, string[]>,
): ClaimedSignature | SignatureFailure {
  const value = (name: string): string | undefined => query.find(([key]) => key === name)?.[1];
  const [algorithm, credential, signature, amzDate, signedHeaders, expires] =
    QUERY_PARAMETERS.map(value);
  if (!algorithm || !credential || !signature || !amzDate || !signedHeaders || !expires) {
    return failure(
      'IncompleteSignature',
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (algorithm !== ALGORITHM) {
    return failure('IncompleteSignature', `X-Amz-Algorithm only supports "${ALGORITHM}"`);
  }
  if (!/^\d+$/.test(expires)) {
    return failure('IncompleteSignature', 'X-Amz-Expires should be a non-negative number');
  }
  const expiresSeconds = Number(expires);
  if (expiresSeconds > MAX_EXPIRES_SECONDS) {
    return failure(
      'IncompleteSignature',
      `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`,
    );
  }
  const signedAt = fromIsoBasic(amzDate);
  if (!signedAt) {
    return failure(
      'IncompleteSignature',
      `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`,
    );
  }
  return completed({
    credential,
    signedHeaders,
    signature,
    signedAt,
    authType: 'query',
    expiresSeconds,
    query,
    headers,
  });
}

interface SignatureParts {
  credential: string;
  signedHeaders: string;
  signature: string;
  signedAt: Date;
  authType: SignatureScope['authType'];
  expiresSeconds?: number;
  query: [string, string][];
  headers: Map<string, string[]>;
}

/** Checks what both forms have in common: the credential scope and the signed headers. */
function completed(parts: SignatureParts): ClaimedSignature | SignatureFailure {
  const [accessKeyId, date, region, service, terminator, ...extra] = parts.credential.split('/');
  if (!accessKeyId || !date || !region || !service || !terminator || extra.length > 0) {
    return failure(
      'IncompleteSignature',
      'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
    );
  }
  if (terminator !== TERMINATOR) {
    return failure(
      'IncompleteSignature',
      `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'.`,
    );
  }
  const timestamp = toIsoBasic(parts.signedAt);
  if (timestamp.slice(0, 8) !== date) {
    return failure(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${timestamp.slice(0, 8)}', from '${timestamp}'.`,
    );
  }
  const signedHeaders = parts.signedHeaders.split(';');
  if (!signedHeaders.includes('host')) {
    return failure(
      'IncompleteSignature',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  return {
    scope: { accessKeyId, date, region, service, authType: parts.authType },
    credentialScope: [date, region, service, terminator].join('/'),
    timestamp,
    signedAt: parts.signedAt,
    signedHeaders,
    signature: parts.signature,
    ...(parts.expiresSeconds !== undefined && { expiresSeconds: parts.expiresSeconds }),
    query: parts.query,
    headers: parts.headers,
  };
}

function checkTime(claimed: ClaimedSignature, now: Date): SignatureFailure | undefined {
  const ahead = claimed.signedAt.getTime() - now.getTime();
  if (claimed.expiresSeconds === undefined) {
    return Math.abs(ahead) > MAX_SKEW_MS
      ? failure(
          'RequestTimeTooSkewed',
          `The difference between the request time and the current time is too large. (request time ${claimed.timestamp}, server time ${toIsoBasic(now)})`,
        )
      : undefined;
  }
  // A pre-signed URL dated in the future would otherwise outlive its week.
  if (ahead > MAX_SKEW_MS) return failure('RequestTimeTooSkewed', 'Request is not valid yet');
  return -ahead > claimed.expiresSeconds * 1000
    ? failure('RequestExpired', 'Request has expired')
    : undefined;
}

/**
 * What the signature says the body is: the x-amz-content-sha256 header (or query parameter) when
 * there is one, UNSIGNED-PAYLOAD for a pre-signed S3 URL, else the hash of the body itself.
 */
function payloadHashOf(
  request: SignedRequestParts,
  claimed: ClaimedSignature,
): { hash: string; declared: boolean } | SignatureFailure {
  const declared =
    (claimed.scope.authType === 'query'
      ? claimed.query.find(([name]) => name.toLowerCase() === 'x-amz-content-sha256')?.[1]
      : undefined) ?? claimed.headers.get('x-amz-content-sha256')?.[0];
  if (declared !== undefined) return { hash: declared, declared: true };
  if (claimed.scope.authType === 'query' && claimed.scope.service === 's3') {
    return { hash: UNSIGNED_PAYLOAD, declared: false };
  }
  if (request.body) return { hash: sha256Hex(request.body), declared: false };
  // Only S3 streams its bodies unread, and S3 requires the header (its own words).
  return failure(
    'InvalidRequest',
    'Missing required header for this request: x-amz-content-sha256',
  );
}

/** A declared hash must also be the hash of the body that came. */
function contentHashMismatch(
  request: SignedRequestParts,
  claimed: ClaimedSignature,
  payload: string,
): SignatureFailure | undefined {
  if (!request.body || !/^[0-9a-f]{64}$/.test(payload)) return undefined;
  if (sha256Hex(request.body) === payload) return undefined;
  // S3 reads the hash from the header and says so; other services sign the body they receive, so
  // for them a different body is a different signature.
  return claimed.scope.service === 's3'
    ? failure(
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      )
    : failure(
        'SignatureDoesNotMatch',
        `${SIGNATURE_DOES_NOT_MATCH} (the body's SHA-256 is not the x-amz-content-sha256 header)`,
      );
}

/**
 * S3's SDK signs the path exactly as it sends it. Every other service's SDK normalizes the path
 * (`.`, `..`, empty segments) and URI-encodes the already-encoded path once more: a Lambda ARN's
 * `%3A` is signed as `%253A`.
 */
function canonicalPath(path: string, service: string): string {
  if (service === 's3') return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${
    segments.length > 0 && path.endsWith('/') ? '/' : ''
  }`;
  return rfc3986(normalized).replace(/%2F/g, '/');
}

/** Sorted by name then value, both RFC 3986-encoded; the signature itself is left out. */
function canonicalQuery(query: [string, string][]): string {
  return query
    .filter(([name]) => name.toLowerCase() !== 'x-amz-signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, x], [b, y]) => compare(a, b) || compare(x, y))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** Trimmed, runs of spaces collapsed to one, repeated headers joined by commas. */
function canonicalHeaderValue(values: string[] | undefined): string {
  return (values ?? [])
    .map((value) =>
      value
        .replace(/[\r\n]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .replace(/^ | $/g, ''),
    )
    .join(',');
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** The query's pairs, decoded, in order; `?uploads` is the pair `uploads=`. */
function queryOf(url: string): [string, string][] {
  const start = url.indexOf('?');
  if (start === -1) return [];
  const end = url.indexOf('#', start);
  const text = url.slice(start + 1, end === -1 ? undefined : end);
  return text
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      return at === -1
        ? [decoded(pair), '']
        : [decoded(pair.slice(0, at)), decoded(pair.slice(at + 1))];
    });
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** encodeURIComponent leaves !'()* alone; SigV4 encodes everything but A-Z a-z 0-9 - _ . ~ */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fromIsoBasic(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function httpDateOf(text: string | undefined): Date | undefined {
  const date = text === undefined ? undefined : new Date(text);
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

function toIsoBasic(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Constant time, so a caller cannot find a valid signature byte by byte from response times. */
function sameText(expected: string, provided: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided);
  return a.length === b.length && timingSafeEqual(a, b);
}
