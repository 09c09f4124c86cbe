/**
 * CreateLogStream and PutLogEvents: what an application that ships its own lines (the CloudWatch
 * agent, a logging library, `aws logs put-log-events`) calls. Batches are checked as AWS checks
 * them (1 to 10,000 events in chronological order); events from more than 14 days ago or more
 * than 2 hours ahead are not kept and said so in rejectedLogEventsInfo, as AWS says it.
 */
import type { JsonObject } from '../../json';
import {
  invalidParameter,
  LogsError,
  noSuchGroup,
  requestedGroup,
  text,
  validationFailure,
} from './logs-protocol';
import type { InputLogEvent, LogStore } from './log-store';

const MAX_BATCH = 10_000;
const STREAM_NAME = /^[^:*]{1,512}$/;
const TOO_OLD_MS = 14 * 24 * 3600 * 1000;
const TOO_NEW_MS = 2 * 3600 * 1000;

const noSuchStream = (): LogsError =>
  new LogsError('ResourceNotFoundException', 'The specified log stream does not exist.');

function streamName(input: JsonObject): string {
  const name = text(input, 'logStreamName');
  if (name === undefined || !STREAM_NAME.test(name)) {
    throw validationFailure(
      name ?? null,
      'logStreamName',
      'Member must satisfy regular expression pattern: [^:*]*',
    );
  }
  return name;
}

export function createLogStream(store: LogStore, input: JsonObject): JsonObject {
  const group = requestedGroup(input);
  const outcome = store.createStream(group, streamName(input));
  if (outcome === 'no-group') throw noSuchGroup();
  if (outcome === 'exists') {
    throw new LogsError(
      'ResourceAlreadyExistsException',
      'The specified log stream already exists',
    );
  }
  return {};
}

function eventsOf(input: JsonObject): InputLogEvent[] {
  const events = input.logEvents;
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_BATCH) {
    throw invalidParameter(`logEvents must hold from 1 to ${MAX_BATCH} events`);
  }
  return events.map((event) => {
    if (
      typeof event !== 'object' ||
      event === null ||
      Array.isArray(event) ||
      typeof event.timestamp !== 'number' ||
      typeof event.message !== 'string' ||
      event.message === ''
    ) {
      throw invalidParameter('Each log event needs a timestamp and a non-empty message');
    }
    return { timestamp: event.timestamp, message: event.message };
  });
}

export function putLogEvents(store: LogStore, input: JsonObject): JsonObject {
  const now = Date.now();
  const group = requestedGroup(input);
  const stream = streamName(input);
  const events = eventsOf(input);
  if (
    events.some(
      (event, index) => index > 0 && event.timestamp < (events[index - 1]?.timestamp ?? 0),
    )
  ) {
    throw invalidParameter(
      'Log events in a single PutLogEvents request must be in chronological order.',
    );
  }
  const tooOld = events.filter((event) => event.timestamp < now - TOO_OLD_MS).length;
  const tooNew = events.findIndex((event) => event.timestamp > now + TOO_NEW_MS);
  const kept = events.slice(tooOld, tooNew === -1 ? undefined : tooNew);
  if (!store.settingsOf(group)) throw noSuchGroup();
  if (kept.length > 0 ? !store.put(group, stream, kept) : !store.hasStream(group, stream)) {
    throw noSuchStream();
  }
  const rejected = {
    ...(tooOld > 0 ? { tooOldLogEventEndIndex: tooOld } : {}),
    ...(tooNew !== -1 ? { tooNewLogEventStartIndex: tooNew } : {}),
  };
  return Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {};
}
