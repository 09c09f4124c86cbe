/**
 * The local CloudWatch Logs' data: log groups of log streams of events, kept in the data directory
 * (one journal per group, `<dataDir>/logs/<group, URI-encoded>.journal`, see fileOf) so a function's lines
 * outlive the run that printed them, and bounded: a group that outgrows its share drops its oldest
 * events, as retention would, and its journal is rewritten as what it keeps.
 */
import { readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { Journal, TORN_TAIL } from '../../persistence/journal';
import { isEvent, isSettings, isStream, parseGroupRecord } from './log-group-records';
import type { GroupRecord } from './log-group-records';
import type {
  LogEvent,
  LogGroupSettings,
  LogGroupSummary,
  LogSink,
  LogStreamSummary,
} from './types';

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
  /** Told of a journal whose last record a crash tore (cut off: it was never acknowledged). */
  warn?: (message: string) => void;
}

interface Group {
  readonly name: string;
  readonly journal: Journal<GroupRecord>;
  settings: LogGroupSettings;
  /** Streams CreateLogStream made, by name, with when (those Lambda writes to appear with events). */
  streams: Map<string, number>;
  /** In the order they were written (their sequence). */
  events: LogEvent[];
  storedBytes: number;
  nextSequence: number;
}

export const DEFAULT_MAX_GROUP_BYTES = 1024 * 1024;
const JOURNAL_SUFFIX = '.journal';
/**
 * The longest directory entry a group's encoded name takes: a file system takes 255 bytes, and a
 * group's name (512 characters) encodes to three times that.
 */
const MAX_SEGMENT = 200;

/** CloudWatch Logs counts an event as its message's UTF-8 bytes plus 26. */
const sizeOf = (event: LogEvent): number => Buffer.byteLength(event.message) + 26;

/** An event a client sends (PutLogEvents): when it happened, what it says. */
export interface InputLogEvent {
  readonly timestamp: number;
  readonly message: string;
}

export class LogStore implements LogSink {
  private readonly groups = new Map<string, Group>();
  private readonly maxGroupBytes: number;
  private readonly now: () => number;

  constructor(private readonly options: LogStoreOptions) {
    this.maxGroupBytes = options.maxGroupBytes ?? DEFAULT_MAX_GROUP_BYTES;
    this.now = options.now ?? Date.now;
    const kept = safeReaddir(options.directory)
      // A directory of a nested name may end like a journal too.
      .filter(
        (file) => file.endsWith(JOURNAL_SUFFIX) && statSync(join(options.directory, file)).isFile(),
      )
      .map((file) => decodeURIComponent(file.slice(0, -JOURNAL_SUFFIX.length).split(sep).join('')));
    for (const name of new Set([...kept, ...options.groups])) this.open(name);
  }

  /** A line Lambda sends for a runtime instance: its group is created if it does not exist. */
  append(group: string, stream: string, message: string): void {
    const time = this.now();
    this.write(this.groups.get(group) ?? this.open(group), stream, [{ timestamp: time, message }]);
  }

  /** PutLogEvents: events of a stream of a group that exist (false when either does not). */
  put(group: string, stream: string, events: readonly InputLogEvent[]): boolean {
    const target = this.groups.get(group);
    if (!target || !this.hasStream(group, stream)) return false;
    this.write(target, stream, events);
    return true;
  }

  /** CreateLogGroup: false when a group of that name exists. */
  createGroup(name: string, settings: Omit<LogGroupSettings, 'created'>): boolean {
    if (this.groups.has(name)) return false;
    this.open(name, settings);
    return true;
  }

  /** DeleteLogGroup: the group, its streams and events are gone (false when there was none). */
  deleteGroup(name: string): boolean {
    const group = this.groups.get(name);
    if (!group) return false;
    group.journal.close();
    const file = this.fileOf(name);
    rmSync(file, { force: true });
    // A long name's directories go with it, as far as no other group's journal is in them.
    for (let parent = dirname(file); parent !== this.options.directory; parent = dirname(parent)) {
      if (readdirSync(parent).length > 0) break;
      rmdirSync(parent);
    }
    this.groups.delete(name);
    return true;
  }

