/**
 * What a log group's journal holds, record by record: its settings (the first record, and again
 * each time they change: the last one counts), the streams created empty by CreateLogStream, and
 * its events. A leaf of the store: the shapes and how a replayed line is checked.
 */
import { isObject } from '../../json';
import type { LogEvent, LogGroupSettings } from './types';

/** A stream CreateLogStream made before any event was written to it. */
export interface StreamRecord {
  readonly streamCreated: string;
  readonly time: number;
}

export type GroupRecord = LogGroupSettings | StreamRecord | LogEvent;

export const isEvent = (record: GroupRecord): record is LogEvent => 'sequence' in record;
export const isStream = (record: GroupRecord): record is StreamRecord => 'streamCreated' in record;
export const isSettings = (record: GroupRecord): record is LogGroupSettings =>
  !isEvent(record) && !isStream(record);

function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const entries = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return Object.fromEntries(entries);
}

function parseSettings(value: Record<string, unknown>): LogGroupSettings {
  const { created, retentionInDays, kmsKeyId, logGroupClass } = value;
  const tags = stringMap(value.tags);
  return {
    created: created as number,
    ...(typeof retentionInDays === 'number' ? { retentionInDays } : {}),
    ...(tags ? { tags } : {}),
    ...(typeof kmsKeyId === 'string' ? { kmsKeyId } : {}),
    ...(typeof logGroupClass === 'string' ? { logGroupClass } : {}),
  };
}

export function parseGroupRecord(value: unknown): GroupRecord {
  if (isObject(value) && typeof value.created === 'number') return parseSettings(value);
  if (
    isObject(value) &&
    typeof value.streamCreated === 'string' &&
    typeof value.time === 'number'
  ) {
    return { streamCreated: value.streamCreated, time: value.time };
  }
  if (
    isObject(value) &&
    typeof value.stream === 'string' &&
    typeof value.timestamp === 'number' &&
    typeof value.ingestionTime === 'number' &&
    typeof value.message === 'string' &&
    typeof value.sequence === 'number'
  ) {
    const { stream, timestamp, ingestionTime, message, sequence } = value;
    return { stream, timestamp, ingestionTime, message, sequence };
  }
  throw new Error('not a log event');
}
