/**
 * The local CloudWatch Logs, through the SDK's CloudWatchLogsClient at an AWS endpoint: the log
 * groups and streams Lambda writes, read with DescribeLogGroups, DescribeLogStreams, GetLogEvents
 * and FilterLogEvents (the calls `aws logs tail` and `npm run logs` make), kept in the data
 * directory across a restart and bounded in size.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { TORN_TAIL } from '../../../src/persistence/journal';
import { LogStore } from '../../../src/services/logs/log-store';
import {
  LOGS_ACCOUNT as ACCOUNT,
  LOGS_REGION as REGION,
  serveLogs,
} from '../../support/served-logs';
import type { ServedLogs } from '../../support/served-logs';

const GROUP = '/aws/lambda/list-items';
const FIRST = '2026/12/05/[$LATEST]0123456789abcdef0123456789abcdef';
const SECOND = '2026/12/05/[$LATEST]fedcba9876543210fedcba9876543210';

let directory: string;
let store: LogStore;
let served: ServedLogs;
let logs: CloudWatchLogsClient;
let clock: number;

async function serve(
  options: { maxGroupBytes?: number; warn?: (message: string) => void } = {},
): Promise<void> {
  store = new LogStore({
    directory,
    groups: [GROUP],
    now: () => clock,
    ...options,
  });
  served = await serveLogs(store);
  logs = served.logs;
}

async function stop(): Promise<void> {
  await served?.close();
  store?.close();
}

/** Lines as a runtime instance prints them, one millisecond apart. */
function write(stream: string, ...messages: string[]): void {
  for (const message of messages) {
    clock += 1;
    store.append(GROUP, stream, message);
  }
}

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'logs-'));
  clock = Date.UTC(2026, 11, 5, 1, 0, 0);
  await serve();
});

afterEach(async () => {
  await stop();
  rmSync(directory, { recursive: true, force: true });
});

const messagesOf = (events: { message?: string }[] | undefined): (string | undefined)[] =>
  (events ?? []).map(({ message }) => message);

describe('log groups and streams', () => {
  it("lists a function's log group before it has logged, with its ARN", async () => {
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));

    expect(logGroups).toEqual([
      expect.objectContaining({
        logGroupName: GROUP,
        arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}:*`,
        logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}`,
      }),
    ]);
  });

  it('creates the group of a line written to a group it did not have', async () => {
    store.append('/aws/lambda/other', FIRST, 'hello');

    const { logGroups } = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/o' }),
    );

    expect(logGroups?.map(({ logGroupName }) => logGroupName)).toEqual(['/aws/lambda/other']);
  });

  it('lists the streams of a group with the times of their events, latest first when asked', async () => {
    write(FIRST, 'one');
    write(SECOND, 'two');

    const { logStreams } = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: GROUP,
        orderBy: 'LastEventTime',
        descending: true,
      }),
    );

    expect(logStreams).toEqual([
      expect.objectContaining({ logStreamName: SECOND, lastEventTimestamp: clock }),
      expect.objectContaining({ logStreamName: FIRST, lastEventTimestamp: clock - 1 }),
    ]);
  });

  it('answers ResourceNotFoundException for a group that does not exist', async () => {
    await expect(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/missing' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('GetLogEvents', () => {
  it('reads a stream from its head, and the forward token then waits for the next lines', async () => {
    write(FIRST, 'START RequestId: 1 Version: $LATEST', 'END RequestId: 1');
    const first = await logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: FIRST, startFromHead: true }),
    );
    write(FIRST, 'REPORT RequestId: 1');

    const next = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: FIRST,
        nextToken: first.nextForwardToken,
      }),
    );

    expect(messagesOf(first.events)).toEqual([
      'START RequestId: 1 Version: $LATEST',
      'END RequestId: 1',
    ]);
    expect(messagesOf(next.events)).toEqual(['REPORT RequestId: 1']);
  });

  it('reads the latest events of a stream without a token, and earlier ones backwards', async () => {
    write(FIRST, 'a', 'b', 'c');
    const latest = await logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: FIRST, limit: 2 }),
    );

    const earlier = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: FIRST,
        nextToken: latest.nextBackwardToken,
      }),
    );

    expect(messagesOf(latest.events)).toEqual(['b', 'c']);
    expect(messagesOf(earlier.events)).toEqual(['a']);
  });
});

