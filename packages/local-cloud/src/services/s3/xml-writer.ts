/**
 * S3's XML answers, written as strings: `text(name, value)` is an element holding escaped text,
 * `nested(name, …children)` one holding elements already written, `document(root, …)` the whole
 * answer in S3's namespace.
 */

import { escapeXml } from '../../xml-escape';

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

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
