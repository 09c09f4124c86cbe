/**
 * S3's check of a pre-signed (SigV4 query string) request, written from the SigV4 specification.
 * s3rver only checks that the access key exists, not the signature, so the specs use this to
 * find out whether S3 would accept a request made with a pre-signed URL.
 */
import { createHash, createHmac } from 'node:crypto';

export interface SignedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
}

const rfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );

const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac('sha256', key).update(data).digest();

/** True when the signature in the URL matches the request, as S3 would compute it. */
export function verifyPresignedRequest(
  request: SignedRequest,
  secretAccessKey: string,
  now = new Date(),
): boolean {
  const url = new URL(request.url);
  const query = url.searchParams;
  const provided = query.get('X-Amz-Signature');
  const amzDate = query.get('X-Amz-Date');
  const credential = query.get('X-Amz-Credential');
  const signedHeaderNames = query.get('X-Amz-SignedHeaders');
  const expires = Number(query.get('X-Amz-Expires'));
  if (!provided || !amzDate || !credential || !signedHeaderNames) return false;

  const signedAt = Date.parse(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  );
  if (!(now.getTime() <= signedAt + expires * 1000)) return false;

  const headers: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name.toLowerCase()] = value.trim().replace(/\s+/g, ' ');
  }
  const signed = signedHeaderNames.split(';');
  if (signed.some((name) => headers[name] === undefined)) return false;

  const canonicalQuery = [...query.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [
    request.method.toUpperCase(),
    url.pathname,
    canonicalQuery,
    signed.map((name) => `${name}:${headers[name]}\n`).join(''),
    signedHeaderNames,
    query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
  ].join('\n');

  const [, date = '', region = '', service = '', terminator = ''] = credential.split('/');
  const scope = [date, region, service, terminator].join('/');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service),
    terminator,
  );
  return hmac(signingKey, stringToSign).toString('hex') === provided;
}
