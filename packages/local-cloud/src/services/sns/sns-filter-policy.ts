/**
 * SNS subscription filter policies, as the SNS developer guide documents them ("Amazon SNS
 * message filtering"): every key of the policy must match (AND), the conditions listed for a key
 * are alternatives (OR), `$or` offers alternative sub-policies. A condition is an exact string
 * or number (or true/false/null in a message body), or an operator: `prefix`, `suffix`,
 * `equals-ignore-case`, `anything-but` (a value, a list, or {prefix}/{suffix}/
 * {equals-ignore-case}), `numeric` (=, <, <=, >, >=, combined for ranges), `exists` and `cidr`.
 *
 * Scope MessageAttributes matches the message attributes: String and String.Array values as
 * strings (an array matches when one of its elements does), Number values numerically; Binary
 * values only for `exists`. Scope MessageBody matches the properties of the JSON body, nested
 * policies following nested objects, arrays matching when one element does.
 *
 * Two documented rules shape the edges: `"exists": false` only matches when the message has at
 * least one attribute, and `anything-but` on a String.Array attribute matches only when none of
 * its elements is excluded (while a message body array matches when any element is not). A
 * policy this module cannot read (an unknown operator) matches nothing.
 */
import { BlockList, isIP } from 'node:net';

type Value = string | number | boolean | null;

type Attributes = Record<string, { DataType: string; StringValue?: string }>;

interface Resolved {
  /** The values found at the key, for value conditions. */
  values: Value[];
  /** What `exists` tests: the key is there with a non-null, non-empty value. */
  present: boolean;
  /** A String.Array attribute: anything-but must hold for every element. */
  stringArray: boolean;
}

const OPERATORS = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
  'wildcard',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Value {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  );
}

/** An `$or` only counts as one when it lists at least two sub-policies without operator keys. */
function isOrClause(value: unknown): value is Record<string, unknown>[] {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    value.every((item) => isRecord(item) && Object.keys(item).every((key) => !OPERATORS.has(key)))
  );
}

// ----- resolving values ---------------------------------------------------------------------------

function attributeValues(
  attribute: { DataType: string; StringValue?: string } | undefined,
): Resolved {
  if (!attribute) return { values: [], present: false, stringArray: false };
  const type = attribute.DataType;
  const raw = attribute.StringValue;
  // Binary values are never compared, but they are there.
  if (type.startsWith('Binary') || raw === undefined)
    return { values: [], present: true, stringArray: false };
  if (type.startsWith('Number')) {
    const number = Number(raw);
    return { values: Number.isFinite(number) ? [number] : [], present: true, stringArray: false };
  }
  if (type === 'String.Array') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed))
        return { values: parsed.filter(isScalar), present: parsed.length > 0, stringArray: true };
    } catch {
      // not an array: matched as the string it is
    }
  }
  return { values: [raw], present: raw !== '', stringArray: false };
}

/** The scalar values at a path of the body, descending through arrays. */
function bodyValues(node: unknown, path: string[]): Value[] {
  if (Array.isArray(node)) return node.flatMap((item) => bodyValues(item, path));
  if (path.length === 0) return isScalar(node) ? [node] : [];
  if (!isRecord(node)) return [];
  const [key, ...rest] = path;
  if (key === undefined || !(key in node)) return [];
  return bodyValues(node[key], rest);
}

// ----- conditions ---------------------------------------------------------------------------------

function numericMatches(operands: unknown, value: Value): boolean {
  if (typeof value !== 'number' || !Array.isArray(operands) || operands.length % 2 !== 0)
    return false;
  const list: unknown[] = operands;
  for (let index = 0; index < list.length; index += 2) {
    const operator = list[index];
    const bound = list[index + 1];
    if (typeof bound !== 'number') return false;
    const holds =
      operator === '='
        ? value === bound
        : operator === '<'
          ? value < bound
          : operator === '<='
            ? value <= bound
            : operator === '>'
              ? value > bound
              : operator === '>='
                ? value >= bound
                : undefined;
    if (holds !== true) return false;
  }
  return true;
}

