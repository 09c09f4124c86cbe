/**
 * The AWS query protocol SNS speaks: form-encoded parameters with flattened lists
 * (`Name.member.N`) and maps (`Name.entry.N.Name` / `.Value…`), answered in XML.
 */
import { element, QUERY_NAMESPACES, queryResponse, subParams } from '../aws-query';
import type { Params } from '../aws-query';
import type { MessageAttributeValue } from '../sqs/types';

export const SNS_XMLNS = QUERY_NAMESPACES.sns;

function indexed(params: Params, prefix: string, kind: 'member' | 'entry'): Params[] {
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

/** MessageAttributes: `prefix.entry.N.Name` and `prefix.entry.N.Value.{DataType,StringValue,BinaryValue}`. */
export function messageAttributes(
  params: Params,
  prefix: string,
): Record<string, MessageAttributeValue> | undefined {
  const entries = indexed(params, prefix, 'entry');
  if (entries.length === 0) return undefined;
  const out: Record<string, MessageAttributeValue> = {};
  for (const entry of entries) {
    const name = entry.get('Name') ?? '';
    const value: MessageAttributeValue = { DataType: entry.get('Value.DataType') ?? '' };
    const string = entry.get('Value.StringValue');
    const binary = entry.get('Value.BinaryValue');
    if (string !== undefined) value.StringValue = string;
    if (binary !== undefined) value.BinaryValue = binary;
    out[name] = value;
  }
  return out;
}

/** `<Attributes><entry><key/><value/></entry>…</Attributes>` */
export function attributeMap(attributes: Record<string, string>): string {
  const entries = Object.entries(attributes)
    .map(([key, value]) => `<entry>${element('key', key)}${element('value', value)}</entry>`)
    .join('');
  return `<Attributes>${entries}</Attributes>`;
}

/** The envelope of every successful answer: `<ActionResponse><ActionResult>…` */
export function actionResponse(action: string, result: string, requestId: string): string {
  return queryResponse(SNS_XMLNS, action, result, requestId);
}
