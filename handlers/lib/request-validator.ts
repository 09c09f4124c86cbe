import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import apiDocument from '../../api/openapi.json';
import { InvalidRequestError, UnsupportedMediaTypeError } from './errors';
import type { FieldError } from './errors';

/**
 * Validates requests against the OpenAPI document, the same one API Gateway imports, so the
 * rules live in one place. API Gateway already checks bodies against the models; checking again
 * here covers query and path parameter schemas (API Gateway only checks their presence) and any
 * invocation that does not come through the gateway.
 */

type JsonSchema = Record<string, unknown>;

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses?: Record<string, { headers?: Record<string, unknown> }>;
}

type PathItem = Record<string, unknown> & { parameters?: ParameterObject[] };

export interface RawRequest {
  headers: Record<string, string | undefined> | null;
  pathParameters: Record<string, string | undefined> | null;
  queryStringParameters: Record<string, string | undefined> | null;
  body: string | null;
  isBase64Encoded: boolean;
}

export interface ValidatedRequest {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  /** The header parameters the operation declares, by the name the document gives them. */
  header: Record<string, unknown>;
  body: unknown;
}

export interface OperationLocation {
  method: string;
  path: string;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const paths = apiDocument.paths as unknown as Record<string, PathItem>;

/** Where an operation lives in the document: its method and path template. */
export function locateOperation(operationId: string): OperationLocation & {
  operation: OperationObject;
  pathItem: PathItem;
} {
  for (const [path, pathItem] of Object.entries(paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as OperationObject | undefined;
      if (operation?.operationId === operationId) return { method, path, operation, pathItem };
    }
  }
  throw new Error(`Operation ${operationId} is not in the OpenAPI document`);
}

// Component refs point at '#/components/schemas/X'; Ajv sees them as 'openapi#/definitions/X'.
const definitions = JSON.parse(
  JSON.stringify(apiDocument.components.schemas).replace(
    /#\/components\/schemas\//g,
    '#/definitions/',
  ),
) as JsonSchema;

function createAjv(coerceTypes: boolean): Ajv {
  // Formats (date-time) describe responses only; request schemas never rely on them.
  const ajv = new Ajv({ allErrors: true, coerceTypes, useDefaults: true, validateFormats: false });
  ajv.addSchema({ $id: 'openapi', definitions });
  return ajv;
}

function rewriteRefs(schema: JsonSchema): JsonSchema {
  return JSON.parse(
    JSON.stringify(schema).replace(/"#\/components\/schemas\//g, '"openapi#/definitions/'),
  ) as JsonSchema;
}

function parametersSchema(
  parameters: ParameterObject[],
  location: 'path' | 'query' | 'header',
): JsonSchema {
  const own = parameters.filter((parameter) => parameter.in === location);
  return {
    type: 'object',
    properties: Object.fromEntries(own.map((p) => [p.name, rewriteRefs(p.schema)])),
    required: own.filter((p) => p.required).map((p) => p.name),
  };
}

function describe(error: ErrorObject, location: string): FieldError {
  const pointer = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const base = [location, pointer].filter(Boolean).join('.');
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String((error.params as { additionalProperty: string }).additionalProperty);
      return { path: `${base}.${name}`, message: 'is not an allowed field' };
    }
    case 'required': {
      const name = String((error.params as { missingProperty: string }).missingProperty);
      return { path: `${base}.${name}`, message: 'is required' };
    }
    case 'pattern':
      return { path: base, message: 'is blank or contains characters that are not allowed' };
    default:
      return { path: base, message: error.message ?? 'is invalid' };
  }
}

function check(validate: ValidateFunction, value: unknown, location: string): FieldError[] {
  return validate(value) ? [] : (validate.errors ?? []).map((error) => describe(error, location));
}

/** A header's value, whatever the case of its name (API Gateway passes names as sent). */
function headerValue(raw: RawRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = Object.entries(raw.headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  return found?.[1];
}

/** `application/json; charset=utf-8` → `application/json`, as API Gateway matches models. */
function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type || undefined;
}

function decodeBody(raw: RawRequest): string | undefined {
  if (raw.body === null || raw.body === '') return undefined;
  return raw.isBase64Encoded ? Buffer.from(raw.body, 'base64').toString('utf8') : raw.body;
}

/** Compiles the validator of one operation; call it once at cold start. */
export function createRequestValidator(operationId: string): (raw: RawRequest) => ValidatedRequest {
  const { operation, pathItem } = locateOperation(operationId);
  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])];
  const parametersAjv = createAjv(true);
  const validatePath = parametersAjv.compile(parametersSchema(parameters, 'path'));
  const validateQuery = parametersAjv.compile(parametersSchema(parameters, 'query'));
  const headerNames = parameters.filter((p) => p.in === 'header').map((p) => p.name);
  const validateHeader = createAjv(false).compile(parametersSchema(parameters, 'header'));
  const mediaTypes = Object.keys(operation.requestBody?.content ?? {}).map((type) =>
    type.toLowerCase(),
  );
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  const validateBody = bodySchema ? createAjv(false).compile(rewriteRefs(bodySchema)) : undefined;

  return (raw) => {
    const path: Record<string, unknown> = { ...raw.pathParameters };
    const query: Record<string, unknown> = { ...raw.queryStringParameters };
    const header = Object.fromEntries(
      headerNames.flatMap((name) => {
        const value = headerValue(raw, name);
        return value === undefined ? [] : [[name, value]];
      }),
    );
    const errors = [
      ...check(validatePath, path, 'path'),
      ...check(validateQuery, query, 'query'),
      ...check(validateHeader, header, 'header'),
    ];
    if (errors.length > 0) throw new InvalidRequestError('Invalid request parameters', errors);

    if (!validateBody) return { path, query, header, body: undefined };
    const text = decodeBody(raw);
    // Field errors even here: every 400 has the shape of API Gateway's BAD_REQUEST_BODY answer.
    if (text === undefined) {
      throw new InvalidRequestError('Request body is required', [
        { path: 'body', message: 'is required' },
      ]);
    }
    // A browser sends an HTML form or a no-cors fetch (text/plain, or no type at all for a Blob)
    // to any origin without asking first: only a media type that takes a CORS preflight to send
    // shows the caller is a page the API allows. API Gateway passes any type to a proxy
    // integration, so this is the place that refuses the others.
    const mediaType = mediaTypeOf(headerValue(raw, 'content-type'));
    if (mediaType === undefined || !mediaTypes.includes(mediaType)) {
      throw new UnsupportedMediaTypeError(
        `Unsupported Media Type: send the body as ${mediaTypes.join(' or ')}`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new InvalidRequestError('Request body is not valid JSON', [
        { path: 'body', message: 'is not valid JSON' },
      ]);
    }
    const bodyErrors = check(validateBody, body, 'body');
    if (bodyErrors.length > 0) throw new InvalidRequestError('Invalid request body', bodyErrors);
    return { path, query, header, body };
  };
}
