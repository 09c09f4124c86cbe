/**
 * The checks SQS and SNS make on a message attribute (its name, data type and value) and what it
 * weighs against the message size limit. Both services check the same things; each answers with
 * its own error and, where AWS's wording differs between them, its own words: a service passes
 * them as its AttributeDialect. SNS, which delivers to SQS, imports this module.
 */
import type { MessageAttributeValue } from './types';

/** How a service words and answers what is wrong with an attribute. */
export interface AttributeDialect {
  /** The well-formed names: SQS accepts letters and digits of any script, SNS only ASCII. */
  namePattern: RegExp;
  /** The well-formed data types: `String`, `Number` or `Binary`, with or without a custom suffix. */
  typePattern: RegExp;
  /** The service's error for an invalid attribute (SQS InvalidParameterValue, SNS ParameterValueInvalid). */
  invalid(message: string): Error;
  reservedName(name: string): string;
  notANumber(name: string): string;
  /** The message for a missing data type; without it, a missing type is an invalid one. */
  missingType?(name: string): string;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const RESERVED_NAME = /^(aws\.|amazon\.)/i;

function checkName(name: string, dialect: AttributeDialect): void {
  if (
    !dialect.namePattern.test(name) ||
    name.includes('..') ||
    name.startsWith('.') ||
    name.endsWith('.')
  )
    throw dialect.invalid(
      `The message attribute name '${name}' is invalid. Attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.`,
    );
  if (RESERVED_NAME.test(name)) throw dialect.invalid(dialect.reservedName(name));
}

function checkType(name: string, type: string, dialect: AttributeDialect): void {
  if (type === '' && dialect.missingType) throw dialect.invalid(dialect.missingType(name));
  if (!dialect.typePattern.test(type))
    throw dialect.invalid(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
}

/** The value of an attribute for its type: BinaryValue (base64) for Binary types, else StringValue. */
export function attributeValueOf(value: MessageAttributeValue): string | undefined {
  return value.DataType.startsWith('Binary') ? value.BinaryValue : value.StringValue;
}

/**
 * Checks one attribute, in the order AWS does (name, type, value); throws the dialect's error.
 * Returns the attribute's value, for the checks a service makes beyond these.
 */
export function checkMessageAttribute(
  name: string,
  value: MessageAttributeValue,
  dialect: AttributeDialect,
): string {
  checkName(name, dialect);
  const type = typeof value.DataType === 'string' ? value.DataType : '';
  checkType(name, type, dialect);
  const raw = attributeValueOf({ ...value, DataType: type });
  if (typeof raw !== 'string' || raw === '')
    throw dialect.invalid(
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
    );
  if (type.startsWith('Number') && !NUMBER.test(raw.trim()))
    throw dialect.invalid(dialect.notANumber(name));
  return raw;
}

/** What an attribute weighs against the message size limit: its name, type and value, in bytes. */
export function messageAttributeBytes(name: string, value: MessageAttributeValue): number {
  const raw = attributeValueOf(value) ?? '';
  const valueBytes = value.DataType.startsWith('Binary')
    ? Buffer.from(raw, 'base64').length
    : Buffer.byteLength(raw);
  return Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + valueBytes;
}
