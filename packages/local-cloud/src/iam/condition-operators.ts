/**
 * The Condition element of an IAM statement: its operators, the set qualifiers for multivalued
 * keys, `…IfExists`, and the policy variables its values (and a statement's resources) may hold.
 * Semantics follow the IAM User Guide ("Condition operators", "Set operators for multivalued
 * context keys", "Policy variables").
 */
import type { Json } from '../json';
import { wildcardMatch, type WildcardPiece } from './wildcard-match';
import { isObject } from '../json';

/** A request's condition keys, by lower-cased name: IAM's key names are case-insensitive. */
export type ConditionKeys = ReadonlyMap<string, readonly string[]>;

export function conditionKeyLookup(keys: Record<string, string | string[]>): ConditionKeys {
  const lookup = new Map<string, string[]>();
  for (const [name, value] of Object.entries(keys)) {
    const lower = name.toLowerCase();
    lookup.set(lower, [...(lookup.get(lower) ?? []), ...(Array.isArray(value) ? value : [value])]);
  }
  return lookup;
}

function lookupKey(keys: ConditionKeys, name: string): readonly string[] | undefined {
  const values = keys.get(name.toLowerCase());
  // An empty set is how a request says it has no value for the key (e.g. no tags at all).
  return values !== undefined && values.length > 0 ? values : undefined;
}

const VARIABLE_ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/**
 * Substitutes `${key}` / `${key, 'default'}` from the request's keys. Substituted text and the
 * `${*}` `${?}` `${$}` escapes become literal pieces, so they never act as wildcards. Undefined
 * when a key is missing (or multivalued) without a default: IAM then treats the entry as one
 * that cannot match. Only for documents of Version 2012-10-17; in older ones `${…}` is text.
 */
export function resolvePolicyVariables(
  text: string,
  keys: ConditionKeys,
): WildcardPiece[] | undefined {
  const pieces: WildcardPiece[] = [];
  let rest = text;
  for (;;) {
    const start = rest.indexOf('${');
    const end = start < 0 ? -1 : rest.indexOf('}', start + 2);
    if (start < 0 || end < 0) {
      if (rest) pieces.push({ text: rest, literal: false });
      return pieces;
    }
    if (start > 0) pieces.push({ text: rest.slice(0, start), literal: false });
    const inner = rest.slice(start + 2, end).trim();
    const escaped = VARIABLE_ESCAPES[inner];
    if (escaped !== undefined) pieces.push({ text: escaped, literal: true });
    else {
      const variable = /^([^,\s]+)\s*(?:,\s*'([^']*)')?$/.exec(inner);
      if (!variable?.[1]) pieces.push({ text: rest.slice(start, end + 1), literal: false });
      else {
        const values = lookupKey(keys, variable[1]);
        const value = values?.length === 1 ? values[0] : variable[2];
        if (value === undefined) return undefined;
        pieces.push({ text: value, literal: true });
      }
    }
    rest = rest.slice(end + 1);
  }
}

const textOf = (pieces: readonly WildcardPiece[]): string => pieces.map((p) => p.text).join('');

// ---- value parsers: undefined means "does not parse", which makes the whole condition false ----

function parseNumber(text: string): number | undefined {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())
    ? Number(text.trim())
    : undefined;
}

