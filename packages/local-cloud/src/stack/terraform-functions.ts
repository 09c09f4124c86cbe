/**
 * The Terraform built-in functions a cdktf stack uses, with Terraform's conversions (numbers and
 * bools become strings where a string is expected) and its errors. Any other function throws,
 * naming it, so an unsupported stack fails at boot instead of running with a wrong value.
 */
import { createHash } from 'node:crypto';
import type { Json, JsonObject } from '../json';
import { formatNumber, marshalJson, quoteGoString } from './go-json';

type TerraformFunction = (args: Json[], name: string) => Json;

function kind(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function str(value: Json | undefined, name: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new Error(`${name}: a string is required, not ${kind(value ?? null)}`);
}

function num(value: Json | undefined, name: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || Number.isNaN(number)) {
    throw new Error(`${name}: a number is required, not ${kind(value ?? null)}`);
  }
  return number;
}

function list(value: Json | undefined, name: string): Json[] {
  if (Array.isArray(value)) return value;
  throw new Error(`${name}: a list is required, not ${kind(value ?? null)}`);
}

function object(value: Json | undefined, name: string): JsonObject {
  if (value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value)) {
    return value;
  }
  throw new Error(`${name}: a map or object is required, not ${kind(value ?? null)}`);
}

function arity(args: Json[], name: string, min: number, max: number = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max === Infinity ? 'any' : max}`;
    throw new Error(`${name}: expects ${expected} argument(s), got ${args.length}`);
  }
}

function unary(run: (value: string) => Json): TerraformFunction {
  return (args, name) => {
    arity(args, name, 1);
    return run(str(args[0], name));
  };
}

const hash = (algorithm: string) =>
  unary((value) => createHash(algorithm).update(value, 'utf8').digest('hex'));

/** Go's regexp replacement syntax: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expandGoReplacement(template: string, groups: (string | undefined)[], named: JsonObject) {
  return template.replace(
    /\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g,
    (_all, token: string, braced?: string, bare?: string) => {
      if (token === '$') return '$';
      const key = braced ?? bare ?? '';
      if (/^[0-9]+$/.test(key)) return groups[Number(key)] ?? '';
      const value = named[key];
      return typeof value === 'string' ? value : '';
    },
  );
}

function replace(args: Json[], name: string): Json {
  arity(args, name, 3);
  const subject = str(args[0], name);
  const search = str(args[1], name);
  const replacement = str(args[2], name);
  if (search.length > 1 && search.startsWith('/') && search.endsWith('/')) {
    // RE2 spells a named group (?P<name>…); JavaScript spells it (?<name>…).
    const body = search.slice(1, -1).replace(/\(\?P</g, '(?<');
    const groupCount = (new RegExp(`${body}|`).exec('')?.length ?? 1) - 1;
    return subject.replace(new RegExp(body, 'g'), (...match: unknown[]) => {
      const groups = match
        .slice(0, groupCount + 1)
        .map((group) => (typeof group === 'string' ? group : undefined));
      const last = match[match.length - 1];
      const named: JsonObject = {};
      if (last !== null && typeof last === 'object') {
        for (const [key, value] of Object.entries(last)) {
          if (typeof value === 'string') named[key] = value;
        }
      }
      return expandGoReplacement(replacement, groups, named);
    });
  }
  return subject.split(search).join(replacement);
}

/** The `%` verbs of Terraform's format: %s %d %q %v %t %f and %%. */
function format(args: Json[], name: string): Json {
  if (args.length === 0) throw new Error(`${name}: expects a format string`);
  const spec = str(args[0], name);
  const values = args.slice(1);
  let next = 0;
  const output = spec.replace(
    /%([-+ #0]*)([0-9]*)(?:\.([0-9]+))?([a-zA-Z%])/g,
    (_all, _flags, _width, precision: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      if (next >= values.length) throw new Error(`${name}: not enough arguments for "${spec}"`);
      const value = values[next] ?? null;
      next += 1;
      switch (verb) {
        case 's':
          return str(value, name);
        case 'd': {
          const number = num(value, name);
          if (!Number.isInteger(number))
            throw new Error(`${name}: %d needs a whole number, not ${number}`);
          return formatNumber(number);
        }
        case 'f':
          return num(value, name).toFixed(precision === undefined ? 6 : Number(precision));
        case 't':
          if (typeof value !== 'boolean') throw new Error(`${name}: %t needs a bool`);
          return value ? 'true' : 'false';
        case 'q':
          return quoteGoString(str(value, name));
        case 'v':
          return typeof value === 'string' ? value : marshalJson(value, { sortKeys: true });
        default:
          throw new Error(`${name}: unsupported verb %${verb}`);
      }
    },
  );
  if (next < values.length) throw new Error(`${name}: too many arguments for "${spec}"`);
  return output;
}

function decodeBase64(value: string, name: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new Error(`${name}: the argument is not valid base64`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'base64'));
  } catch {
    throw new Error(`${name}: the decoded bytes are not valid UTF-8`);
  }
}

const FUNCTIONS: Record<string, TerraformFunction> = {
  jsonencode: (args, name) => {
    arity(args, name, 1);
    return marshalJson(args[0] ?? null, { sortKeys: true });
  },
  jsondecode: unary((value) => JSON.parse(value) as Json),
  sha1: hash('sha1'),
  sha256: hash('sha256'),
  md5: hash('md5'),
  base64sha256: unary((value) => createHash('sha256').update(value, 'utf8').digest('base64')),
  base64encode: unary((value) => Buffer.from(value, 'utf8').toString('base64')),
  base64decode: (args, name) => {
    arity(args, name, 1);
    return decodeBase64(str(args[0], name), name);
  },
  replace,
  split: (args, name) => {
    arity(args, name, 2);
    return str(args[1], name).split(str(args[0], name));
  },
  join: (args, name) => {
    arity(args, name, 2, Infinity);
    const separator = str(args[0], name);
    return args
      .slice(1)
      .flatMap((item) => list(item, name))
      .map((item) => str(item, name))
      .join(separator);
  },
  element: (args, name) => {
    arity(args, name, 2);
    const items = list(args[0], name);
    const index = num(args[1], name);
    if (items.length === 0)
      throw new Error(`${name}: cannot use element function with an empty list`);
    if (!Number.isInteger(index) || index < 0) {
      throw new Error(`${name}: the index must be a non-negative whole number, not ${index}`);
    }
    return items[index % items.length] ?? null;
  },
  lower: unary((value) => value.toLowerCase()),
  upper: unary((value) => value.toUpperCase()),
  trimspace: unary((value) => value.trim()),
  format,
  tostring: (args, name) => {
    arity(args, name, 1);
    const value = args[0] ?? null;
    return value === null ? null : str(value, name);
  },
  tonumber: (args, name) => {
    arity(args, name, 1);
    const value = args[0] ?? null;
    return value === null ? null : num(value, name);
  },
  length: (args, name) => {
    arity(args, name, 1);
    const value = args[0] ?? null;
    if (typeof value === 'string') return [...new Intl.Segmenter().segment(value)].length;
    if (Array.isArray(value)) return value.length;
    return Object.keys(object(value, name)).length;
  },
  concat: (args, name) => args.flatMap((item) => list(item, name)),
  lookup: (args, name) => {
    arity(args, name, 2, 3);
    const map = object(args[0], name);
    const key = str(args[1], name);
    if (key in map) return map[key] ?? null;
    if (args.length === 3) return args[2] ?? null;
    throw new Error(`${name}: the given key "${key}" does not exist and no default was given`);
  },
  merge: (args, name) => {
    const merged: JsonObject = {};
    for (const item of args) if (item !== null) Object.assign(merged, object(item, name));
    return merged;
  },
  coalesce: (args, name) => {
    const found = args.find((item) => item !== null && item !== '');
    if (found === undefined) throw new Error(`${name}: no non-null, non-empty-string arguments`);
    return found;
  },
  trimprefix: (args, name) => {
    arity(args, name, 2);
    const value = str(args[0], name);
    const prefix = str(args[1], name);
    return value.startsWith(prefix) ? value.slice(prefix.length) : value;
  },
  trimsuffix: (args, name) => {
    arity(args, name, 2);
    const value = str(args[0], name);
    const suffix = str(args[1], name);
    return suffix !== '' && value.endsWith(suffix) ? value.slice(0, -suffix.length) : value;
  },
  startswith: (args, name) => {
    arity(args, name, 2);
    return str(args[0], name).startsWith(str(args[1], name));
  },
  endswith: (args, name) => {
    arity(args, name, 2);
    return str(args[0], name).endsWith(str(args[1], name));
  },
  contains: (args, name) => {
    arity(args, name, 2);
    const wanted = JSON.stringify(args[1] ?? null);
    return list(args[0], name).some((item) => JSON.stringify(item) === wanted);
  },
  keys: (args, name) => {
    arity(args, name, 1);
    return Object.keys(object(args[0], name)).sort();
  },
  values: (args, name) => {
    arity(args, name, 1);
    const map = object(args[0], name);
    return Object.keys(map)
      .sort()
      .map((key) => map[key] ?? null);
  },
  tolist: (args, name) => {
    arity(args, name, 1);
    return list(args[0], name);
  },
  toset: (args, name) => {
    arity(args, name, 1);
    const seen = new Map<string, Json>();
    for (const item of list(args[0], name)) seen.set(JSON.stringify(item), item);
    return [...seen.values()];
  },
  tomap: (args, name) => {
    arity(args, name, 1);
    return object(args[0], name);
  },
};

/** Calls a Terraform function by name; throws for a function this evaluator does not know. */
export function callFunction(name: string, args: Json[]): Json {
  const run = FUNCTIONS[name];
  if (!run) throw new Error(`Unsupported Terraform function "${name}"`);
  return run(args, name);
}

export const SUPPORTED_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS).sort();
