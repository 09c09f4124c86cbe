/**
 * API Gateway's request validators (`x-amazon-apigateway-request-validators`), compiled once per
 * operation. validateRequestParameters checks that required query string, header and path
 * parameters are present and not empty (their schemas are not checked: API Gateway does not).
 * validateRequestBody checks the JSON body against the model of its content type with draft-4
 * semantics.
 *
 * Model selection: the request's Content-Type, `application/json` when it has none. A content
 * type the operation declares no model for is passed through unvalidated, as API Gateway does with
 * passthroughBehavior when_no_match / when_no_templates (the well-known way around validation);
 * with `never` it is refused with 415.
 */
import Ajv04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Json, JsonObject } from '../../json';
import type { GatewayError } from './gateway-responses';
import { dereference } from './openapi-document';
import type { OperationObject, ParameterObject } from './openapi-document';
import { validationErrorString } from './validation-error-string';
import { isObject } from '../../json';

/** The request as validators see it. */
export interface RequestToValidate {
  /** Lower-case names, last value. */
  headers: Record<string, string>;
  query: Record<string, string> | null;
  pathParameters: Record<string, string> | null;
  /** The Content-Type's media type (lower case, no parameters). */
  mediaType: string | undefined;
  body: Buffer;
}

export type RequestValidator = (request: RequestToValidate) => GatewayError | undefined;

interface ValidatorSettings {
  validateRequestBody?: boolean;
  validateRequestParameters?: boolean;
}

/** Compiles the document's models; one per gateway. */
export interface SchemaCompiler {
  compile(schema: Json): ValidateFunction;
}

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_VALUES = new Set(['items', 'additionalItems', 'additionalProperties', 'not']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'items']);
const MODELS = 'openapi';

/**
 * A schema as the draft-4 validator reads it: `#/components/schemas/X` references point into
 * the registered models, and OpenAPI's `nullable` is dropped, since draft 4 has no such keyword
 * (and Ajv would otherwise honour it, or refuse it without `type`). Other OpenAPI keywords
 * (`example`, `readOnly`, `discriminator`…) are unknown keywords, which draft 4 ignores.
 */
