/** DynamoDB's tags (`[{Key, Value}]`), checked as DynamoDB checks them. */
import { validationMessage } from '../aws-error';
import type { Json } from '../../json';
import { isObject } from '../../json';
import { validation } from './dynamodb-answers';

export function readTags(value: Json | undefined, required: boolean): Record<string, string> {
  if (value === undefined && !required) return {};
  if (!Array.isArray(value) || (required && value.length === 0)) {
    throw validation(validationMessage('tags', null, 'Member must not be null'));
  }
  const tags: Record<string, string> = {};
  for (const tag of value) {
    const key = isObject(tag) ? tag.Key : undefined;
    const text = isObject(tag) ? tag.Value : undefined;
    if (
      typeof key !== 'string' ||
      key.length < 1 ||
      key.length > 128 ||
      typeof text !== 'string' ||
      text.length > 256
    ) {
      throw validation('One or more parameter values were invalid: Invalid tag key or value');
    }
    if (key.startsWith('aws:')) {
      throw validation(
        "One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved",
      );
    }
    tags[key] = text;
  }
  return tags;
}

export const tagList = (tags: Record<string, string>): { Key: string; Value: string }[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
