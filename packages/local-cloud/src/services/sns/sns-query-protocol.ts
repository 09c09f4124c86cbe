/**
 * The AWS query protocol SNS speaks: form-encoded parameters with flattened lists
 * (`Name.member.N`) and maps (`Name.entry.N.Name` / `.Value…`), answered in XML.
 */
import { element, indexed, QUERY_NAMESPACES } from '../aws-query';
import type { Params } from '../aws-query';
import type { MessageAttributeValue } from '../sqs/types';

export const SNS_XMLNS = QUERY_NAMESPACES.sns;

/** A map of strings: `prefix.entry.N.key` / `prefix.entry.N.value` (topic and subscription attributes). */
export function stringMap(params: Params, prefix: string): [string, string][] {
  return indexed(params, prefix, 'entry').map((entry) => [
    entry.get('key') ?? '',
    entry.get('value') ?? '',
  ]);
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
