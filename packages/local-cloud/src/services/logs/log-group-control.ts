/**
 * The log group control plane CloudWatch Logs answers: CreateLogGroup (with tags, the group class
 * and a KMS key as given), DeleteLogGroup, Put/DeleteRetentionPolicy, the tag operations on a
 * group's ARN (ListTagsForResource, TagResource, UntagResource) and their legacy forms by name
 * (ListTagsLogGroup, TagLogGroup, UntagLogGroup): what Terraform's aws_cloudwatch_log_group and
 * `aws logs create-log-group` call. Names, retention and tags are checked as AWS checks them.
 */
import type { JsonObject } from '../../json';
import { tagKeysOf, tagsOf, withoutTags, withTags } from './log-group-tags';
import {
  groupNameOf,
  invalidParameter,
  LogsError,
  noSuchGroup,
  requestedGroup,
  text,
  validationFailure,
} from './logs-protocol';
import type { LogStore } from './log-store';
import type { LogGroupSettings } from './types';

/** The retention periods AWS accepts, in days. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'];

function newGroupName(input: JsonObject): string {
  const name = text(input, 'logGroupName');
  if (name === undefined) {
    throw validationFailure(null, 'logGroupName', 'Member must not be null');
  }
  if (!GROUP_NAME.test(name)) {
    throw validationFailure(
      name,
      'logGroupName',
      name.length === 0 || name.length > 512
        ? 'Member must have length between 1 and 512'
        : 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+',
    );
  }
  return name;
}

function groupClassOf(input: JsonObject): string | undefined {
  const groupClass = text(input, 'logGroupClass');
  if (groupClass !== undefined && !GROUP_CLASSES.includes(groupClass)) {
    throw validationFailure(
      groupClass,
      'logGroupClass',
      `Member must satisfy enum value set: [${GROUP_CLASSES.join(', ')}]`,
    );
  }
  return groupClass;
}

export function createLogGroup(store: LogStore, input: JsonObject): JsonObject {
  const name = newGroupName(input);
  const tags = tagsOf(input);
  const logGroupClass = groupClassOf(input);
  const kmsKeyId = text(input, 'kmsKeyId');
  const settings: Omit<LogGroupSettings, 'created'> = {
    ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
    ...(logGroupClass !== undefined ? { logGroupClass } : {}),
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
  };
  if (!store.createGroup(name, settings)) {
    throw new LogsError('ResourceAlreadyExistsException', 'The specified log group already exists');
  }
  return {};
}

export function deleteLogGroup(store: LogStore, input: JsonObject): JsonObject {
  if (!store.deleteGroup(requestedGroup(input))) throw noSuchGroup();
  return {};
}

/** Changes a group's settings, or answers that the group does not exist. */
function update(
  store: LogStore,
  group: string,
  change: (settings: LogGroupSettings) => LogGroupSettings,
): JsonObject {
  if (!store.updateSettings(group, change)) throw noSuchGroup();
  return {};
}

export function putRetentionPolicy(store: LogStore, input: JsonObject): JsonObject {
  const group = requestedGroup(input);
  const days = input.retentionInDays;
  if (typeof days !== 'number' || !(RETENTION_DAYS as readonly number[]).includes(days)) {
    throw validationFailure(
      JSON.stringify(days ?? null),
      'retentionInDays',
      days === undefined || days === null
        ? 'Member must not be null'
        : `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
  }
  return update(store, group, (settings) => ({ ...settings, retentionInDays: days }));
}

export function deleteRetentionPolicy(store: LogStore, input: JsonObject): JsonObject {
  return update(store, requestedGroup(input), ({ retentionInDays: _dropped, ...kept }) => kept);
}

/** The group a tagging request's `resourceArn` names: only log groups carry tags here. */
function taggedGroup(input: JsonObject): string {
  const arn = text(input, 'resourceArn');
  if (arn === undefined) throw validationFailure(null, 'resourceArn', 'Member must not be null');
  const group = groupNameOf(arn);
  if (group === arn) throw invalidParameter(`Invalid resource ARN: ${arn}`);
  return group;
}

function tagsOfGroup(store: LogStore, group: string): JsonObject {
  const settings = store.settingsOf(group);
  if (!settings) throw noSuchGroup();
  return { tags: { ...settings.tags } };
}

const addTags =
  (tags: Record<string, string>) =>
  (settings: LogGroupSettings): LogGroupSettings => ({
    ...settings,
    tags: withTags(settings.tags, tags),
  });

const removeTags =
  (keys: string[]) =>
  (settings: LogGroupSettings): LogGroupSettings => ({
    ...settings,
    tags: withoutTags(settings.tags, keys),
  });

export const listTagsForResource = (store: LogStore, input: JsonObject): JsonObject =>
  tagsOfGroup(store, taggedGroup(input));

export const listTagsLogGroup = (store: LogStore, input: JsonObject): JsonObject =>
  tagsOfGroup(store, requestedGroup(input));

export function tagResource(store: LogStore, input: JsonObject): JsonObject {
  const group = taggedGroup(input);
  const tags = tagsOf(input);
  if (!tags) throw validationFailure(null, 'tags', 'Member must not be null');
  return update(store, group, addTags(tags));
}

export function tagLogGroup(store: LogStore, input: JsonObject): JsonObject {
  const group = requestedGroup(input);
  const tags = tagsOf(input);
  if (!tags) throw validationFailure(null, 'tags', 'Member must not be null');
  return update(store, group, addTags(tags));
}

export const untagResource = (store: LogStore, input: JsonObject): JsonObject =>
  update(store, taggedGroup(input), removeTags(tagKeysOf(input, 'tagKeys')));

export const untagLogGroup = (store: LogStore, input: JsonObject): JsonObject =>
  update(store, requestedGroup(input), removeTags(tagKeysOf(input, 'tags')));
