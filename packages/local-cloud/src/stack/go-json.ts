/**
 * JSON text the way Terraform and the AWS provider write it. Both are Go programs: strings escape
 * `<`, `>`, `&`, U+2028 and U+2029 (Go's HTML-safe encoding), and numbers never use exponent
 * notation (cty numbers are printed in full). Matching this keeps values such as `sha1(jsonencode(…))`
 * or a policy document's JSON identical to what a real apply would produce.
 */
import type { Json } from '../json';

const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

export function quoteGoString(value: string): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => GO_ESCAPES[char] ?? char);
}

/** A number as Terraform prints it: decimal digits, no exponent. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${value} is not a number Terraform can represent`);
  const text = String(value);
  if (!text.includes('e')) return text;
  if (Number.isInteger(value)) return BigInt(value).toString();
  return expandExponent(text);
}

function expandExponent(text: string): string {
  const [mantissa = '', exponentText = '0'] = text.split('e');
  const negative = mantissa.startsWith('-');
  const [whole = '', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  let result: string;
  if (point <= 0) result = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) result = digits + '0'.repeat(point - digits.length);
  else result = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${result}` : result;
}

export interface MarshalOptions {
  /** Sort object keys, as Terraform's jsonencode does (cty objects are ordered by attribute name). */
  sortKeys?: boolean;
  /** Indentation per level, as Go's json.MarshalIndent; minified when absent. */
  indent?: string;
}

export function marshalJson(value: Json, options: MarshalOptions = {}): string {
  return write(value, options, '');
}

function write(value: Json, options: MarshalOptions, depth: string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return quoteGoString(value);
  const inner = options.indent === undefined ? '' : depth + options.indent;
  const open = options.indent === undefined ? '' : `\n${inner}`;
  const close = options.indent === undefined ? '' : `\n${depth}`;
  const separator = options.indent === undefined ? ',' : `,\n${inner}`;
  const colon = options.indent === undefined ? ':' : ': ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${open}${value.map((item) => write(item, options, inner)).join(separator)}${close}]`;
  }
  const keys = Object.keys(value);
  if (options.sortKeys) keys.sort(compareUtf8);
  if (keys.length === 0) return '{}';
  const members = keys.map(
    (key) => `${quoteGoString(key)}${colon}${write(value[key] ?? null, options, inner)}`,
  );
  return `{${open}${members.join(separator)}${close}}`;
}

/** Go compares strings byte-wise (UTF-8), which differs from UTF-16 order above the BMP. */
export function compareUtf8(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));
}