  settingsOf(name: string): LogGroupSettings | undefined {
    return this.groups.get(name)?.settings;
  }

  /** Retention and tags: what `change` makes of the group's settings (false: no such group). */
  updateSettings(name: string, change: (settings: LogGroupSettings) => LogGroupSettings): boolean {
    const group = this.groups.get(name);
    if (!group) return false;
    group.settings = { ...change(group.settings), created: group.settings.created };
    group.journal.append(group.settings);
    return true;
  }

  /** CreateLogStream: 'exists' for a stream the group has, 'no-group' for a group it does not. */
  createStream(group: string, stream: string): 'created' | 'exists' | 'no-group' {
    const target = this.groups.get(group);
    if (!target) return 'no-group';
    if (this.hasStream(group, stream)) return 'exists';
    const record = { streamCreated: stream, time: this.now() };
    target.journal.append(record);
    target.streams.set(stream, record.time);
    return 'created';
  }

  hasStream(group: string, stream: string): boolean {
    const target = this.groups.get(group);
    return (
      target !== undefined &&
      (target.streams.has(stream) || target.events.some((event) => event.stream === stream))
    );
  }

  /** Every group, by name. */
  groupSummaries(): LogGroupSummary[] {
    return [...this.groups.values()]
      .map(({ name, settings, storedBytes }) => ({ name, settings, storedBytes }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  /** A group's streams, by name (undefined for a group that does not exist). */
  streamSummaries(group: string): LogStreamSummary[] | undefined {
    const target = this.groups.get(group);
    if (!target) return undefined;
    const streams = new Map<string, LogStreamSummary>();
    for (const [name, creationTime] of target.streams) {
      streams.set(name, { name, creationTime, storedBytes: 0 });
    }
    for (const event of target.events) {
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

  /**
   * `<group, URI-encoded>.journal`; a name that encodes longer than a directory entry takes is cut
   * into directories of MAX_SEGMENT characters (none of them `.` or `..`: only the last may be
   * short, and it ends in the suffix).
   */
  private fileOf(name: string): string {
    const encoded = encodeURIComponent(name);
    const segments: string[] = [];
    for (let start = 0; start < encoded.length; start += MAX_SEGMENT) {
      segments.push(encoded.slice(start, start + MAX_SEGMENT));
    }
    return `${join(this.options.directory, ...segments)}${JOURNAL_SUFFIX}`;
  }

  private open(name: string, created: Omit<LogGroupSettings, 'created'> = {}): Group {
    const file = this.fileOf(name);
    const { journal, records, repaired } = Journal.open<GroupRecord>(file, {
      parse: parseGroupRecord,
    });
    if (repaired) this.options.warn?.(`${file}: ${TORN_TAIL}`);
    let settings = records.filter(isSettings).at(-1);
    if (!settings) {
      settings = { ...created, created: this.now() };
      journal.append(settings);
    }
    const events = records.filter(isEvent);
    const group: Group = {
      name,
      settings,
      journal,
      streams: new Map(
        records.filter(isStream).map((record) => [record.streamCreated, record.time]),
      ),
      events,
      storedBytes: events.reduce((total, event) => total + sizeOf(event), 0),
      nextSequence: (events.at(-1)?.sequence ?? -1) + 1,
    };
    this.groups.set(name, group);
    return group;
  }

  private write(target: Group, stream: string, events: readonly InputLogEvent[]): void {
    const ingestionTime = this.now();
    for (const { timestamp, message } of events) {
      const event: LogEvent = {
        stream,
        timestamp,
        ingestionTime,
        message,
        sequence: target.nextSequence++,
      };
      target.journal.append(event);
      target.events.push(event);
      target.storedBytes += sizeOf(event);
    }
    if (target.storedBytes > this.maxGroupBytes) this.trim(target);
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
    const streams = [...group.streams].map(([streamCreated, time]) => ({ streamCreated, time }));
    group.journal.compact([group.settings, ...streams, ...group.events]);
  }
}

/** The files under `directory`, as paths relative to it (long names are nested). */
function safeReaddir(directory: string): string[] {
  try {
    return readdirSync(directory, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
}
