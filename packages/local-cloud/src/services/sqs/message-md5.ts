/**
 * The digests SQS returns with every message, which SDKs recompute to detect corruption: the MD5
 * of the body, and the MD5 of the message attributes in the encoding the SQS developer guide
 * documents ("Calculating the MD5 message digest for message attributes").
 */
import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from './types';

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * Names sorted (by code unit, as SQS does), then for each attribute: its name, its data type,
 * a transport byte (1 for String/Number types, 2 for Binary types) and its value, every
 * variable-length part preceded by its length as a 4-byte big-endian integer. Undefined when
 * there are no attributes, since SQS then omits the digest.
 */
export function md5OfMessageAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): string | undefined {
  const names = Object.keys(attributes ?? {}).sort();
  if (!attributes || names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const attribute = attributes[name];
    if (!attribute) continue;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(attribute.DataType, 'utf8')));
    if (attribute.DataType.startsWith('Binary')) {
      hash.update(Buffer.from([2]));
      hash.update(lengthPrefixed(Buffer.from(attribute.BinaryValue ?? '', 'base64')));
    } else {
      hash.update(Buffer.from([1]));
      hash.update(lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
}