function toDraft4(schema: Json): Json {
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') {
      out[key] = value.startsWith('#/components/schemas/')
        ? `${MODELS}#/definitions/${value.slice('#/components/schemas/'.length)}`
        : value;
    } else if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, toDraft4(sub)]),
      );
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map(toDraft4);
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = toDraft4(value);
    } else if (key === 'dependencies' && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [
          name,
          Array.isArray(sub) ? sub : toDraft4(sub),
        ]),
      );
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function createSchemaCompiler(document: JsonObject): SchemaCompiler {
  // The draft-4 validator API Gateway uses checks these formats and ignores others.
  const ajv = new Ajv04({ allErrors: true, verbose: true, strict: false, logger: false });
  addFormats(ajv, ['date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'uri']);
  const components = isObject(document.components) ? document.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  ajv.addSchema(
    {
      definitions: Object.fromEntries(
        Object.entries(schemas).map(([name, schema]) => [name, toDraft4(schema)]),
      ),
    },
    MODELS,
  );
  return { compile: (schema) => ajv.compile(toDraft4(schema) as object) };
}

function parametersOf(document: JsonObject, pathItem: JsonObject, operation: OperationObject) {
  const byKey = new Map<string, ParameterObject>();
  for (const raw of [
    ...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []),
    ...(operation.parameters ?? []),
  ]) {
    const parameter = dereference(document, raw);
    if (!isObject(parameter) || typeof parameter.name !== 'string') continue;
    const typed = parameter as unknown as ParameterObject;
    // An operation's parameter overrides the path's of the same name and location.
    byKey.set(`${typed.in}:${typed.name}`, typed);
  }
  return [...byKey.values()];
}

type Check = (request: RequestToValidate) => GatewayError | undefined;

function parametersCheck(parameters: ParameterObject[]): Check | undefined {
  const required = parameters.filter(
    (parameter) =>
      parameter.in !== 'cookie' && (parameter.required === true || parameter.in === 'path'),
  );
  if (required.length === 0) return undefined;
  const lookups = required.map((parameter) => {
    const { name } = parameter;
    switch (parameter.in) {
      case 'header': {
        const key = name.toLowerCase();
        return { name, value: (request: RequestToValidate) => request.headers[key] };
      }
      case 'query':
        return { name, value: (request: RequestToValidate) => request.query?.[name] };
      default:
        return { name, value: (request: RequestToValidate) => request.pathParameters?.[name] };
    }
  });
  return (request) => {
    const missing = lookups.filter((lookup) => !lookup.value(request)).map(({ name }) => name);
    if (missing.length === 0) return undefined;
    return {
      type: 'BAD_REQUEST_PARAMETERS',
      message: `Missing required request parameters: [${missing.join(', ')}]`,
    };
  };
}

function invalidBody(validationError: string): GatewayError {
  return {
    type: 'BAD_REQUEST_BODY',
    message: 'Invalid request body',
    validationErrorString: validationError,
  };
}

function bodyCheck(
  document: JsonObject,
  operation: OperationObject,
  compiler: SchemaCompiler,
  validate: boolean,
  refuseUnmatched: boolean,
): Check | undefined {
  const requestBody = dereference(document, operation.requestBody);
  if (!isObject(requestBody) || !isObject(requestBody.content)) return undefined;
  const required = requestBody.required === true;
  const models = new Map<string, ValidateFunction | undefined>();
  for (const [mediaType, entry] of Object.entries(requestBody.content)) {
    const schema = isObject(entry) ? entry.schema : undefined;
    models.set(
      mediaType.toLowerCase(),
      validate && schema !== undefined ? compiler.compile(schema) : undefined,
    );
  }
  if (!validate && !refuseUnmatched) return undefined;

  return (request) => {
    const mediaType = request.mediaType ?? 'application/json';
    if (!models.has(mediaType)) {
      return refuseUnmatched && request.body.length > 0
        ? { type: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Media Type' }
        : undefined;
    }
    const model = models.get(mediaType);
    if (!model) return undefined;
    if (request.body.length === 0) {
      return required ? invalidBody('[Request body is required]') : undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(request.body.toString('utf8'));
    } catch (error) {
      return invalidBody(`[Invalid JSON: ${(error as Error).message}]`);
    }
    return model(value) ? undefined : invalidBody(validationErrorString(model.errors ?? []));
  };
}

/**
 * The validator of one operation, or undefined when it has nothing to check. Throws when the
 * operation names a validator the document does not declare (API Gateway refuses the import).
 */
export function compileRequestValidator(options: {
  document: JsonObject;
  pathItem: JsonObject;
  operation: OperationObject;
  compiler: SchemaCompiler;
  label: string;
}): RequestValidator | undefined {
  const { document, pathItem, operation, compiler, label } = options;
  const declared = isObject(document['x-amazon-apigateway-request-validators'])
    ? document['x-amazon-apigateway-request-validators']
    : {};
  const name =
    operation['x-amazon-apigateway-request-validator'] ??
    (typeof document['x-amazon-apigateway-request-validator'] === 'string'
      ? document['x-amazon-apigateway-request-validator']
      : undefined);
  const settings: ValidatorSettings = {};
  if (name !== undefined) {
    const validator = declared[name];
    if (!isObject(validator)) {
      throw new Error(`OpenAPI: ${label} uses request validator "${name}", which is not declared`);
    }
    Object.assign(settings, validator);
  }
  const integration = operation['x-amazon-apigateway-integration'];
  const passthrough = isObject(integration) ? integration.passthroughBehavior : undefined;

  const checks = [
    settings.validateRequestParameters
      ? parametersCheck(parametersOf(document, pathItem, operation))
      : undefined,
    bodyCheck(
      document,
      operation,
      compiler,
      settings.validateRequestBody === true,
      typeof passthrough === 'string' && passthrough.toLowerCase() === 'never',
    ),
  ].filter((check): check is Check => check !== undefined);
  if (checks.length === 0) return undefined;
  return (request) => {
    for (const check of checks) {
      const failure = check(request);
      if (failure) return failure;
    }
    return undefined;
  };
}