/** ISO 8601 (date, or date and time with an optional zone; no zone means UTC) or epoch seconds. */
function parseDate(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/.exec(
      trimmed,
    );
  if (!iso) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = iso;
  const fields = [y, mo, d].map(Number) as [number, number, number];
  const time = [h, mi, s].map(Number) as [number, number, number];
  const ms = Math.round(Number(`0${fraction}`) * 1000);
  const utc = Date.UTC(fields[0], fields[1] - 1, fields[2], time[0], time[1], time[2], ms);
  const check = new Date(utc);
  if (
    check.getUTCMonth() !== fields[1] - 1 ||
    check.getUTCDate() !== fields[2] ||
    time[0] > 23 ||
    time[1] > 59 ||
    time[2] > 59
  ) {
    return undefined;
  }
  if (zone === 'Z' || zone === 'z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return utc - sign * offsetMinutes * 60_000;
}

function parseBool(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

function parseBase64(text: string): Buffer | undefined {
  const trimmed = text.trim();
  return trimmed.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(trimmed)
    ? Buffer.from(trimmed, 'base64')
    : undefined;
}

interface IpValue {
  bits: 32 | 128;
  value: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!octets) return undefined;
  let value = 0n;
  for (const octet of octets.slice(1)) {
    const n = Number(octet);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string | undefined): number[] | undefined => {
    if (!part) return [];
    const groups: number[] = [];
    const fields = part.split(':');
    for (const [i, field] of fields.entries()) {
      if (i === fields.length - 1 && field.includes('.')) {
        const v4 = parseIpv4(field);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(field)) groups.push(parseInt(field, 16));
      else return undefined;
    }
    return groups;
  };
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

const IPV4_MAPPED_PREFIX = 0xffffn << 32n;

function parseIp(text: string): IpValue | undefined {
  const v4 = parseIpv4(text.trim());
  if (v4 !== undefined) return { bits: 32, value: v4 };
  const v6 = parseIpv6(text.trim());
  if (v6 === undefined) return undefined;
  // Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d; IAM sees them as IPv4.
  if (v6 >> 32n === 0xffffn) return { bits: 32, value: v6 - IPV4_MAPPED_PREFIX };
  return { bits: 128, value: v6 };
}

function parseCidr(text: string): (IpValue & { prefix: number }) | undefined {
  const [address = '', prefix, ...extra] = text.trim().split('/');
  if (extra.length > 0) return undefined;
  const v4 = parseIpv4(address);
  const ip: IpValue | undefined =
    v4 !== undefined ? { bits: 32, value: v4 } : mapUndefined(parseIpv6(address));
  if (!ip) return undefined;
  if (prefix === undefined) return { ...ip, prefix: ip.bits };
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > ip.bits) return undefined;
  return { ...ip, prefix: Number(prefix) };
}

function mapUndefined(v6: bigint | undefined): IpValue | undefined {
  return v6 === undefined ? undefined : { bits: 128, value: v6 };
}

function ipInCidr(ipText: string, cidrText: string): boolean | undefined {
  const ip = parseIp(ipText);
  const cidr = parseCidr(cidrText);
  if (!ip || !cidr) return undefined;
  if (ip.bits !== cidr.bits) return false;
  const shift = BigInt(cidr.bits - cidr.prefix);
  return ip.value >> shift === cidr.value >> shift;
}

/** Splits at the first five colons: an ARN's resource part may itself hold colons. */
function arnParts(pieces: readonly WildcardPiece[]): WildcardPiece[][] {
  const parts: WildcardPiece[][] = [[]];
  for (const piece of pieces) {
    const fields = piece.text.split(':');
    for (const [i, field] of fields.entries()) {
      if (i > 0) {
        if (parts.length < 6) parts.push([]);
        else parts[parts.length - 1]?.push({ text: ':', literal: true });
      }
      parts[parts.length - 1]?.push({ text: field, literal: piece.literal });
    }
  }
  return parts;
}

function arnMatch(requestValue: string, pattern: readonly WildcardPiece[]): boolean {
  const want = arnParts(pattern);
  const have = arnParts([{ text: requestValue, literal: true }]);
  if (want.length !== 6 || have.length !== 6) return false;
  return want.every((part, i) => wildcardMatch(part, textOf(have[i] ?? [])));
}

// ---- the operator table ----

interface OperatorDefinition {
  negated: boolean;
  /** Whether the operator's values may hold policy variables (the User Guide says per family). */
  variables: boolean;
  /** One request value against one policy value; undefined when either does not parse. */
  matches(requestValue: string, policyValue: readonly WildcardPiece[]): boolean | undefined;
}

type Compare = OperatorDefinition['matches'];

function both<T>(parse: (text: string) => T | undefined, test: (have: T, want: T) => boolean) {
  return (requestValue: string, policyValue: readonly WildcardPiece[]): boolean | undefined => {
    const have = parse(requestValue);
    const want = parse(textOf(policyValue));
    return have === undefined || want === undefined ? undefined : test(have, want);
  };
}

const stringEquals: Compare = (v, p) => v === textOf(p);
const stringEqualsIgnoreCase: Compare = (v, p) => v.toLowerCase() === textOf(p).toLowerCase();
const stringLike: Compare = (v, p) => wildcardMatch(p, v);
const numeric = (test: (have: number, want: number) => boolean) => both(parseNumber, test);
const date = (test: (have: number, want: number) => boolean) => both(parseDate, test);
const boolEquals = both(parseBool, (have, want) => have === want);
const binaryEquals = both(parseBase64, (have, want) => have.equals(want));
const ipAddress: Compare = (v, p) => ipInCidr(v, textOf(p));

function family(
  variables: boolean,
  positive: Record<string, Compare>,
  negative: Record<string, Compare> = {},
): [string, OperatorDefinition][] {
  return [
    ...Object.entries(positive).map(([name, matches]): [string, OperatorDefinition] => [
      name,
      { negated: false, variables, matches },
    ]),
    ...Object.entries(negative).map(([name, matches]): [string, OperatorDefinition] => [
      name,
      { negated: true, variables, matches },
    ]),
  ];
}

const OPERATORS: ReadonlyMap<string, OperatorDefinition> = new Map([
  ...family(
    true,
    { StringEquals: stringEquals, StringEqualsIgnoreCase: stringEqualsIgnoreCase },
    { StringNotEquals: stringEquals, StringNotEqualsIgnoreCase: stringEqualsIgnoreCase },
  ),
  ...family(true, { StringLike: stringLike }, { StringNotLike: stringLike }),
  ...family(
    false,
    {
      NumericEquals: numeric((a, b) => a === b),
      NumericLessThan: numeric((a, b) => a < b),
      NumericLessThanEquals: numeric((a, b) => a <= b),
      NumericGreaterThan: numeric((a, b) => a > b),
      NumericGreaterThanEquals: numeric((a, b) => a >= b),
    },
    { NumericNotEquals: numeric((a, b) => a === b) },
  ),
  ...family(
    false,
    {
      DateEquals: date((a, b) => a === b),
      DateLessThan: date((a, b) => a < b),
      DateLessThanEquals: date((a, b) => a <= b),
      DateGreaterThan: date((a, b) => a > b),
      DateGreaterThanEquals: date((a, b) => a >= b),
    },
    { DateNotEquals: date((a, b) => a === b) },
  ),
  ...family(true, { Bool: boolEquals }),
  ...family(false, { BinaryEquals: binaryEquals }),
  ...family(false, { IpAddress: ipAddress }, { NotIpAddress: ipAddress }),
  // The User Guide gives ArnEquals the same per-part wildcard matching as ArnLike.
  ...family(
    true,
    { ArnEquals: arnMatch, ArnLike: arnMatch },
    { ArnNotEquals: arnMatch, ArnNotLike: arnMatch },
  ),
]);

/** Every operator name (without qualifier or IfExists) the local evaluation understands. */
export const SUPPORTED_CONDITION_OPERATORS: readonly string[] = [...OPERATORS.keys(), 'Null'];

type Qualifier = 'ForAllValues' | 'ForAnyValue';

interface ParsedOperator {
  qualifier?: Qualifier;
  ifExists: boolean;
  /** Undefined for Null, which tests presence only. */
  definition?: OperatorDefinition;
}

/** Undefined for operators (or qualifiers, or combinations) the engine does not know. */
function parseOperator(name: string): ParsedOperator | undefined {
  let base = name;
  let qualifier: Qualifier | undefined;
  const colon = name.indexOf(':');
  if (colon >= 0) {
    const prefix = name.slice(0, colon);
    if (prefix !== 'ForAllValues' && prefix !== 'ForAnyValue') return undefined;
    qualifier = prefix;
    base = name.slice(colon + 1);
  }
  const ifExists = base.endsWith('IfExists');
  if (ifExists) base = base.slice(0, -'IfExists'.length);
  if (base === 'Null') return ifExists || qualifier ? undefined : { ifExists: false };
  const definition = OPERATORS.get(base);
  return definition ? { qualifier, ifExists, definition } : undefined;
}

/** One `Operator: { key: values }` entry of a Condition block. */
export interface ConditionClause {
  /** As written, e.g. `ForAnyValue:StringLike`. */
  operator: string;
  key: string;
  values: string[];
  /** Undefined when the operator cannot be evaluated locally. */
  parsed?: ParsedOperator;
}

function conditionValues(value: Json, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw new Error(`${where}: condition values must be strings, numbers or booleans`);
  });
}

