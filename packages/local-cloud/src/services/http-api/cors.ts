/**
 * An HTTP API's built-in CORS (its cors_configuration): API Gateway answers a preflight itself,
 * whatever the routes, adds the configured headers to every answer to an allowed origin, and
 * ignores the CORS headers an integration returns.
 */
import type { HttpApiCorsSpec } from '../../stack/topology';
import type { HttpAnswer } from './types';

function allowedOrigin(cors: HttpApiCorsSpec, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  if (cors.allowOrigins.includes(origin)) return origin;
  return cors.allowOrigins.includes('*') ? '*' : undefined;
}

/** A CORS preflight: OPTIONS with an Origin and the method the page means to send. */
export function isPreflight(method: string, lowerHeaders: Record<string, string>): boolean {
  return (
    method === 'OPTIONS' &&
    lowerHeaders.origin !== undefined &&
    lowerHeaders['access-control-request-method'] !== undefined
  );
}

/** The preflight's answer: 204, with the configuration's headers if the origin is allowed. */
export function preflightAnswer(cors: HttpApiCorsSpec, origin: string | undefined): HttpAnswer {
  const allowed = allowedOrigin(cors, origin);
  if (!allowed) return { status: 204, headers: [], body: '' };
  const headers: [string, string][] = [['access-control-allow-origin', allowed]];
  if (cors.allowMethods.length > 0) {
    headers.push(['access-control-allow-methods', cors.allowMethods.join(',')]);
  }
  if (cors.allowHeaders.length > 0) {
    headers.push(['access-control-allow-headers', cors.allowHeaders.join(',')]);
  }
  if (cors.maxAgeSeconds !== undefined) {
    headers.push(['access-control-max-age', String(cors.maxAgeSeconds)]);
  }
  if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
  return { status: 204, headers, body: '' };
}

/** An answer with the integration's CORS headers replaced by the configuration's. */
export function withCorsHeaders(
  cors: HttpApiCorsSpec,
  origin: string | undefined,
  answer: HttpAnswer,
): HttpAnswer {
  const headers = answer.headers.filter(
    ([name]) => !name.toLowerCase().startsWith('access-control-'),
  );
  const allowed = allowedOrigin(cors, origin);
  if (allowed) {
    headers.push(['access-control-allow-origin', allowed]);
    if (cors.exposeHeaders.length > 0) {
      headers.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
    }
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
  }
  return { ...answer, headers };
}
