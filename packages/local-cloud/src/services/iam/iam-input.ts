/**
 * The parameters of IAM's query-protocol requests, read and checked as IAM's request validation
 * does (names, paths, descriptions, durations, page sizes, tags), refused with its ValidationError.
 */
import type { Params } from '../aws-query';
import { members } from '../aws-query';
import { validationError } from './iam-errors';

/** `field` is the parameter's name as AWS's validation messages spell it (lower camel case). */
const fieldOf = (param: string): string => param.charAt(0).toLowerCase() + param.slice(1);

/** Role and policy names: `[\w+=,.@-]+`, 1 to `max` characters. */
const NAME = /^[\w+=,.@-]+$/;
/** `/` or `/…/` of printable ASCII. */
const PATH = /^(\/|\/[\u0021-\u007e]+\/)$/;
/** IAM's description pattern: tabs, line breaks and Latin-1's printable characters. */
const DESCRIPTION = /^[\t\n\r\u0020-\u007e\u00a1-\u00ff]*$/;

export function required(params: Params, param: string): string {
  const value = params.get(param);
  if (value === undefined)
    throw validationError(fieldOf(param), undefined, 'Member must not be null');
  return value;
}

function lengthBetween(param: string, value: string, min: number, max: number): string {
  if (value.length < min)
    throw validationError(
      fieldOf(param),
      value,
      `Member must have length greater than or equal to ${min}`,
    );
  if (value.length > max)
    throw validationError(
      fieldOf(param),
      value,
      `Member must have length less than or equal to ${max}`,
    );
  return value;
}

export function name(params: Params, param: string, max: number): string {
  const value = lengthBetween(param, required(params, param), 1, max);
  if (!NAME.test(value))
    throw validationError(
      fieldOf(param),
      value,
      'Member must satisfy regular expression pattern: [\\w+=,.@-]+',
    );
  return value;
}

export function path(params: Params, param = 'Path'): string {
  const value = params.get(param) ?? '/';
  lengthBetween(param, value, 1, 512);
  if (!PATH.test(value))
    throw validationError(
      fieldOf(param),
      value,
      'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
    );
  return value;
}

export function description(params: Params): string | undefined {
  const value = params.get('Description');
  if (value === undefined) return undefined;
  lengthBetween('Description', value, 0, 1000);
  if (!DESCRIPTION.test(value))
    throw validationError(
      'description',
      value,
      'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*',
    );
  return value;
}

/** A role's MaxSessionDuration: 3600 to 43200 seconds. */
export function maxSessionDuration(params: Params): number | undefined {
  const text = params.get('MaxSessionDuration');
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 3600)
    throw validationError(
      'maxSessionDuration',
      text,
      'Member must have value greater than or equal to 3600',
    );
  if (value > 43200)
    throw validationError(
      'maxSessionDuration',
      text,
      'Member must have value less than or equal to 43200',
    );
  return value;
}

/** MaxItems: 1 to 1000, 100 when absent. */
export function maxItems(params: Params): number {
  const text = params.get('MaxItems');
  if (text === undefined) return 100;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw validationError('maxItems', text, 'Member must have value greater than or equal to 1');
  if (value > 1000)
    throw validationError('maxItems', text, 'Member must have value less than or equal to 1000');
  return value;
}

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;

/** `Tags.member.N.Key/Value`: at most 50, keys 1–128 characters, values up to 256. */
export function tags(params: Params): Record<string, string> {
  const entries = members(params, 'Tags');
  if (entries.length > 50)
    throw validationError('tags', undefined, 'Member must have length less than or equal to 50');
  const result: Record<string, string> = {};
  for (const entry of entries) {
    const key = entry.get('Key');
    if (key === undefined)
      throw validationError('tags.member.key', undefined, 'Member must not be null');
    lengthBetween('Tags.member.key', key, 1, 128);
    if (!TAG_KEY.test(key))
      throw validationError(
        'tags.member.key',
        key,
        'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
      );
    result[key] = lengthBetween('Tags.member.value', entry.get('Value') ?? '', 0, 256);
  }
  return result;
}

/** `TagKeys.member.N`. */
export function tagKeys(params: Params): string[] {
  return members(params, 'TagKeys').map((entry) => entry.get('') ?? '');
}
