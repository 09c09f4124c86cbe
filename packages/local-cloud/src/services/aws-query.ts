/**
 * What every service speaking AWS's Query protocol (SNS, and SQS for older clients) reads and
 * writes alike: form-encoded parameters, in the body or the query string, answered with XML
 * elements whose text is escaped.
 */
import { escapeXml } from '../xml-escape';
import type { AwsRequest, AwsResponse } from './edge/types';

export type Params = Map<string, string>;

/** The XML namespaces of the query-protocol services' answers, by signing name. */
export const QUERY_NAMESPACES = {
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
} as const;

/**
 * The request's parameters: the query string, then the form body over it, whatever the content
 * type says (IAM's gate reads them here too, so that it judges the action the service performs).
 */
export function readParams(request: Pick<AwsRequest, 'query'> & { body?: Buffer }): Params {
  const params: Params = new Map();
  for (const [key, value] of request.query) params.set(key, value);
  for (const [key, value] of new URLSearchParams(request.body?.toString('utf8') ?? ''))
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

/** The entries of a flattened list or map: `prefix.<kind>.N…`, each under its own parameters. */
export function indexed(params: Params, prefix: string, kind: 'member' | 'entry'): Params[] {
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.${kind}\\.(\\d+)\\.?`);
  const indexes = new Set<number>();
  for (const key of params.keys()) {
    const match = pattern.exec(key);
    if (match?.[1]) indexes.add(Number(match[1]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((index) => {
      const base = `${prefix}.${kind}.${index}`;
      const sub = subParams(params, base);
      const scalar = params.get(base);
      if (scalar !== undefined) sub.set('', scalar);
      return sub;
    });
}

/** A list: `prefix.member.N…`, each member's own parameters (a scalar member under ''). */
export function members(params: Params, prefix: string): Params[] {
  return indexed(params, prefix, 'member');
}

/** `<name>text</name>`, escaped; nothing when the text is undefined. */
export function element(name: string, text: string | undefined): string {
  return text === undefined ? '' : `<${name}>${escapeXml(text)}</${name}>`;
}

/**
 * The envelope of every successful answer: `<ActionResponse xmlns><ActionResult>…`; an action
 * without a result (undefined) has only its metadata.
 */
export function queryResponse(
  namespace: string,
  action: string,
  result: string | undefined,
  requestId: string,
): string {
  const body = result === undefined ? '' : `<${action}Result>${result}</${action}Result>`;
  return (
    `<${action}Response xmlns="${namespace}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export interface QueryErrorFields {
  code: string;
  message: string;
  /** `Sender` (the caller's fault) or `Receiver` (the service's). */
  senderFault: boolean;
}

/** The query protocol's error document, from which the SDK reads the code it raises. */
export function queryErrorResponse(
  namespace: string,
  { code, message, senderFault }: QueryErrorFields,
  requestId: string,
): string {
  return (
    `<ErrorResponse xmlns="${namespace}"><Error>` +
    `<Type>${senderFault ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
    `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/** Headers of every query-protocol answer: XML, and the request id the SDK reports. */
export const queryHeaders = (requestId: string): Record<string, string> => ({
  'content-type': 'text/xml',
  'x-amzn-requestid': requestId,
});

/** The query protocol's answer to an error (its status, its error document). */
export function queryErrorAnswer(
  namespace: string,
  error: QueryErrorFields & { status: number },
  requestId: string,
): AwsResponse {
  return {
    status: error.status,
    headers: queryHeaders(requestId),
    body: queryErrorResponse(namespace, error, requestId),
  };
}

/** The error an action the service does not know is answered with (IAM's and STS's words). */
export const unknownActionMessage = (action: string, version: string): string =>
  `Could not find operation ${action} for version ${version}`;
