/**
 * A bucket's CORS configuration (`?cors`): read from and written as S3's XML, and applied as S3
 * applies it. A browser's request, preflight or not, is allowed when one rule allows its origin
 * and method (and, for a preflight, every header it asks for); the first such rule decides the
 * headers of the answer.
 */
import type { CorsRule as StackCorsRule } from '../../stack/topology';
import { s3Errors } from './s3-errors';
import type { XmlElement } from './xml-reader';
import { childrenNamed, childText } from './xml-reader';
import { nested, text } from './xml-writer';

export interface CorsRule extends StackCorsRule {
  id?: string;
}

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'];
const MAX_RULES = 100;

function texts(element: XmlElement, name: string): string[] {
  return childrenNamed(element, name).map((child) => child.text.trim());
}

export function readCorsConfiguration(root: XmlElement): CorsRule[] {
  if (root.name !== 'CORSConfiguration') throw s3Errors.malformedXml();
  const rules = childrenNamed(root, 'CORSRule').map((element): CorsRule => {
    const allowedOrigins = texts(element, 'AllowedOrigin');
    const allowedMethods = texts(element, 'AllowedMethod');
    if (allowedOrigins.length === 0 || allowedMethods.length === 0) throw s3Errors.malformedXml();
    for (const method of allowedMethods) {
      if (!METHODS.includes(method)) {
        throw s3Errors.invalidRequest(
          `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`,
        );
      }
    }
    for (const origin of allowedOrigins) {
      if (origin.split('*').length > 2) {
        throw s3Errors.invalidRequest(
          `AllowedOrigin "${origin}" can not have more than one wildcard.`,
        );
      }
    }
    const maxAge = childText(element, 'MaxAgeSeconds')?.trim();
    if (maxAge !== undefined && !/^\d{1,9}$/.test(maxAge)) throw s3Errors.malformedXml();
    const id = childText(element, 'ID');
    return {
      ...(id === undefined ? {} : { id }),
      allowedOrigins,
      allowedMethods,
      allowedHeaders: texts(element, 'AllowedHeader'),
      exposeHeaders: texts(element, 'ExposeHeader'),
      ...(maxAge === undefined ? {} : { maxAgeSeconds: Number(maxAge) }),
    };
  });
  if (rules.length === 0 || rules.length > MAX_RULES) throw s3Errors.malformedXml();
  return rules;
}

export function writeCorsConfiguration(rules: CorsRule[]): string {
  return rules
    .map((rule) =>
      nested(
        'CORSRule',
        text('ID', rule.id),
        ...rule.allowedHeaders.map((header) => text('AllowedHeader', header)),
        ...rule.allowedMethods.map((method) => text('AllowedMethod', method)),
        ...rule.allowedOrigins.map((origin) => text('AllowedOrigin', origin)),
        ...rule.exposeHeaders.map((header) => text('ExposeHeader', header)),
        text('MaxAgeSeconds', rule.maxAgeSeconds),
      ),
    )
    .join('');
}

/** A pattern with at most one `*` (any text) against a value; headers compare case-insensitively. */
function wildcardMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const [p, v] = ignoreCase ? [pattern.toLowerCase(), value.toLowerCase()] : [pattern, value];
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

export interface CorsRequest {
  origin: string;
  method: string;
  /** What a preflight's Access-Control-Request-Headers lists; empty for a real request. */
  headers: string[];
}

/** The first rule allowing the request, or undefined. */
export function matchCorsRule(
  rules: readonly CorsRule[],
  request: CorsRequest,
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((origin) => wildcardMatches(origin, request.origin, false)) &&
      rule.allowedMethods.includes(request.method) &&
      request.headers.every((header) =>
        rule.allowedHeaders.some((allowed) => wildcardMatches(allowed, header, true)),
      ),
  );
}

/** The headers S3 adds for an allowed browser request (`preflight` adds the Allow-Headers echo). */
export function corsHeaders(rule: CorsRule, request: CorsRequest): Record<string, string> {
  const any = rule.allowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': any ? '*' : request.origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!any) headers['access-control-allow-credentials'] = 'true';
  if (request.headers.length > 0) {
    headers['access-control-allow-headers'] = request.headers.join(', ');
  }
  if (rule.exposeHeaders.length > 0) {
    headers['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
  }
  if (rule.maxAgeSeconds !== undefined) {
    headers['access-control-max-age'] = String(rule.maxAgeSeconds);
  }
  return headers;
}
