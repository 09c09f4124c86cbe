/** JavaScript source text for the test scripts, formatted the way prettier would write it by hand. */
import { isJsonObject, type JsonValue } from './json';

const LINE_WIDTH = 100;

/** A JS string literal, quoted like prettier would (single quotes unless that needs escapes). */
export function js(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(new RegExp(quote, 'g'), `\\${quote}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `${quote}${escaped}${quote}`;
}

/**
 * `value` as a JS literal, prettier-like: single quotes, bare keys, and one line per object or
 * array only when it does not fit on one line.
 */
export function jsLiteral(value: JsonValue, prefix = '', suffix = '', indent = ''): string[] {
  const inline = inlineLiteral(value);
  if (indent.length + prefix.length + inline.length + suffix.length <= LINE_WIDTH) {
    return [`${indent}${prefix}${inline}${suffix}`];
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return [
      `${indent}${prefix}[`,
      ...value.flatMap((element) => jsLiteral(element, '', ',', inner)),
      `${indent}]${suffix}`,
    ];
  }
  if (isJsonObject(value)) {
    return [
      `${indent}${prefix}{`,
      ...Object.entries(value).flatMap(([key, element]) =>
        jsLiteral(element, `${propertyKey(key)}: `, ',', inner),
      ),
      `${indent}}${suffix}`,
    ];
  }
  return [`${indent}${prefix}${inline}${suffix}`];
}

function inlineLiteral(value: JsonValue): string {
  if (typeof value === 'string') return js(value);
  if (Array.isArray(value)) return `[${value.map(inlineLiteral).join(', ')}]`;
  if (isJsonObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const properties = entries.map(
      ([key, element]) => `${propertyKey(key)}: ${inlineLiteral(element)}`,
    );
    return `{ ${properties.join(', ')} }`;
  }
  return String(value);
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : js(key);
}
