/**
 * The checks SQS makes on a message before accepting it, with AWS's error codes and wording.
 */
import { invalidMessageContents, invalidParameterValue, missingParameter } from './sqs-errors';
import type { MessageAttributeValue } from './types';

const MAX_ATTRIBUTES = 10;
// Letters beyond ASCII are accepted by SQS (its documented MD5 examples use them).
const ATTRIBUTE_NAME = /^[\p{L}\p{N}_\-.]{1,256}$/u;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The first code point outside the XML character range SQS accepts, if any. */
function firstInvalidCharacter(text: string): number | undefined {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) return code;
  }
  return undefined;
}

function checkCharacters(text: string, where: string): void {
  const invalid = firstInvalidCharacter(text);
  if (invalid === undefined) return;
  throw invalidMessageContents(
    `Invalid binary character '#x${invalid.toString(16).toUpperCase()}' was found in the ${where}, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
  );
}

function checkAttribute(name: string, value: MessageAttributeValue): number {
  if (
    !ATTRIBUTE_NAME.test(name) ||
    name.includes('..') ||
    name.startsWith('.') ||
    name.endsWith('.')
  )
    throw invalidParameterValue(
      `The message attribute name '${name}' is invalid. Attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.`,
    );
  if (/^(aws\.|amazon\.)/i.test(name))
    throw invalidParameterValue(
      `You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use.`,
    );
  const type = typeof value.DataType === 'string' ? value.DataType : '';
  if (type === '')
    throw invalidParameterValue(
      `The message attribute '${name}' must contain non-empty message attribute type.`,
    );
  const base = type.split('.')[0];
  if (base !== 'String' && base !== 'Number' && base !== 'Binary')
    throw invalidParameterValue(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  const raw = base === 'Binary' ? value.BinaryValue : value.StringValue;
  if (typeof raw !== 'string' || raw === '')
    throw invalidParameterValue(
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
    );
  if (base === 'Number' && !NUMBER.test(raw.trim()))
    throw invalidParameterValue(
      `Can't cast the value of message (user) attribute '${name}' to a number.`,
    );
  if (base !== 'Binary') checkCharacters(raw, `message attribute '${name}'`);
  const valueBytes = base === 'Binary' ? Buffer.from(raw, 'base64').length : Buffer.byteLength(raw);
  return Buffer.byteLength(name) + Buffer.byteLength(type) + valueBytes;
}

/**
 * Checks the body and attributes of a message; returns nothing or throws the SqsError AWS
 * answers. The size limit covers the body and every attribute's name, type and value.
 */
export function validateMessage(
  body: unknown,
  attributes: Record<string, MessageAttributeValue> | undefined,
  maxMessageSize: number,
): asserts body is string {
  if (typeof body !== 'string' || body.length === 0) throw missingParameter('MessageBody');
  checkCharacters(body, 'message body');
  const names = Object.keys(attributes ?? {});
  if (names.length > MAX_ATTRIBUTES)
    throw invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  let size = Buffer.byteLength(body);
  for (const name of names) {
    const value = attributes?.[name];
    if (!value || typeof value !== 'object')
      throw invalidParameterValue(`The message attribute '${name}' must contain a value.`);
    size += checkAttribute(name, value);
  }
  if (size > maxMessageSize)
    throw invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${maxMessageSize} bytes.`,
    );
}

export function validateDelaySeconds(delay: number): void {
  if (!Number.isInteger(delay) || delay < 0 || delay > 900)
    throw invalidParameterValue(
      `Value ${delay} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`,
    );
}

export function validateVisibilityTimeout(timeout: number): void {
  if (!Number.isInteger(timeout) || timeout < 0 || timeout > 43200)
    throw invalidParameterValue(
      `Value ${timeout} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.`,
    );
}
