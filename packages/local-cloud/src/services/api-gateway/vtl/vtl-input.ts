/**
 * `$input`: the method request as a mapping template reads it. `$input.body` is the raw payload,
 * `$input.json(x)` and `$input.path(x)` evaluate a JSONPath on it (as JSON text, and as a value
 * the template can walk), `$input.params()` gives every parameter by location and
 * `$input.params(x)` one, looked up in the path, then the query string, then the headers.
 */
import { compileJsonPath } from './json-path';
import type { JsonPath } from './json-path';
import type { VtlObject } from './vtl-object';
import { display, fromJson, newMap } from './vtl-values';

export interface InputSource {
  body: string;
  path: Record<string, string>;
  querystring: Record<string, string>;
  /** Header names as sent. */
  header: Record<string, string>;
}

export class VtlRenderError extends Error {}

export const INPUT_MEMBERS: ReadonlySet<string> = new Set(['body', 'json', 'path', 'params']);

const paths = new Map<string, JsonPath>();

function jsonPath(expression: string): JsonPath {
  let path = paths.get(expression);
  if (!path) {
    path = compileJsonPath(expression);
    paths.set(expression, path);
  }
  return path;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

export function inputObject(source: InputSource): VtlObject {
  let parsed: { value: unknown } | undefined;
  const payload = (): unknown => {
    if (!parsed) {
      try {
        parsed = { value: source.body.trim() === '' ? newMap() : fromJson(source.body) };
      } catch {
        throw new VtlRenderError('$input: the payload is not valid JSON');
      }
    }
    return parsed.value;
  };
  const params = (name?: unknown): unknown => {
    if (name === undefined) {
      return newMap([
        ['path', newMap(Object.entries(source.path))],
        ['querystring', newMap(Object.entries(source.querystring))],
        ['header', newMap(Object.entries(source.header))],
      ]);
    }
    const key = display(name);
    return source.path[key] ?? source.querystring[key] ?? headerValue(source.header, key) ?? '';
  };
  return {
    members: INPUT_MEMBERS,
    property: (name) => (name === 'body' ? source.body : undefined),
    call(name, [argument]) {
      if (name === 'params') return params(argument);
      if (name !== 'json' && name !== 'path') return undefined;
      const value = jsonPath(display(argument)).evaluate(payload());
      if (name === 'path') return value;
      return JSON.stringify(value ?? '');
    },
  };
}
