/**
 * The checks SNS makes on a subscription's filter policy when it is set (Subscribe or
 * SetSubscriptionAttributes), with SNS's wording ("Amazon SNS message filtering", "Filter policy
 * constraints"): at most five keys, at most 150 combinations of values, no empty list, no nesting
 * under scope MessageAttributes, and each match expression one SNS knows. What matches is decided
 * by sns-filter-policy.ts; this module only refuses what SNS refuses.
 */
import type { JsonObject } from '../../json';
import { isObject } from '../../json';
import { invalidParameter } from './sns-errors';
import type { SnsError } from './sns-errors';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
const STRING_OPERATORS = new Set(['equals-ignore-case', 'prefix', 'suffix', 'wildcard']);
const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

/**
 * `reason` prefixes each message: `Attributes Reason: ` in a Subscribe (the policy came among its
 * attributes), nothing in SetSubscriptionAttributes.
 */
export function checkFilterPolicy(text: string, scope: FilterPolicyScope, reason = ''): JsonObject {
  const fail = (message: string): SnsError => invalidParameter(`${reason}FilterPolicy: ${message}`);
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw fail('failed to parse JSON.');
  }
  if (!isObject(policy)) throw fail('Filter policy must be a JSON object');
  if (Object.keys(policy).length > MAX_KEYS)
    throw fail(`Filter policy can not have more than ${MAX_KEYS} keys`);
  const { rules, combinations } = rulesOf(policy, 1, 1, scope, fail, reason);
  if (combinations > MAX_COMBINATIONS) throw fail('Filter policy is too complex');
  for (const rule of rules.flat()) checkRule(rule, fail);
  return policy;
}

type Fail = (message: string) => SnsError;

/** Every list of match expressions, and the combinations SNS counts (values × depth). */
function rulesOf(
  policy: JsonObject,
  depth: number,
  combinations: number,
  scope: FilterPolicyScope,
  fail: Fail,
  reason: string,
): { rules: unknown[][]; combinations: number } {
  const rules: unknown[][] = [];
  let total = combinations;
  for (const [key, value] of Object.entries(policy)) {
    if (isObject(value)) {
      const nested = rulesOf(value, depth + 1, total, scope, fail, reason);
      rules.push(...nested.rules);
      total = nested.combinations;
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw fail('Empty arrays are not allowed');
      if (key === '$or') {
        let alternatives = 0;
        for (const alternative of value) {
          if (!isObject(alternative)) throw fail(`"${key}" must be an object or an array`);
          const branch = rulesOf(alternative, depth, total, scope, fail, reason);
          rules.push(...branch.rules);
          alternatives += branch.combinations;
        }
        total = alternatives;
      } else {
        rules.push(value);
        total *= value.length * depth;
      }
    } else {
      throw fail(`"${key}" must be an object or an array`);
    }
  }
  if (scope === 'MessageAttributes' && depth > 1) {
    throw invalidParameter(
      `${reason}Filter policy scope MessageAttributes does not support nested filter policy`,
    );
  }
  return { rules, combinations: total };
}

function checkRule(rule: unknown, fail: Fail): void {
  if (rule === null || ['string', 'boolean', 'number'].includes(typeof rule)) return;
  if (!isObject(rule)) throw fail('Match value must be String, number, true, false, or null');
  const entries = Object.entries(rule);
  const [operator, value] = entries[0] ?? [];
  if (entries.length !== 1 || operator === undefined)
    throw fail('Only one key allowed in match expression');
  if (STRING_OPERATORS.has(operator)) {
    if (typeof value !== 'string') throw fail(`${operator} match pattern must be a string`);
  } else if (operator === 'anything-but') {
    checkAnythingBut(value, fail);
  } else if (operator === 'exists') {
    if (typeof value !== 'boolean')
      throw fail('exists match pattern must be either true or false.');
  } else if (operator === 'numeric') {
    checkNumeric(value, fail);
  } else if (operator === 'cidr') {
    checkCidr(value, fail);
  } else {
    throw fail(`Unrecognized match type ${operator}`);
  }
}

function checkAnythingBut(value: unknown, fail: Fail): void {
  if (Array.isArray(value)) {
    for (const item of value) checkRule(item, fail);
    return;
  }
  if (isObject(value)) {
    for (const [inner, operand] of Object.entries(value)) {
      if (!STRING_OPERATORS.has(inner)) throw fail(`Unsupported anything-but pattern: ${inner}`);
      if (typeof operand !== 'string') throw fail(`${inner} match pattern must be a string`);
    }
    return;
  }
  checkRule(value, fail);
}

/** `["<", 10]`, `[">=", 0, "<", 100]`: a bound, or a range from its bottom to its top. */
function checkNumeric(value: unknown, fail: Fail): void {
  if (!Array.isArray(value) || value.length === 0) throw fail('Invalid member in numeric match: ]');
  const [operator, operand, upperOperator, upper, ...rest] = value as unknown[];
  if (typeof operator !== 'string')
    throw fail(`Invalid member in numeric match: ${String(operator)}`);
  if (!NUMERIC_OPERATORS.has(operator))
    throw fail(`Unrecognized numeric range operator: ${operator}`);
  if (typeof operand !== 'number')
    throw fail(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
  if (value.length === 2) return;
  if (operator !== '>' && operator !== '>=') throw fail('Too many elements in numeric expression');
  if (typeof upperOperator !== 'string')
    throw fail(`Bad value in numeric range: ${String(upperOperator)}`);
  if (upperOperator !== '<' && upperOperator !== '<=')
    throw fail(`Bad numeric range operator: ${upperOperator}`);
  if (typeof upper !== 'number') throw fail(`Value of ${upperOperator} must be numeric`);
  if (upper <= operand) throw fail('Bottom must be less than top');
  if (rest.length > 0) throw fail('Too many terms in numeric range expression');
}

function checkCidr(value: unknown, fail: Fail): void {
  if (typeof value !== 'string') throw fail('prefix match pattern must be a string');
  const parts = value.split('/');
  const [address = '', bits = ''] = parts;
  if (parts.length !== 2) throw fail("Malformed CIDR, one '/' required");
  if (!/^\d+$/.test(bits)) throw fail('Malformed CIDR, mask bits must be an integer');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  const validV4 = v4?.slice(1).every((octet) => Number(octet) <= 255) && Number(bits) <= 32;
  const validV6 = address.includes(':') && Number(bits) <= 128;
  if (!validV4 && !validV6) throw fail(`Nonstandard IP address: ${address}`);
}
