/**
 * Reading a function's log group from the local cloud's CloudWatch Logs, the way `aws logs tail`
 * does: FilterLogEvents from a start time, page by page, then (to follow) again every second from
 * the last event's time, skipping the events already printed.
 */
import { DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsClient, FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';

const UNITS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `30s`, `10m`, `2h`, `1d`, `1w` → milliseconds; undefined for anything else. */
export function durationMs(text: string): number | undefined {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  return match ? Number(match[1]) * (UNITS[match[2] ?? ''] ?? 0) : undefined;
}

/**
 * The log group of a function: `/aws/lambda/<name>` for its full name, or the one function whose
 * name ends with `-<name>` (the short names the local cloud's log shows), or a group by its name.
 */
export async function logGroupOf(logs: CloudWatchLogsClient, name: string): Promise<string> {
  if (name.startsWith('/')) return name;
  const { logGroups = [] } = await logs.send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }),
  );
  const groups = logGroups.map(({ logGroupName }) => logGroupName ?? '');
  const exact = `/aws/lambda/${name}`;
  if (groups.includes(exact)) return exact;
  const matches = groups.filter((group) => group.endsWith(`-${name}`));
  if (matches.length === 1 && matches[0]) return matches[0];
  const known = groups.map((group) => group.replace('/aws/lambda/', '')).join(', ');
  throw new Error(
    matches.length > 1
      ? `"${name}" names several functions (${matches.join(', ')}): give the full name`
      : `No function "${name}" in the local cloud; its functions: ${known || 'none'}`,
  );
}

/** One line per event: when, which runtime instance, what it printed. */
export const formatEvent = (event: FilteredLogEvent): string =>
  `${new Date(event.timestamp ?? 0).toISOString()} ${event.logStreamName ?? ''} ${event.message ?? ''}`;

export interface ReadOptions {
  group: string;
  startTime: number;
  print: (line: string) => void;
}

/** Where a follower is: the last event's time, and the ids of the events printed at that time. */
interface Position {
  startTime: number;
  printedAtStart: Set<string>;
}

/** Prints every event from `position` on, page by page; returns where the next read starts. */
async function readFrom(
  logs: CloudWatchLogsClient,
  group: string,
  position: Position,
  print: (line: string) => void,
): Promise<Position> {
  let { startTime, printedAtStart } = position;
  let nextToken: string | undefined;
  do {
    const page = await logs.send(
      new FilterLogEventsCommand({ logGroupName: group, startTime: position.startTime, nextToken }),
    );
    for (const event of page.events ?? []) {
      const id = event.eventId ?? '';
      const time = event.timestamp ?? 0;
      if (time === position.startTime && position.printedAtStart.has(id)) continue;
      print(formatEvent(event));
      if (time !== startTime) {
        startTime = time;
        printedAtStart = new Set();
      }
      printedAtStart.add(id);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return { startTime, printedAtStart };
}

/** Prints the group's events since `startTime`. */
export async function printEvents(logs: CloudWatchLogsClient, options: ReadOptions): Promise<void> {
  await readFrom(
    logs,
    options.group,
    { startTime: options.startTime, printedAtStart: new Set() },
    options.print,
  );
}

/** Prints the group's events since `startTime`, then new ones as they come, until `signal` aborts. */
export async function followEvents(
  logs: CloudWatchLogsClient,
  options: ReadOptions & { signal: AbortSignal; intervalMs?: number },
): Promise<void> {
  let position: Position = { startTime: options.startTime, printedAtStart: new Set() };
  while (!options.signal.aborted) {
    position = await readFrom(logs, options.group, position, options.print);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
  }
}
