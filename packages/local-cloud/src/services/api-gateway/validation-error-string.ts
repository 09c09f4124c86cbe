/**
 * `$context.error.validationErrorString` in API Gateway's words. API Gateway validates models
 * with a draft-4 validator whose messages read like `object has missing required properties
 * (["name"])`, listed in brackets: `[msg1, msg2]`. The wording here follows it closely enough
 * for a developer to recognise, not byte for byte.
 */
import type { ErrorObject } from 'ajv';

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function quoted(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function message(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const data: unknown = error.data;
  const schema: unknown = error.schema;
  switch (error.keyword) {
    case 'type': {
      const allowed = Array.isArray(schema) ? schema : [schema];
      return `instance type (${jsonType(data)}) does not match any allowed primitive type (allowed: ${quoted(allowed)})`;
    }
    case 'enum':
      return `instance value (${quoted(data)}) not found in enum (possible values: ${quoted(schema)})`;
    case 'minLength':
      return `string ${quoted(data)} is too short (length: ${[...String(data)].length}, required minimum: ${quoted(schema)})`;
    case 'maxLength':
      return `string ${quoted(data)} is too long (length: ${[...String(data)].length}, maximum allowed: ${quoted(schema)})`;
    case 'pattern':
      return `ECMA 262 regex ${quoted(schema)} does not match input string ${quoted(data)}`;
    case 'minimum':
    case 'exclusiveMinimum':
      return params.exclusive || error.keyword === 'exclusiveMinimum'
        ? `numeric instance is not strictly greater than the required minimum ${quoted(params.limit)}`
        : `numeric instance is lower than the required minimum (minimum: ${quoted(params.limit)}, found: ${quoted(data)})`;
    case 'maximum':
    case 'exclusiveMaximum':
      return params.exclusive || error.keyword === 'exclusiveMaximum'
        ? `numeric instance is not strictly lower than the required maximum ${quoted(params.limit)}`
        : `numeric instance is greater than the required maximum (maximum: ${quoted(params.limit)}, found: ${quoted(data)})`;
    case 'multipleOf':
      return `remainder of division is not zero (${quoted(data)} / ${quoted(schema)})`;
    case 'minItems':
      return `array is too short: must have at least ${quoted(schema)} elements but instance has ${Array.isArray(data) ? data.length : 0} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${quoted(schema)} elements but instance has ${Array.isArray(data) ? data.length : 0} elements`;
    case 'uniqueItems':
      return 'array must not contain duplicate elements';
    case 'minProperties':
      return `object has too few properties (found ${Object.keys(data ?? {}).length} but schema requires at least ${quoted(schema)})`;
    case 'maxProperties':
      return `object has too many properties (found ${Object.keys(data ?? {}).length} but schema requires at most ${quoted(schema)})`;
    case 'format':
      return `string ${quoted(data)} is invalid against requested format ${quoted(schema)}`;
    case 'anyOf':
      return `instance failed to match at least one required schema among ${Array.isArray(schema) ? schema.length : 0}`;
    case 'oneOf':
      return `instance failed to match exactly one schema (matched ${Array.isArray(params.passingSchemas) ? params.passingSchemas.length : 0} out of ${Array.isArray(schema) ? schema.length : 0})`;
    case 'not':
      return 'instance matched a schema which it should not';
    default:
      return error.message ?? `failed ${error.keyword}`;
  }
}

/** The bracketed list API Gateway puts in `validationErrorString`, from Ajv's (verbose) errors. */
export function validationErrorString(errors: ErrorObject[]): string {
  // The draft-4 validator reports all missing (or extra) properties of an object in one message:
  // the first such error holds the message's place, later ones only add their property.
  const groups = new Map<string, string[]>();
  const messages: (string | (() => string))[] = [];
  for (const error of errors) {
    const params = error.params as Record<string, unknown>;
    const property =
      error.keyword === 'required'
        ? (params.missingProperty as string)
        : error.keyword === 'additionalProperties'
          ? (params.additionalProperty as string)
          : undefined;
    if (property === undefined) {
      messages.push(message(error));
      continue;
    }
    const key = `${error.keyword}:${error.instancePath}`;
    const names = groups.get(key);
    if (names) {
      names.push(property);
      continue;
    }
    const group = [property];
    groups.set(key, group);
    messages.push(() =>
      error.keyword === 'required'
        ? `object has missing required properties (${quoted(group.sort())})`
        : `object instance has properties which are not allowed by the schema: ${quoted(group.sort())}`,
    );
  }
  return `[${messages.map((entry) => (typeof entry === 'string' ? entry : entry())).join(', ')}]`;
}