describe('FilterLogEvents', () => {
  it("interleaves a group's streams by time, naming each event's stream", async () => {
    write(FIRST, 'one');
    write(SECOND, 'two');
    write(FIRST, 'three');

    const { events } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, interleaved: true }),
    );

    expect(events?.map(({ logStreamName, message }) => [logStreamName, message])).toEqual([
      [FIRST, 'one'],
      [SECOND, 'two'],
      [FIRST, 'three'],
    ]);
  });

  it('keeps the events of the named streams between startTime and endTime', async () => {
    write(FIRST, 'before');
    const start = clock + 1;
    write(FIRST, 'inside');
    write(SECOND, 'other stream');
    write(FIRST, 'at the end');
    const end = clock;
    write(FIRST, 'after');

    const { events } = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: GROUP,
        logStreamNames: [FIRST],
        startTime: start,
        endTime: end,
      }),
    );

    expect(messagesOf(events)).toEqual(['inside', 'at the end']);
  });

  it('keeps the events matching a pattern of terms, optional terms and exclusions', async () => {
    write(FIRST, 'ERROR timeout calling table', 'ERROR retrying', 'WARN slow', 'INFO fine');

    const { events } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '?ERROR ?WARN -retrying' }),
    );

    expect(messagesOf(events)).toEqual(['ERROR timeout calling table', 'WARN slow']);
  });

  it('matches a quoted phrase as written, case and all', async () => {
    write(FIRST, 'Task timed out after 3.00 seconds', 'task timed out', 'Task ran');

    const { events } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '"Task timed out"' }),
    );

    expect(messagesOf(events)).toEqual(['Task timed out after 3.00 seconds']);
  });

  it('pages with nextToken until every event was handed out once', async () => {
    write(FIRST, 'a', 'b', 'c', 'd', 'e');
    const seen: (string | undefined)[] = [];
    let nextToken: string | undefined;

    do {
      const page = await logs.send(
        new FilterLogEventsCommand({ logGroupName: GROUP, limit: 2, nextToken }),
      );
      seen.push(...messagesOf(page.events));
      nextToken = page.nextToken;
    } while (nextToken);

    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('gives every event an id of its own', async () => {
    write(FIRST, 'same', 'same');

    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));

    expect(new Set(events?.map(({ eventId }) => eventId)).size).toBe(2);
  });

  it('refuses stream names and a stream prefix together', async () => {
    await expect(
      logs.send(
        new FilterLogEventsCommand({
          logGroupName: GROUP,
          logStreamNames: [FIRST],
          logStreamNamePrefix: '2026',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('names the group by its ARN as logGroupIdentifier', async () => {
    write(FIRST, 'by arn');

    const { events } = await logs.send(
      new FilterLogEventsCommand({
        logGroupIdentifier: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${GROUP}`,
      }),
    );

    expect(messagesOf(events)).toEqual(['by arn']);
  });
});

describe('the data directory', () => {
  it('keeps the events across a restart', async () => {
    write(FIRST, 'kept');
    await stop();
    await serve();

    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));

    expect(messagesOf(events)).toEqual(['kept']);
  });

  it('keeps what was acknowledged, and says so, when a crash tore the last line of a journal', async () => {
    // Given an acknowledged line, then a write a kill -9 cut short
    write(FIRST, 'kept');
    await stop();
    appendFileSync(join(directory, `${encodeURIComponent(GROUP)}.journal`), '{"time":17');
    const warnings: string[] = [];

    // When the store opens the journal again
    await serve({ warn: (message) => warnings.push(message) });

    // Then the acknowledged line is there, and the torn one was cut off with a warning
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));
    expect(messagesOf(events)).toEqual(['kept']);
    expect(warnings).toEqual([expect.stringContaining(TORN_TAIL)]);
  });

  it('drops the oldest events of a group that outgrows its bound, and stays within it', async () => {
    await stop();
    await serve({ maxGroupBytes: 1000 });
    const lines = Array.from({ length: 40 }, (_, index) => `line ${index} ${'x'.repeat(40)}`);
    write(FIRST, ...lines);

    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));

    expect(logGroups?.[0]?.storedBytes).toBeLessThanOrEqual(1000);
    expect(messagesOf(events).at(-1)).toBe(lines.at(-1));
    expect(messagesOf(events)).not.toContain(lines[0]);
  });
});
