/**
 * A Lambda control-plane request body, read field by field as Lambda validates it: a field of the
 * wrong type or out of its range is Lambda's ValidationException, named as Lambda names the field
 * (camelCase), before the operation looks at anything.
 */
import { isObject } from '../../json';
import type { Json } from '../../json';
import { lambdaError, validationError } from './lambda-responses';

export class LambdaInput {
  private constructor(private readonly body: Record<string, Json>) {}

  /** The body as JSON (an empty body is `{}`), or Lambda's refusal of a body that is not. */
  static parse(body: Buffer): LambdaInput {
    if (body.length === 0) return new LambdaInput({});
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw lambdaError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${(error as Error).message}`,
      );
    }
    if (!isObject(parsed)) {
      throw lambdaError(400, 'InvalidRequestContentException', 'Request body must be an object');
    }
    return new LambdaInput(parsed);
  }

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  /** A string field; `pattern` and `max` as Lambda's model constrains it. */
  string(
    name: string,
    options: { pattern?: RegExp; max?: number; required?: boolean } = {},
  ): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) {
      if (options.required) throw validationError(null, fieldName(name), 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'string') {
      throw lambdaError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: Cannot deserialize value of type \`java.lang.String\` from ${typeof value} (field ${name})`,
      );
    }
    if (options.max !== undefined && value.length > options.max) {
      throw validationError(
        value,
        fieldName(name),
        `Member must have length less than or equal to ${options.max}`,
      );
    }
    if (options.pattern && !options.pattern.test(value)) {
      throw validationError(
        value,
        fieldName(name),
        `Member must satisfy regular expression pattern: ${options.pattern.source.replace(/^\^|\$$/g, '')}`,
      );
    }
    return value;
  }

  requiredString(name: string, options: { pattern?: RegExp; max?: number } = {}): string {
    return this.string(name, { ...options, required: true }) ?? '';
  }

  /** An integer field within [min, max]. */
  integer(name: string, min: number, max: number): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw lambdaError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${name} must be an integer`,
      );
    }
    if (value < min) {
      throw validationError(
        value,
        fieldName(name),
        `Member must have value greater than or equal to ${min}`,
      );
    }
    if (value > max) {
      throw validationError(
        value,
        fieldName(name),
        `Member must have value less than or equal to ${max}`,
      );
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      throw lambdaError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${name} must be a boolean`,
      );
    }
    return value;
  }

  /** A string → string map (Tags, Environment.Variables). */
  stringMap(name: string): Record<string, string> | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value) || Object.values(value).some((each) => typeof each !== 'string')) {
      throw lambdaError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${name} must map strings to strings`,
      );
    }
    return value as Record<string, string>;
  }

  stringList(name: string): string[] | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((each) => typeof each !== 'string')) {
      throw lambdaError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${name} must be a list of strings`,
      );
    }
    return value as string[];
  }

  /** A nested object, read the same way. */
  object(name: string): LambdaInput | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) {
      throw lambdaError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${name} must be an object`,
      );
    }
    return new LambdaInput(value);
  }
}

/** Lambda's model names its fields in camelCase in validation messages. */
function fieldName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
