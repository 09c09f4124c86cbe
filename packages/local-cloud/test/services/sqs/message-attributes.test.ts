/**
 * The message-attribute checks SQS and SNS share (src/services/sqs/message-attributes.ts), as
 * each service answers them: the same checks, each service's own error code and, where AWS words
 * them differently, its own message.
 */
import type { TopicSpec } from '../../../src/stack/topology';
import { validatePublish } from '../../../src/services/sns/sns-publish-validation';
import { validateMessage } from '../../../src/services/sqs/sqs-message-validation';
import type { MessageAttributeValue } from '../../../src/services/sqs/types';

const topic: TopicSpec = {
  address: 'aws_sns_topic.events',
  name: 'events',
  arn: 'arn:aws:sns:us-east-1:000000000000:events',
  fifo: false,
};

type Attributes = Record<string, MessageAttributeValue>;

/** What SQS answers to a message with these attributes: its error's name and message. */
function sqsAnswer(attributes: Attributes): { name: string; message: string } | undefined {
  try {
    validateMessage('body', attributes, 262144);
    return undefined;
  } catch (error) {
    const { name, message } = error as Error;
    return { name, message };
  }
}

/** What SNS answers to a publish with these attributes: its error's name and message. */
function snsAnswer(attributes: Attributes): { name: string; message: string } | undefined {
  try {
    validatePublish(topic, { message: 'body', messageAttributes: attributes });
    return undefined;
  } catch (error) {
    const { name, message } = error as Error;
    return { name, message };
  }
}

describe('message attributes, as SQS and SNS check them', () => {
  it('accept a String, a Number and a Binary attribute, custom types included', () => {
    const attributes: Attributes = {
      colour: { DataType: 'String', StringValue: 'blue' },
      size: { DataType: 'Number.int', StringValue: '-1.5e3' },
      blob: { DataType: 'Binary', BinaryValue: 'AAEC' },
    };

    expect(sqsAnswer(attributes)).toBeUndefined();
    expect(snsAnswer(attributes)).toBeUndefined();
  });

  it('refuse a name with two dots in a row, in the same words', () => {
    const attributes: Attributes = { 'a..b': { DataType: 'String', StringValue: 'x' } };
    const message =
      "The message attribute name 'a..b' is invalid. Attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.";

    expect(sqsAnswer(attributes)).toEqual({ name: 'InvalidParameterValueException', message });
    expect(snsAnswer(attributes)).toEqual({ name: 'ParameterValueInvalid', message });
  });

  it('differ on names beyond ASCII: SQS accepts them, SNS does not', () => {
    const attributes: Attributes = { größe: { DataType: 'String', StringValue: 'x' } };

    expect(sqsAnswer(attributes)).toBeUndefined();
    expect(snsAnswer(attributes)?.name).toBe('ParameterValueInvalid');
  });

  it("refuse names beginning with 'AWS.', each in its own words", () => {
    const attributes: Attributes = { 'AWS.trace': { DataType: 'String', StringValue: 'x' } };

    expect(sqsAnswer(attributes)).toEqual({
      name: 'InvalidParameterValueException',
      message:
        "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use.",
    });
    expect(snsAnswer(attributes)).toEqual({
      name: 'ParameterValueInvalid',
      message:
        "The message attribute name 'AWS.trace' is invalid: names beginning with 'AWS.' or 'Amazon.' are reserved.",
    });
  });

  it('say a missing data type is missing (SQS) or invalid (SNS)', () => {
    const attributes: Attributes = { colour: { DataType: '', StringValue: 'blue' } };

    expect(sqsAnswer(attributes)?.message).toBe(
      "The message attribute 'colour' must contain non-empty message attribute type.",
    );
    expect(snsAnswer(attributes)?.message).toBe(
      "The message attribute 'colour' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    );
  });

  it('differ on a custom type with nothing after its dot: SQS accepts it, SNS does not', () => {
    const attributes: Attributes = { colour: { DataType: 'String.', StringValue: 'blue' } };

    expect(sqsAnswer(attributes)).toBeUndefined();
    expect(snsAnswer(attributes)?.name).toBe('ParameterValueInvalid');
  });

  it('refuse an empty value, in the same words', () => {
    const attributes: Attributes = { blob: { DataType: 'Binary', StringValue: 'not binary' } };
    const message =
      "The message attribute 'blob' must contain non-empty message attribute value for message attribute type 'Binary'.";

    expect(sqsAnswer(attributes)?.message).toBe(message);
    expect(snsAnswer(attributes)?.message).toBe(message);
  });

  it('refuse a Number that is not one, each in its own words', () => {
    const attributes: Attributes = { size: { DataType: 'Number', StringValue: 'ten' } };

    expect(sqsAnswer(attributes)?.message).toBe(
      "Can't cast the value of message (user) attribute 'size' to a number.",
    );
    expect(snsAnswer(attributes)?.message).toBe(
      "Could not cast message attribute 'size' value to number.",
    );
  });

  it('count the name, type and decoded value against the size limit', () => {
    // 'blob' (4) + 'Binary' (6) + 3 decoded bytes + the body's 4: one byte over 16.
    const attributes: Attributes = { blob: { DataType: 'Binary', BinaryValue: 'AAEC' } };

    expect(() => validateMessage('body', attributes, 16)).toThrow(
      'Message must be shorter than 16 bytes',
    );
    expect(() => validateMessage('body', attributes, 17)).not.toThrow();
  });
});