const parsedBlocks = new WeakMap<object, ConditionClause[]>();

/**
 * Checks a Condition block's shape (throws, naming `where`, when it is not one) and reads its
 * clauses. Unknown operators are kept, unparsed, for the caller to report.
 */
export function parseConditionBlock(block: Json | undefined, where: string): ConditionClause[] {
  if (block === undefined) return [];
  if (!isObject(block)) throw new Error(`${where}: Condition must be an object`);
  const cached = parsedBlocks.get(block);
  if (cached) return cached;
  const clauses: ConditionClause[] = [];
  for (const [operator, entries] of Object.entries(block)) {
    if (!isObject(entries)) {
      throw new Error(`${where}: Condition operator ${operator} must map keys to values`);
    }
    for (const [key, value] of Object.entries(entries)) {
      clauses.push({
        operator,
        key,
        values: conditionValues(value, `${where}: ${operator} ${key}`),
        parsed: parseOperator(operator),
      });
    }
  }
  parsedBlocks.set(block, clauses);
  return clauses;
}

function evaluateNull(clause: ConditionClause, present: boolean): boolean {
  return clause.values.some((value) => parseBool(value) === !present);
}

function evaluateClause(
  clause: ConditionClause,
  parsed: ParsedOperator,
  keys: ConditionKeys,
  variables: boolean,
): boolean {
  const requestValues = lookupKey(keys, clause.key);
  const { definition } = parsed;
  if (!definition) return evaluateNull(clause, requestValues !== undefined);
  if (requestValues === undefined) {
    if (parsed.ifExists) return true;
    // "ForAllValues … returns true if there are no context keys in the request."
    if (parsed.qualifier === 'ForAllValues') return true;
    if (parsed.qualifier === 'ForAnyValue') return false;
    return definition.negated;
  }
  const policyValues = clause.values.map((value) =>
    variables && definition.variables
      ? resolvePolicyVariables(value, keys)
      : [{ text: value, literal: false }],
  );
  const results = requestValues.map((requestValue) =>
    policyValues.map((policyValue) =>
      policyValue ? definition.matches(requestValue, policyValue) : false,
    ),
  );
  if (results.some((row) => row.includes(undefined))) return false;
  // For a negated operator a request value passes when it matches none of the policy values.
  const passes = results.map((row) => row.includes(true) !== definition.negated);
  if (parsed.qualifier === 'ForAllValues') return passes.every(Boolean);
  if (parsed.qualifier === 'ForAnyValue') return passes.some(Boolean);
  return definition.negated ? passes.every(Boolean) : passes.some(Boolean);
}

