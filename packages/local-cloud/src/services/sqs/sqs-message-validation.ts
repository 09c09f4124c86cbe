/**
 * The checks SQS makes on a message before accepting it, with AWS's error codes and wording.
 */
import type { AttributeDialect } from './message-attributes';
import { checkMessageAttribute, messageAttributeBytes } from './message-attributes';
import { invalidMessageContents, invalidParameterValue, missingParameter } from './sqs-errors';
import type { MessageAttributeValue } from './types';

const MAX_ATTRIBUTES = 10;

const SQS_ATTRIBUTES: AttributeDialect = {
  // Letters beyond ASCII are accepted by SQS (its documented MD5 examples use them).
  namePattern: /^[\p{L}\p{N}_\-.]{1,256}$/u,
  // Any suffix after the prefix's dot, even none.
  typePattern: /^(String|Number|Binary)(\..*)?$/s,
  invalid: invalidParameterValue,
  reservedName: () =>
    `You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use.`,
  notANumber: (name) => `Can't cast the value of message (user) attribute '${name}' to a number.`,
  missingType: (name) =>
    `The message attribute '${name}' must contain non-empty message attribute type.`,
};

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
  const raw = checkMessageAttribute(name, value, SQS_ATTRIBUTES);
  if (!value.DataType.startsWith('Binary')) checkCharacters(raw, `message attribute '${name}'`);
  return messageAttributeBytes(name, value);
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