function cidrMatches(range: unknown, value: Value): boolean {
  if (typeof range !== 'string' || typeof value !== 'string') return false;
  const [network, bits] = range.split('/');
  const family = isIP(network ?? '');
  const type = isIP(value);
  if (!network || family === 0 || type !== family) return false;
  const blocks = new BlockList();
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  const kind = family === 4 ? 'ipv4' : 'ipv6';
  try {
    blocks.addSubnet(network, prefix, kind);
  } catch {
    return false;
  }
  return blocks.check(value, kind);
}

/** Whether one value is among the values anything-but excludes. */
function excluded(exclusion: unknown, value: Value): boolean | undefined {
  if (Array.isArray(exclusion)) return exclusion.some((item) => item === value);
  if (isScalar(exclusion)) return exclusion === value;
  if (!isRecord(exclusion)) return undefined;
  const [operator, operand] = Object.entries(exclusion)[0] ?? [];
  if (typeof value !== 'string') return false;
  switch (operator) {
    case 'prefix':
      return typeof operand === 'string' && value.startsWith(operand);
    case 'suffix':
      return typeof operand === 'string' && value.endsWith(operand);
    case 'equals-ignore-case': {
      const operands = Array.isArray(operand) ? operand : [operand];
      return operands.some(
        (item) => typeof item === 'string' && item.toLowerCase() === value.toLowerCase(),
      );
    }
    default:
      return undefined;
  }
}

/** One condition against one value (exists and anything-but are handled by the caller). */
function valueMatches(condition: unknown, value: Value): boolean {
  if (isScalar(condition)) return condition === value;
  if (!isRecord(condition)) return false;
  const entries = Object.entries(condition);
  if (entries.length !== 1) return false;
  const [operator, operand] = entries[0] ?? [];
  switch (operator) {
    case 'prefix':
      return typeof operand === 'string' && typeof value === 'string' && value.startsWith(operand);
    case 'suffix':
      return typeof operand === 'string' && typeof value === 'string' && value.endsWith(operand);
    case 'equals-ignore-case':
      return (
        typeof operand === 'string' &&
        typeof value === 'string' &&
        operand.toLowerCase() === value.toLowerCase()
      );
    case 'numeric':
      return numericMatches(operand, value);
    case 'cidr':
      return cidrMatches(operand, value);
    default:
      return false;
  }
}

function conditionMatches(condition: unknown, resolved: Resolved): boolean {
  const { values } = resolved;
  if (isRecord(condition) && 'exists' in condition)
    return condition.exists === true
      ? resolved.present
      : condition.exists === false && !resolved.present;
  if (values.length === 0) return false;
  if (isRecord(condition) && 'anything-but' in condition) {
    const outcomes = values.map((value) => excluded(condition['anything-but'], value));
    if (outcomes.includes(undefined)) return false;
    return resolved.stringArray
      ? outcomes.every((outcome) => outcome === false)
      : outcomes.some((outcome) => outcome === false);
  }
  return values.some((value) => valueMatches(condition, value));
}

// ----- policies -----------------------------------------------------------------------------------

function policyMatches(
  policy: Record<string, unknown>,
  resolve: (path: string[]) => Resolved,
  path: string[],
  nested: boolean,
): boolean {
  return Object.entries(policy).every(([key, rule]) => {
    if (key === '$or' && isOrClause(rule))
      return rule.some((alternative) => policyMatches(alternative, resolve, path, nested));
    if (Array.isArray(rule))
      return rule.some((condition) => conditionMatches(condition, resolve([...path, key])));
    if (isRecord(rule) && nested) return policyMatches(rule, resolve, [...path, key], nested);
    return false;
  });
}

export function matchesFilterPolicy(
  policy: Record<string, unknown>,
  scope: 'MessageAttributes' | 'MessageBody',
  message: { body: string; attributes: Attributes },
): boolean {
  if (Object.keys(policy).length === 0) return true;
  if (scope === 'MessageAttributes') {
    const attributes: Attributes = message.attributes;
    if (Object.keys(attributes).length === 0) return false;
    return policyMatches(
      policy,
      (path) => attributeValues(path.length === 1 ? attributes[path[0] ?? ''] : undefined),
      [],
      false,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return false;
  }
  if (!isRecord(body) || Object.keys(body).length === 0) return false;
  return policyMatches(
    policy,
    (path) => {
      const values = bodyValues(body, path);
      const present = values.some((value) => value !== null && value !== '');
      return { values, present, stringArray: false };
    },
    [],
    true,
  );
}
