/**
 * Requests a browser makes to S3, recognised by their `Origin` header: a CORS preflight (OPTIONS)
 * is answered from the bucket's CORS rules, as S3 does; any other request with an Origin
 * (a script's fetch, an HTML form's post) goes on only when the bucket's rules allow that origin
 * and method, and is otherwise refused with 403 before it has any effect. S3 itself would carry
 * out such a request and only withhold the CORS headers from the page; the local cloud refuses it,
 * because a web page the developer visits can reach 127.0.0.1 and a form post needs no preflight.
 */
import { configurationOf, corsKind } from './bucket-configurations';
import { corsHeaders, matchCorsRule } from './cors-configuration';
import type { CorsRequest } from './cors-configuration';
import { isValidBucketName } from './bucket-names';
import type { S3Context } from './s3-context';
import type { S3Answer, S3Call } from './types';
import { headerOf } from './s3-context';
import { S3Error, s3Errors } from './s3-errors';
import type { S3Location } from './s3-location';

const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

function rulesOf(context: S3Context, location: S3Location) {
  const name = location.bucket;
  const bucket =
    name !== undefined && isValidBucketName(name) ? context.store.getBucket(name) : undefined;
  return bucket ? configurationOf(bucket, corsKind) : undefined;
}

function forbidden(location: S3Location, method: string, enabled: boolean): S3Error {
  return s3Errors.accessForbidden(
    enabled ? NOT_ALLOWED : 'CORSResponse: CORS is not enabled for this bucket.',
    {
      Method: method,
      ResourceType:
        location.key === undefined
          ? location.bucket === undefined
            ? 'SERVICE'
            : 'BUCKET'
          : 'OBJECT',
    },
  );
}

/** Answers an OPTIONS request (a CORS preflight). */
export function answerPreflight(context: S3Context, call: S3Call, location: S3Location): S3Answer {
  const origin = headerOf(call, 'origin');
  if (origin === undefined) {
    throw new S3Error('BadRequest', 400, 'Insufficient information. Origin request header needed.');
  }
  const method = headerOf(call, 'access-control-request-method');
  if (method === undefined) {
    throw new S3Error('BadRequest', 400, 'Invalid Access-Control-Request-Method: null');
  }
  const headers = (headerOf(call, 'access-control-request-headers') ?? '')
    .split(',')
    .map((header) => header.trim().toLowerCase())
    .filter((header) => header !== '');
  const rules = rulesOf(context, location);
  const request: CorsRequest = { origin, method, headers };
  const rule = rules && matchCorsRule(rules, request);
  if (!rule) throw forbidden(location, method, rules !== undefined);
  return { status: 200, headers: corsHeaders(rule, request) };
}

/**
 * For a request with an Origin, the CORS headers of its answer; throws AccessForbidden when the
 * bucket's rules do not allow it. Undefined for a request that no browser made (no Origin).
 */
export function browserRequestHeaders(
  context: S3Context,
  call: S3Call,
  location: S3Location,
): Record<string, string> | undefined {
  const origin = headerOf(call, 'origin');
  if (origin === undefined) return undefined;
  const rules = rulesOf(context, location);
  const request: CorsRequest = { origin, method: call.method, headers: [] };
  const rule = rules && matchCorsRule(rules, request);
  if (!rule) throw forbidden(location, call.method, rules !== undefined);
  return corsHeaders(rule, request);
}
