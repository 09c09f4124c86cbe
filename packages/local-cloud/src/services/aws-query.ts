/**
 * What every service speaking AWS's Query protocol (SNS, and SQS for older clients) reads and
 * writes alike: form-encoded parameters, in the body or the query string, answered with XML
 * elements whose text is escaped.
 */
import { escapeXml } from '../xml-escape';
import type { AwsRequest } from './edge/types';

export type Params = Map<string, string>;

/** The request's parameters: the query string, then the form body over it. */
export function readParams(request: AwsRequest): Params {
  const params: Params = new Map();
  for (const [key, value] of request.query) params.set(key, value);
  for (const [key, value] of new URLSearchParams(request.body.toString('utf8')))
    params.set(key, value);
  return params;
}

/** The parameters under `prefix.` with the prefix removed. */
export function subParams(params: Params, prefix: string): Params {
  const sub: Params = new Map();
  const start = `${prefix}.`;
  for (const [key, value] of params)
    if (key.startsWith(start)) sub.set(key.slice(start.length), value);
  return sub;
}

/** `<name>text</name>`, escaped; nothing when the text is undefined. */
export function element(name: string, text: string | undefined): string {
  return text === undefined ? '' : `<${name}>${escapeXml(text)}</${name}>`;
}
