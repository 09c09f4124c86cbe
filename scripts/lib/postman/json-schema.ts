/** An OpenAPI schema turned into the self-contained JSON Schema Postman's `jsonSchema` assertion expects. */
import { isJsonObject, type JsonObject, type JsonValue } from './json';
import type { OpenApiDocument } from './openapi-types';
import { isReference, lookup } from './refs';

/** Annotations and OpenAPI-only keywords that a JSON Schema validator does not need. */
const DROPPED_KEYWORDS = new Set([
  'description',
  'example',
  'examples',
  'externalDocs',
  'xml',
  'deprecated',
  'discriminator',
  'nullable',
]);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties']);
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);

/** The schema with every `$ref` inlined, as the JSON Schema Postman's `jsonSchema` expects. */
export function toJsonSchema(
  document: OpenApiDocument,
  schema: JsonObject,
  refs: readonly string[] = [],
): JsonObject {
  if (isReference(schema)) {
    if (refs.includes(schema.$ref)) {
      throw new Error(`Recursive schema ${[...refs, schema.$ref].join(' → ')} cannot be embedded`);
    }
    const target = lookup(document, schema.$ref) as JsonObject;
    return toJsonSchema(document, target, [...refs, schema.$ref]);
  }
  const converted: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(keyword)) continue;
    converted[keyword] = convertKeyword(document, keyword, value, refs);
  }
  if (schema.nullable === true && typeof converted.type === 'string') {
    converted.type = [converted.type, 'null'];
  }
  return converted;
}

/** A keyword's value, with the schemas it holds (one, a list, or a map of them) converted too. */
function convertKeyword(
  document: OpenApiDocument,
  keyword: string,
  value: JsonValue,
  refs: readonly string[],
): JsonValue {
  if (SCHEMA_MAP_KEYWORDS.has(keyword) && isJsonObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([name, sub]) => [name, subSchema(document, sub, refs)]),
    );
  }
  if (SCHEMA_KEYWORDS.has(keyword)) return subSchema(document, value, refs);
  if (SCHEMA_LIST_KEYWORDS.has(keyword) && Array.isArray(value)) {
    return value.map((sub) => subSchema(document, sub, refs));
  }
  return value;
}

function subSchema(
  document: OpenApiDocument,
  value: JsonValue,
  refs: readonly string[],
): JsonValue {
  return isJsonObject(value) ? toJsonSchema(document, value, refs) : value;
}
