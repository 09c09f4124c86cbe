/**
 * GetLogEvents (one stream, read forwards or backwards with `f/…` and `b/…` tokens, as `aws logs
 * get-log-events` and a tail that follows a stream use them) and FilterLogEvents (a group's
 * streams interleaved by time, filtered by a pattern, paged: what `aws logs tail --follow` polls).
 */
import type { JsonObject } from '../../json';
import { compileFilterPattern, UnsupportedFilterPattern } from './filter-pattern';
import type { MessageFilter } from './filter-pattern';
import {
  flag,
  invalidParameter,
  LogsError,
  noSuchGroup,
  requestedGroup,
  text,
  whole,
} from './logs-protocol';
import type { LogStore } from './log-store';
import type { LogEvent } from './types';

const MAX_EVENTS = 10_000;
/** Tokens carry a sequence number as 56 digits, the length of AWS's. */
const TOKEN_DIGITS = 56;

const digits = (sequence: number): string => String(sequence).padStart(TOKEN_DIGITS, '0');

/** Events of a group at or after `startTime` and at or before `endTime`, in the order written. */
function within(events: readonly LogEvent[], input: JsonObject): LogEvent[] {
  const start = whole(input, 'startTime', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const end = whole(input, 'endTime', 0, Number.MAX_SAFE_INTEGER) ?? Number.MAX_SAFE_INTEGER;
  return events.filter(({ timestamp }) => timestamp >= start && timestamp <= end);
}

function groupEvents(store: LogStore, group: string): readonly LogEvent[] {
  const events = store.events(group);
  if (!events) throw noSuchGroup();
  return events;
}

/** `f/<n>` reads from sequence n on; `b/<n>` reads what comes before sequence n. */
function readToken(token: string): { forward: boolean; sequence: number } {
  const match = /^([fb])\/(\d+)$/.exec(token);
  if (!match) throw invalidParameter('The specified nextToken is invalid.');
  return { forward: match[1] === 'f', sequence: Number(match[2]) };
}

export function getLogEvents(store: LogStore, input: JsonObject): JsonObject {
  const group = requestedGroup(input);
  const stream = text(input, 'logStreamName');
  if (!stream) throw invalidParameter('logStreamName is required');
  const all = groupEvents(store, group);
  const next = (all.at(-1)?.sequence ?? -1) + 1;
  const events = within(all, input).filter((event) => event.stream === stream);
  if (!all.some((event) => event.stream === stream)) {
    throw new LogsError('ResourceNotFoundException', 'The specified log stream does not exist.');
  }
  const limit = whole(input, 'limit', 1, MAX_EVENTS) ?? MAX_EVENTS;
  const token = text(input, 'nextToken');
  const position = token
    ? readToken(token)
    : flag(input, 'startFromHead')
      ? { forward: true, sequence: 0 }
      : { forward: false, sequence: next };
  const chosen = position.forward
    ? events.filter(({ sequence }) => sequence >= position.sequence).slice(0, limit)
    : events.filter(({ sequence }) => sequence < position.sequence).slice(-limit);
  const first = chosen[0];
  const last = chosen.at(-1);
  return {
    events: chosen.map(({ timestamp, message, ingestionTime }) => ({
      timestamp,
      message,
      ingestionTime,
    })),
    // Past the end the forward token stays as it was: a follower polls it until events come.
    nextForwardToken: `f/${digits(last ? last.sequence + 1 : position.forward ? position.sequence : next)}`,
    nextBackwardToken: `b/${digits(first ? first.sequence : position.sequence)}`,
  };
}

/** Which streams a filter reads: named ones, those with a prefix, or all (not both ways). */
function streamFilter(input: JsonObject): (stream: string) => boolean {
  const names = input.logStreamNames;
  const prefix = text(input, 'logStreamNamePrefix');
  if (names !== undefined && prefix !== undefined) {
    throw invalidParameter(
      'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.',
    );
  }
  if (names !== undefined) {
    if (!Array.isArray(names) || names.length === 0 || names.length > 100) {
      throw invalidParameter('logStreamNames must name from 1 to 100 log streams');
    }
    const wanted = new Set(names.filter((name): name is string => typeof name === 'string'));
    return (stream) => wanted.has(stream);
  }
  return prefix === undefined ? () => true : (stream) => stream.startsWith(prefix);
}

function messageFilter(input: JsonObject): MessageFilter {
  try {
    return compileFilterPattern(text(input, 'filterPattern'));
  } catch (error) {
    if (error instanceof UnsupportedFilterPattern) throw invalidParameter(error.message);
    throw error;
  }
}

/** A FilterLogEvents page token: the timestamp and sequence of the last event handed out. */
const filterToken = (event: LogEvent): string =>
  Buffer.from(`${event.timestamp}:${event.sequence}`).toString('base64url');

function afterToken(token: string | undefined): (event: LogEvent) => boolean {
  if (token === undefined) return () => true;
  const match = /^(\d+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalidParameter('The specified nextToken is invalid.');
  const timestamp = Number(match[1]);
  const sequence = Number(match[2]);
  return (event) =>
    event.timestamp > timestamp || (event.timestamp === timestamp && event.sequence > sequence);
}

const byTime = (a: LogEvent, b: LogEvent): number =>
  a.timestamp - b.timestamp || a.sequence - b.sequence;

export function filterLogEvents(store: LogStore, input: JsonObject): JsonObject {
  const group = requestedGroup(input);
  const inStreams = streamFilter(input);
  const matches = messageFilter(input);
  const limit = whole(input, 'limit', 1, MAX_EVENTS) ?? MAX_EVENTS;
  const after = afterToken(text(input, 'nextToken'));
  // `interleaved` is deprecated: events from every stream always come interleaved by time.
  const found = within(groupEvents(store, group), input)
    .filter((event) => inStreams(event.stream) && matches(event.message) && after(event))
    .sort(byTime);
  const chosen = found.slice(0, limit);
  const last = chosen.at(-1);
  const searched = [...new Set(found.map(({ stream }) => stream))];
  return {
    events: chosen.map((event) => ({
      logStreamName: event.stream,
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
      eventId: digits(event.sequence),
    })),
    searchedLogStreams: searched.map((logStreamName) => ({
      logStreamName,
      searchedCompletely: true,
    })),
    ...(last && found.length > chosen.length ? { nextToken: filterToken(last) } : {}),
  };
}
