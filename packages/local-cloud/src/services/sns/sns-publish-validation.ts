/**
 * The checks SNS makes on a Publish before accepting it, with its error codes and wording:
 * InvalidParameter for the message itself, ParameterValueInvalid for message attributes.
 */
import type { TopicSpec } from '../../stack/topology';
import type { AttributeDialect } from '../sqs/message-attributes';
import { checkMessageAttribute, messageAttributeBytes } from '../sqs/message-attributes';
import type { MessageAttributeValue } from '../sqs/types';
import { invalidParameter, parameterValueInvalid } from './sns-errors';
import type { PublishOptions } from './types';

/** A message and its attributes, alone or all the entries of a batch together. */
export const MAX_MESSAGE_BYTES = 262144;
const MAX_SUBJECT_LENGTH = 100;

const SNS_ATTRIBUTES: AttributeDialect = {
  namePattern: /^[A-Za-z0-9_\-.]{1,256}$/,
  // A custom suffix after the prefix's dot, if any, is not empty.
  typePattern: /^(String|Number|Binary)(\..+)?$/,
  invalid: parameterValueInvalid,
  reservedName: (name) =>
    `The message attribute name '${name}' is invalid: names beginning with 'AWS.' or 'Amazon.' are reserved.`,
  notANumber: (name) => `Could not cast message attribute '${name}' value to number.`,
};

/** The size SNS holds to its limit: the message and its attributes, in bytes. */
export function publishSize(options: PublishOptions): number {
  return Object.entries(options.messageAttributes ?? {}).reduce(
    (total, [name, value]) => total + messageAttributeBytes(name, value),
    Buffer.byteLength(options.message),
  );
}

/** SNS's own type String.Array holds a JSON array. */
function checkAttribute(name: string, value: MessageAttributeValue): void {
  const raw = checkMessageAttribute(name, value, SNS_ATTRIBUTES);
  if (value.DataType !== 'String.Array') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed))
    throw parameterValueInvalid(
      `The message attribute '${name}' with type 'String.Array' has an invalid value: it must be a JSON array.`,
    );
}

/**
 * Validates a publish to the topic. For MessageStructure json, returns the message per
 * protocol (with its `default`); otherwise undefined.
 */
export function validatePublish(
  topic: TopicSpec,
  options: PublishOptions,
): Record<string, string> | undefined {
  const { message, subject } = options;
  if (typeof message !== 'string' || message === '') throw invalidParameter('Empty message');
  if (subject !== undefined) {
    // ASCII text without line breaks or control characters, at most 100 characters.
    if (subject === '' || subject.length > MAX_SUBJECT_LENGTH || !/^[\x20-\x7e]+$/.test(subject))
      throw invalidParameter('Subject');
  }
  for (const [name, value] of Object.entries(options.messageAttributes ?? {}))
    checkAttribute(name, value);
  if (publishSize(options) > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');

  if (topic.fifo) {
    if (!options.messageGroupId)
      throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
    if (topic.attributes?.ContentBasedDeduplication === 'false' && !options.messageDeduplicationId)
      throw invalidParameter(
        'The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
  } else if (options.messageDeduplicationId) {
    throw invalidParameter(
      'MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    );
  }

  if (options.messageStructure === undefined) return undefined;
  if (options.messageStructure !== 'json') throw invalidParameter('MessageStructure');
  let structure: unknown;
  try {
    structure = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof structure !== 'object' || structure === null || Array.isArray(structure))
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  const entries = Object.entries(structure as Record<string, unknown>);
  if (!entries.some(([key, value]) => key === 'default' && typeof value === 'string'))
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  for (const [key, value] of entries)
    if (typeof value !== 'string')
      throw invalidParameter(`Message Structure - the value of ${key} must be a string`);
  return Object.fromEntries(entries) as Record<string, string>;
}
