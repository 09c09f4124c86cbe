/**
 * What an HTTP API serves of the one OpenAPI document: the read operations (GET) of a tag, and the
 * CORS its browser callers need (the headers those operations take and answer with, the preflight
 * max age the document gives their paths). Derived at synth, so the HTTP API cannot drift from the
 * REST API it mirrors.
 */
import { operationsOf } from '../constructs/rest-api';
import type { ApiOperation } from '../constructs/rest-api';

interface OperationObject {
  tags?: string[];
  parameters?: { in?: string; name?: string }[];
  responses?: Record<string, { headers?: Record<string, unknown> }>;
}

type PathItem = Record<string, unknown> & { parameters?: OperationObject['parameters'] };

export interface HttpApiCors {
  allowHeaders: string[];
  allowMethods: string[];
  exposeHeaders: string[];
  maxAge: number;
}

function pathsOf(document: Record<string, unknown>): Record<string, PathItem> {
  return document.paths as Record<string, PathItem>;
}

function operationObject(document: Record<string, unknown>, route: ApiOperation): OperationObject {
  return pathsOf(document)[route.path]?.[route.method.toLowerCase()] as OperationObject;
}

/** The GET operations tagged `tag`: what a read-only HTTP API in front of them routes. */
export function readOperationsOf(document: Record<string, unknown>, tag: string): ApiOperation[] {
  return operationsOf(document).filter(
    (route) =>
      route.method === 'GET' && (operationObject(document, route).tags ?? []).includes(tag),
  );
}

const PREFLIGHT_MAX_AGE = 'method.response.header.Access-Control-Max-Age';

/** The REST API preflight's max age for a path, from its OPTIONS mock integration. */
function preflightMaxAge(pathItem: PathItem | undefined): number | undefined {
  const options = pathItem?.options as
    { 'x-amazon-apigateway-integration'?: { responses?: Record<string, unknown> } } | undefined;
  const responses = options?.['x-amazon-apigateway-integration']?.responses ?? {};
  const parameters = (responses.default as { responseParameters?: Record<string, string> })
    ?.responseParameters;
  const value = parameters?.[PREFLIGHT_MAX_AGE]?.replace(/'/g, '');
  return value === undefined ? undefined : Number(value);
}

/**
 * The CORS configuration of an HTTP API serving `routes`: their methods, the request headers they
 * declare (and Content-Type), the response headers they declare (a page reads them only once they
 * are exposed), and the shortest preflight max age of their paths.
 */
export function corsOf(document: Record<string, unknown>, routes: ApiOperation[]): HttpApiCors {
  const paths = pathsOf(document);
  const requestHeaders = routes.flatMap((route) =>
    [
      ...(paths[route.path]?.parameters ?? []),
      ...(operationObject(document, route).parameters ?? []),
    ]
      .filter((parameter) => parameter.in === 'header' && parameter.name)
      .map((parameter) => (parameter.name as string).toLowerCase()),
  );
  const responseHeaders = routes.flatMap((route) =>
    Object.values(operationObject(document, route).responses ?? {}).flatMap((response) =>
      Object.keys(response.headers ?? {}).map((name) => name.toLowerCase()),
    ),
  );
  const maxAges = routes.flatMap((route) => preflightMaxAge(paths[route.path]) ?? []);
  return {
    allowHeaders: [...new Set(['content-type', ...requestHeaders])],
    allowMethods: [...new Set(routes.map((route) => route.method))],
    exposeHeaders: [...new Set(responseHeaders)],
    maxAge: maxAges.length > 0 ? Math.min(...maxAges) : 0,
  };
}
