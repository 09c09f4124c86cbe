/**
 * The local CloudWatch Logs' data: log groups of log streams of events, kept in the data directory
 * (one journal per group, `<dataDir>/logs/<group, URI-encoded>.journal`) so a function's lines
 * outlive the run that printed them, and bounded: a group that outgrows its share drops its oldest
 * events, as retention would, and its journal is rewritten as what it keeps.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from '../../persistence/journal';
import { isObject } from '../../json';
import type { LogEvent, LogGroupSummary, LogSink, LogStreamSummary } from './types';

export interface LogStoreOptions {
  /** Where the journals are (created if need be). */
  directory: string;
  /** The groups that exist from the start (each function's, which its stack declares). */
  groups: readonly string[];
  /**
   * The most a group keeps, counted as CloudWatch Logs does (default 1 MiB, some ten thousand
   * lines): what the journal holds is also kept in memory, for reads.
   */
  maxGroupBytes?: number;
  now?: () => number;
}

/** A group's first record says when it was created; every other record is an event. */
type GroupRecord = { created: number } | LogEvent;

interface Group {
  readonly name: string;
  readonly creationTime: number;
  readonly journal: Journal<GroupRecord>;
  /** In the order they were written (their sequence). */
  events: LogEvent[];
  storedBytes: number;
  nextSequence: number;
}

export const DEFAULT_MAX_GROUP_BYTES = 1024 * 1024;
const JOURNAL_SUFFIX = '.journal';

/** CloudWatch Logs counts an event as its message's UTF-8 bytes plus 26. */
const sizeOf = (event: LogEvent): number => Buffer.byteLength(event.message) + 26;

function parseRecord(value: unknown): GroupRecord {
  if (isObject(value) && typeof value.created === 'number') return { created: value.created };
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

const isEvent = (record: GroupRecord): record is LogEvent => 'sequence' in record;

export class LogStore implements LogSink {
  private readonly groups = new Map<string, Group>();
  private readonly maxGroupBytes: number;
  private readonly now: () => number;

  constructor(private readonly options: LogStoreOptions) {
    this.maxGroupBytes = options.maxGroupBytes ?? DEFAULT_MAX_GROUP_BYTES;
    this.now = options.now ?? Date.now;
    const kept = safeReaddir(options.directory)
      .filter((file) => file.endsWith(JOURNAL_SUFFIX))
      .map((file) => decodeURIComponent(file.slice(0, -JOURNAL_SUFFIX.length)));
    for (const name of new Set([...kept, ...options.groups])) this.open(name);
  }

  /** A line Lambda sends for a runtime instance: its group is created if it does not exist. */
  append(group: string, stream: string, message: string): void {
    const target = this.groups.get(group) ?? this.open(group);
    const time = this.now();
    const event: LogEvent = {
      stream,
      timestamp: time,
      ingestionTime: time,
      message,
      sequence: target.nextSequence++,
    };
    target.journal.append(event);
    target.events.push(event);
    target.storedBytes += sizeOf(event);
    if (target.storedBytes > this.maxGroupBytes) this.trim(target);
  }

  /** Every group, by name. */
  groupSummaries(): LogGroupSummary[] {
    return [...this.groups.values()]
      .map(({ name, creationTime, storedBytes }) => ({ name, creationTime, storedBytes }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  /** A group's streams, by name (undefined for a group that does not exist). */
  streamSummaries(group: string): LogStreamSummary[] | undefined {
    const events = this.groups.get(group)?.events;
    if (!events) return undefined;
    const streams = new Map<string, LogStreamSummary>();
    for (const event of events) {
      const seen = streams.get(event.stream);
      streams.set(event.stream, {
        name: event.stream,
        creationTime: seen?.creationTime ?? event.ingestionTime,
        firstEventTimestamp: Math.min(seen?.firstEventTimestamp ?? Infinity, event.timestamp),
        lastEventTimestamp: Math.max(seen?.lastEventTimestamp ?? -Infinity, event.timestamp),
        lastIngestionTime: event.ingestionTime,
        storedBytes: (seen?.storedBytes ?? 0) + sizeOf(event),
      });
    }
    return [...streams.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** A group's events in the order they were written (undefined for a group that does not exist). */
  events(group: string): readonly LogEvent[] | undefined {
    return this.groups.get(group)?.events;
  }

  close(): void {
    for (const group of this.groups.values()) group.journal.close();
  }

  private open(name: string): Group {
    const file = join(this.options.directory, `${encodeURIComponent(name)}${JOURNAL_SUFFIX}`);
    const { journal, records } = Journal.open<GroupRecord>(file, { parse: parseRecord });
    const header = records.find((record) => !isEvent(record));
    const creationTime = header && !isEvent(header) ? header.created : this.now();
    if (!header) journal.append({ created: creationTime });
    const events = records.filter(isEvent);
    const group: Group = {
      name,
      creationTime,
      journal,
      events,
      storedBytes: events.reduce((total, event) => total + sizeOf(event), 0),
      nextSequence: (events.at(-1)?.sequence ?? -1) + 1,
    };
    this.groups.set(name, group);
    return group;
  }

  /** Drops the oldest events down to three quarters of the bound, so trims stay rare. */
  private trim(group: Group): void {
    const target = Math.floor(this.maxGroupBytes * 0.75);
    let dropped = 0;
    while (group.storedBytes > target && dropped < group.events.length) {
      group.storedBytes -= sizeOf(group.events[dropped] as LogEvent);
      dropped++;
    }
    group.events = group.events.slice(dropped);
    group.journal.compact([{ created: group.creationTime }, ...group.events]);
  }
}

function safeReaddir(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}
