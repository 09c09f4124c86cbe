/**
 * `$util`, as API Gateway offers it to mapping templates: escapeJavaScript, parseJson, urlEncode,
 * urlDecode, base64Encode and base64Decode, each with the Java behaviour behind it.
 */
import type { VtlObject } from './vtl-object';
import { display, fromJson } from './vtl-values';

/**
 * `$util.escapeJavaScript`, as API Gateway implements it (Apache Commons' escapeJavaScript):
 * quotes, backslash and slash are backslash-escaped, control and non-ASCII characters become
 * `\uXXXX`. A single quote becomes `\'`, which is not valid JSON: templates undo it with
 * `.replaceAll("\\'","'")`.
 */
export function escapeJavaScript(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && code < 0x7f) {
      const char = text[index] as string;
      out += char === '"' || char === "'" || char === '\\' || char === '/' ? `\\${char}` : char;
      continue;
    }
    out += CONTROL_ESCAPES[code] ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

const CONTROL_ESCAPES: Record<number, string> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
};

/** Java's URLEncoder (UTF-8): what it leaves is letters, digits and `.-*_`; a space is `+`. */
function urlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Java's URLDecoder: `+` is a space. */
function urlDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}

export const UTIL: Readonly<Record<string, (value: unknown) => unknown>> = {
  escapeJavaScript: (value) => escapeJavaScript(display(value)),
  parseJson: (value) => fromJson(display(value)),
  urlEncode: (value) => urlEncode(display(value)),
  urlDecode: (value) => urlDecode(display(value)),
  base64Encode: (value) => Buffer.from(display(value), 'utf8').toString('base64'),
  base64Decode: (value) => Buffer.from(display(value), 'base64').toString('utf8'),
};

export const utilObject: VtlObject = {
  members: new Set(Object.keys(UTIL)),
  property: () => undefined,
  call: (name, [value]) => UTIL[name]?.(value),
};
