/**
 * The parts of an OpenAPI 3.0 document (with API Gateway's extensions) the local gateway reads,
 * typed loosely: the document is data the stack deployed, so every read checks what it gets.
 */
import type { Json, JsonObject } from '../../json';
import { isObject } from '../../json';

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
}

export interface RequestBodyObject {
  required?: boolean;
  content?: Record<string, { schema?: JsonObject } | undefined>;
}

export interface OperationObject {
  operationId?: string;
  parameters?: JsonObject[];
  requestBody?: JsonObject;
  'x-amazon-apigateway-request-validator'?: string;
  'x-amazon-apigateway-integration'?: JsonObject;
}

/**
 * Follows a local `$ref` (`#/components/parameters/X`) to what it points at, as API Gateway's
 * importer does for parameters and request bodies; other values come back as they are.
 */
export function dereference(document: JsonObject, value: Json | undefined): Json | undefined {
  let current = value;
  for (let hops = 0; hops < 20 && isObject(current) && typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/'))
      throw new Error(`OpenAPI: only local references are supported (${ref})`);
    let target: Json | undefined = document;
    for (const token of ref.slice(2).split('/')) {
      const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) throw new Error(`OpenAPI: ${ref} points at nothing`);
    current = target;
  }
  return current;
}
