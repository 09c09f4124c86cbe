/**
 * Whether a web page sent a request. Browsers add `Origin` to every cross-origin request and to
 * every POST (a plain HTML form included), and `Sec-Fetch-Site` to everything they send; SDKs and
 * the AWS CLI send neither. `Sec-Fetch-Site: none` is the user's own navigation (a typed URL).
 */
import type { IncomingHttpHeaders } from 'node:http';

/** What gives the request away as a page's (`Origin: https://evil.example`), or undefined. */
export function browserOriginOf(headers: IncomingHttpHeaders): string | undefined {
  const origin = headers.origin;
  if (origin !== undefined) return `Origin: ${origin}`;
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'none') return `Sec-Fetch-Site: ${site}`;
  return undefined;
}
