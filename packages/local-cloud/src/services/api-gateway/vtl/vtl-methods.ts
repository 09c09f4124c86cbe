/**
 * The Java methods templates call on values: String's, List's and Map's (and a map entry's
 * getters), as far as mapping templates use them. METHOD_NAMES lets a template be refused at load
 * time when it calls a method none of them has.
 */
import { display, isMap, MapEntry, vtlEquals } from './vtl-values';
import type { VtlMap } from './vtl-values';

type Method = (target: never, args: unknown[]) => unknown;

const regexCache = new Map<string, RegExp>();

/** Java's regexes and JavaScript's agree on what templates use. */
function javaRegex(pattern: string, flags = 'g'): RegExp {
  const key = `${flags}/${pattern}`;
  let regex = regexCache.get(key);
  if (!regex) {
    regex = new RegExp(pattern, flags);
    regexCache.set(key, regex);
  }
  regex.lastIndex = 0;
  return regex;
}

/** Java's replacement syntax: `$n` is a group, a backslash makes the next character literal. */
function javaReplacement(replacement: string, match: string, groups: string[]): string {
  let out = '';
  for (let index = 0; index < replacement.length; index += 1) {
    const char = replacement[index] as string;
    if (char === '\\' && index + 1 < replacement.length) {
      index += 1;
      out += replacement[index] as string;
    } else if (char === '$' && /\d/.test(replacement[index + 1] ?? '')) {
      index += 1;
      const group = Number(replacement[index]);
      out += group === 0 ? match : (groups[group - 1] ?? '');
    } else {
      out += char;
    }
  }
  return out;
}

function replaceRegex(text: string, pattern: string, replacement: string, flags: string): string {
  return text.replace(javaRegex(pattern, flags), (match: string, ...rest: unknown[]) => {
    // The groups come first, then the offset (the first number).
    const groups = rest.slice(
      0,
      rest.findIndex((value) => typeof value === 'number'),
    );
    return javaReplacement(replacement, match, groups.map(display));
  });
}

/** Java's split: trailing empty strings are dropped. */
function split(text: string, pattern: string): string[] {
  const parts = text.split(javaRegex(pattern, ''));
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const str = (value: unknown): string => display(value);
const int = (value: unknown): number => Math.trunc(Number(value));

const STRING: Record<string, (text: string, args: unknown[]) => unknown> = {
  length: (text) => text.length,
  isEmpty: (text) => text.length === 0,
  contains: (text, [part]) => text.includes(str(part)),
  startsWith: (text, [prefix]) => text.startsWith(str(prefix)),
  endsWith: (text, [suffix]) => text.endsWith(str(suffix)),
  indexOf: (text, [part]) => text.indexOf(str(part)),
  lastIndexOf: (text, [part]) => text.lastIndexOf(str(part)),
  substring: (text, [from, to]) =>
    text.substring(int(from), to === undefined ? text.length : int(to)),
  charAt: (text, [at]) => text.charAt(int(at)),
  toUpperCase: (text) => text.toUpperCase(),
  toLowerCase: (text) => text.toLowerCase(),
  trim: (text) => text.trim(),
  concat: (text, [other]) => text + str(other),
  replace: (text, [search, replacement]) => text.split(str(search)).join(str(replacement)),
  replaceAll: (text, [pattern, replacement]) =>
    replaceRegex(text, str(pattern), str(replacement), 'g'),
  replaceFirst: (text, [pattern, replacement]) =>
    replaceRegex(text, str(pattern), str(replacement), ''),
  matches: (text, [pattern]) => javaRegex(`^(?:${str(pattern)})$`, '').test(text),
  split: (text, [pattern]) => split(text, str(pattern)),
  equals: (text, [other]) => vtlEquals(text, other),
  equalsIgnoreCase: (text, [other]) => text.toLowerCase() === str(other).toLowerCase(),
  toString: (text: string) => text,
};

const LIST: Record<string, (list: unknown[], args: unknown[]) => unknown> = {
  size: (list) => list.length,
  // What AWS's reference shows for `$input.path('$.pets').count()`.
  count: (list) => list.length,
  isEmpty: (list) => list.length === 0,
  get: (list, [at]) => list[int(at)],
  contains: (list, [item]) => list.some((entry) => vtlEquals(entry, item)),
  indexOf: (list, [item]) => list.findIndex((entry) => vtlEquals(entry, item)),
  add: (list, [item]) => list.push(item) > 0,
  addAll: (list, [items]) => Array.isArray(items) && list.push(...(items as unknown[])) >= 0,
  remove: (list, [at]) => list.splice(int(at), 1)[0],
  subList: (list, [from, to]) => list.slice(int(from), int(to)),
  toString: (list: unknown[]) => display(list),
};

const MAP: Record<string, (map: VtlMap, args: unknown[]) => unknown> = {
  size: (map) => Object.keys(map).length,
  isEmpty: (map) => Object.keys(map).length === 0,
  get: (map, [key]) => map[str(key)],
  containsKey: (map, [key]) => Object.hasOwn(map, str(key)),
  containsValue: (map, [value]) => Object.values(map).some((entry) => vtlEquals(entry, value)),
  keySet: (map) => Object.keys(map),
  values: (map) => Object.values(map),
  entrySet: (map) => Object.entries(map).map(([key, value]) => new MapEntry(key, value)),
  put: (map, [key, value]) => {
    const previous = map[str(key)];
    map[str(key)] = value;
    return previous;
  },
  remove: (map, [key]) => {
    const previous = map[str(key)];
    delete map[str(key)];
    return previous;
  },
  toString: (map: VtlMap) => display(map),
};

const ENTRY: Record<string, (entry: MapEntry, args: unknown[]) => unknown> = {
  getKey: (entry) => entry.key,
  getValue: (entry) => entry.value,
  toString: (entry: MapEntry) => display(entry),
};

const NUMBER: Record<string, (value: number | boolean, args: unknown[]) => unknown> = {
  toString: (value: number | boolean) => display(value),
  intValue: (value) => int(value),
  doubleValue: (value) => Number(value),
  equals: (value, [other]) => vtlEquals(value, other),
};

export const METHOD_NAMES: ReadonlySet<string> = new Set(
  [STRING, LIST, MAP, ENTRY, NUMBER].flatMap((table) => Object.keys(table)),
);

function tableOf(target: unknown): Record<string, Method> | undefined {
  if (typeof target === 'string') return STRING;
  if (Array.isArray(target)) return LIST;
  if (target instanceof MapEntry) return ENTRY;
  if (isMap(target)) return MAP;
  if (typeof target === 'number' || typeof target === 'boolean') {
    return NUMBER;
  }
  return undefined;
}

/** The method's result; undefined when the value has no such method (Velocity renders the text). */
export function callMethod(target: unknown, name: string, args: unknown[]): unknown {
  const method = tableOf(target)?.[name];
  return method ? method(target as never, args) : undefined;
}

/**
 * `$value.name`: a map's entry, an entry's key or value, or a bean getter (`$list.empty` is
 * `isEmpty()`, `$text.bytes`… are not offered).
 */
export function getProperty(target: unknown, name: string): unknown {
  if (target instanceof MapEntry)
    return name === 'key' ? target.key : name === 'value' ? target.value : undefined;
  if (isMap(target)) return Object.hasOwn(target, name) ? target[name] : undefined;
  const capitalized = name.charAt(0).toUpperCase() + name.slice(1);
  const table = tableOf(target);
  const getter = table?.[`get${capitalized}`] ?? table?.[`is${capitalized}`];
  return getter ? getter(target as never, []) : undefined;
}
