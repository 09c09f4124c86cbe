/** DescribeLogGroups and DescribeLogStreams: what the store holds, filtered and paged. */
import type { JsonObject } from '../../json';
import { opaqueTokens, page } from '../pagination';
import {
  flag,
  groupArn,
  invalidParameter,
  noSuchGroup,
  requestedGroup,
  text,
  whole,
} from './logs-protocol';
import type { LogsWhere } from './logs-protocol';
import type { LogStore } from './log-store';
import type { LogStreamSummary } from './types';

const tokens = opaqueTokens(() => invalidParameter('The specified nextToken is invalid.'));

export function describeLogGroups(
  store: LogStore,
  input: JsonObject,
  where: LogsWhere,
): JsonObject {
  const prefix = text(input, 'logGroupNamePrefix');
  const pattern = text(input, 'logGroupNamePattern');
  if (prefix !== undefined && pattern !== undefined) {
    throw invalidParameter(
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
  }
  const limit = whole(input, 'limit', 1, 50) ?? 50;
  // The pattern matches anywhere in the name, whatever the case.
  const wanted = pattern?.toLowerCase();
  const groups = store
    .groupSummaries()
    .filter(({ name }) => prefix === undefined || name.startsWith(prefix))
    .filter(({ name }) => wanted === undefined || name.toLowerCase().includes(wanted));
  const { items, next } = page(groups, text(input, 'nextToken'), limit, tokens);
  return {
    logGroups: items.map(({ name, settings, storedBytes }) => ({
      logGroupName: name,
      creationTime: settings.created,
      ...(settings.retentionInDays !== undefined
        ? { retentionInDays: settings.retentionInDays }
        : {}),
      metricFilterCount: 0,
      arn: `${groupArn(where, name)}:*`,
      storedBytes,
      ...(settings.kmsKeyId !== undefined ? { kmsKeyId: settings.kmsKeyId } : {}),
      logGroupClass: settings.logGroupClass ?? 'STANDARD',
      logGroupArn: groupArn(where, name),
    })),
    ...(next !== undefined ? { nextToken: next } : {}),
  };
}

function ordered(streams: LogStreamSummary[], input: JsonObject): LogStreamSummary[] {
  const orderBy = text(input, 'orderBy') ?? 'LogStreamName';
  if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
    throw invalidParameter('orderBy must be LogStreamName or LastEventTime');
  }
  const byTime = (a: LogStreamSummary, b: LogStreamSummary): number =>
    (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0);
  const sorted = orderBy === 'LastEventTime' ? [...streams].sort(byTime) : streams;
  return flag(input, 'descending') ? [...sorted].reverse() : sorted;
}

export function describeLogStreams(
  store: LogStore,
  input: JsonObject,
  where: LogsWhere,
): JsonObject {
  const group = requestedGroup(input);
  const prefix = text(input, 'logStreamNamePrefix');
  if (prefix !== undefined && text(input, 'orderBy') === 'LastEventTime') {
    throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
  }
  const limit = whole(input, 'limit', 1, 50) ?? 50;
  const streams = store.streamSummaries(group);
  if (!streams) throw noSuchGroup();
  const chosen = ordered(
    streams.filter(({ name }) => prefix === undefined || name.startsWith(prefix)),
    input,
  );
  const { items, next } = page(chosen, text(input, 'nextToken'), limit, tokens);
  return {
    logStreams: items.map((stream) => ({
      logStreamName: stream.name,
      creationTime: stream.creationTime,
      ...(stream.firstEventTimestamp !== undefined
        ? { firstEventTimestamp: stream.firstEventTimestamp }
        : {}),
      ...(stream.lastEventTimestamp !== undefined
        ? { lastEventTimestamp: stream.lastEventTimestamp }
        : {}),
      ...(stream.lastIngestionTime !== undefined
        ? { lastIngestionTime: stream.lastIngestionTime }
        : {}),
      arn: `${groupArn(where, group)}:log-stream:${stream.name}`,
      storedBytes: stream.storedBytes,
    })),
    ...(next !== undefined ? { nextToken: next } : {}),
  };
}
