/**
 * A log group's tags as CloudWatch Logs checks them: at most 50, keys of 1 to 128 and values of at
 * most 256 letters, digits, spaces and `_.:/=+-@`, no key in AWS's reserved `aws:` space. Used by
 * CreateLogGroup, TagResource and the legacy TagLogGroup alike.
 */
import type { JsonObject } from '../../json';
import { invalidParameter, validationFailure } from './logs-protocol';

const MAX_TAGS = 50;
const KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** The `tags` map of a request, checked (undefined when absent). */
export function tagsOf(input: JsonObject, field = 'tags'): Record<string, string> | undefined {
  const tags = input[field];
  if (tags === undefined || tags === null) return undefined;
  if (typeof tags !== 'object' || Array.isArray(tags)) {
    throw invalidParameter(`${field} must be a map of strings`);
  }
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) {
    throw validationFailure(
      '{…}',
      field,
      `Member must have length less than or equal to ${MAX_TAGS}`,
    );
  }
  for (const [key, value] of entries) {
    if (!KEY.test(key)) {
      throw validationFailure(
        key,
        `${field}.key`,
        `Member must satisfy regular expression pattern: ${KEY.source}`,
      );
    }
    if (typeof value !== 'string' || !VALUE.test(value)) {
      throw validationFailure(
        JSON.stringify(value),
        `${field}.${key}.member`,
        `Member must satisfy regular expression pattern: ${VALUE.source}`,
      );
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidParameter('Tag keys prefixed with aws: are reserved for AWS use.');
    }
  }
  return Object.fromEntries(entries as [string, string][]);
}

/** A list of tag keys (UntagResource's `tagKeys`, UntagLogGroup's `tags`). */
export function tagKeysOf(input: JsonObject, field: string): string[] {
  const keys = input[field];
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_TAGS) {
    throw invalidParameter(`${field} must list from 1 to ${MAX_TAGS} tag keys`);
  }
  return keys.map((key) => {
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw validationFailure(
        JSON.stringify(key),
        field,
        `Member must satisfy regular expression pattern: ${KEY.source}`,
      );
    }
    return key;
  });
}

/** Tags after adding some (a key given again takes its new value). */
export const withTags = (
  tags: Readonly<Record<string, string>> | undefined,
  added: Record<string, string>,
): Record<string, string> => ({ ...tags, ...added });

/** Tags after removing some keys (a key not there is no error). */
export function withoutTags(
  tags: Readonly<Record<string, string>> | undefined,
  removed: readonly string[],
): Record<string, string> {
  const kept = { ...tags };
  for (const key of removed) delete kept[key];
  return kept;
}
