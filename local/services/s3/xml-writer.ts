/**
 * S3's XML answers, written as strings: `text(name, value)` is an element holding escaped text,
 * `nested(name, …children)` one holding elements already written, `document(root, …)` the whole
 * answer in S3's namespace.
 */

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Escapes text for an element or attribute. Control characters (keys may hold them) are written as
 * character references, as S3 does, so the answer stays one well-formed document.
 */
export function escapeXml(value: string): string {
  return value.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what this replaces
    /[&<>"'\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\ufffe\uffff]/g,
    (char) => ESCAPES[char] ?? `&#${char.charCodeAt(0)};`,
  );
}

/** `<name>value</name>`, escaped; nothing when the value is undefined. */
export function text(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>…children</name>`, the children already XML. */
export function nested(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** A whole answer: the declaration, then the root element in S3's namespace. */
export function document(root: string, ...children: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${children.join('')}</${root}>`;
}
