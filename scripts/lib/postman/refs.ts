/** Local `$ref`s (`#/components/...`) of the OpenAPI document, followed to what they point at. */
import type { OpenApiDocument, Reference } from './openapi-types';

export function resolve<T extends object>(document: OpenApiDocument, value: T | Reference): T {
  return isReference(value) ? resolve<T>(document, lookup(document, value.$ref) as T) : value;
}

export function isReference(value: unknown): value is Reference {
  return typeof value === 'object' && value !== null && '$ref' in value;
}

export function lookup(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported, not ${ref}`);
  let node: unknown = document;
  for (const token of ref.slice(2).split('/')) {
    const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(key in node)) {
      throw new Error(`Unresolvable $ref ${ref}`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