const isLookup = (keys: ConditionKeys | Record<string, string | string[]>): keys is ConditionKeys =>
  keys instanceof Map;

export interface ConditionWhere {
  /** Names the block in errors, e.g. `<policy label>: statement 2`. */
  where: string;
  /** Whether policy variables are substituted (documents of Version 2012-10-17). */
  variables: boolean;
}

export interface ConditionOutcome {
  /** Whether every clause the engine can evaluate holds. */
  matches: boolean;
  /** The first operator (as written) that cannot be evaluated locally, if any. */
  unsupported?: string;
}

/**
 * Operators AND together, keys of an operator AND together, values of a key OR together (for a
 * negated operator: the request value must match none of them).
 */
export function evaluateCondition(
  block: Json | undefined,
  keys: ConditionKeys | Record<string, string | string[]>,
  options: ConditionWhere,
): ConditionOutcome {
  const lookup = isLookup(keys) ? keys : conditionKeyLookup(keys);
  let unsupported: string | undefined;
  let matches = true;
  for (const clause of parseConditionBlock(block, options.where)) {
    if (!clause.parsed) unsupported ??= clause.operator;
    else if (!evaluateClause(clause, clause.parsed, lookup, options.variables)) matches = false;
  }
  return unsupported === undefined ? { matches } : { matches, unsupported };
}
