/**
 * A function's log lines, read back the AWS way: Lambda keeps what each runtime instance prints,
 * framed by its START, END and REPORT lines, in CloudWatch Logs (`/aws/lambda/<function>`, a
 * stream per instance); the local cloud serves them on its AWS endpoint to the SDK, the AWS CLI
 * (`aws logs filter-log-events`, `get-log-events`; `aws logs tail` is v2's) and `npm run logs`.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { DEFAULT_ADMIN_CREDENTIALS } from '@serverless-week/local-cloud';
import { eventually } from '@serverless-week/test-support';
import { projectFiles } from '../../stacks/project-files';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

const run = promisify(execFile);
const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;

let cloud: TestCloud;
let logs: CloudWatchLogsClient;
let listItems: { name: string; group: string };

beforeAll(async () => {
  cloud = await startTestCloud();
  logs = new CloudWatchLogsClient({
    endpoint: cloud.endpoints.aws,
    region: cloud.topology.region,
    credentials: DEFAULT_ADMIN_CREDENTIALS,
  });
  const fn = cloud.topology.functions.find(({ name }) => name.endsWith('-list-items'));
  if (!fn) throw new Error('the stack has no list-items function');
  listItems = { name: fn.name, group: `/aws/lambda/${fn.name}` };
}, 60000);

afterAll(async () => {
  logs?.destroy();
  await cloud?.dispose();
});

/** The REPORT line of a request to the API, once Lambda has written it. */
async function reportOfNewRequest(): Promise<{ requestId: string; startTime: number }> {
  const startTime = Date.now();
  expect((await cloud.api('/items')).status).toBe(200);
  return eventually(
    async () => {
      const { events = [] } = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: listItems.group,
          startTime,
          filterPattern: 'REPORT',
        }),
      );
      const requestId = /REPORT RequestId: (\S+)/.exec(events.at(-1)?.message ?? '')?.[1];
      return requestId ? { requestId, startTime } : undefined;
    },
    { what: 'the REPORT line of the request' },
  );
}

/** What `npm run logs` prints, run the way a user runs it, with the cloud's data directory. */
function npmRunLogs(...args: string[]): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['--import', 'tsx', 'scripts/logs.ts', ...args], {
    cwd: projectFiles.root,
    env: { ...process.env, LOCAL_CLOUD_DIR: cloud.dataDir },
  });
}

function outputOf(child: ReturnType<typeof spawn>): () => string {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return () => output;
}

const exitOf = (child: ReturnType<typeof spawn>): Promise<number | null> =>
  new Promise((resolve) => child.once('exit', (code) => resolve(code)));

it("keeps an invocation's START, END and REPORT lines in the function's log group, in one stream", async () => {
  const { requestId, startTime } = await reportOfNewRequest();

  const { events = [] } = await logs.send(
    new FilterLogEventsCommand({ logGroupName: listItems.group, startTime }),
  );
  const framing = events.filter(({ message = '' }) =>
    /^(START|END|REPORT) RequestId: /.test(message),
  );

  expect(framing.map(({ message = '' }) => message.split(' ')[0])).toEqual([
    'START',
    'END',
    'REPORT',
  ]);
  expect(framing.every(({ message = '' }) => message.includes(requestId))).toBe(true);
  expect(new Set(framing.map(({ logStreamName }) => logStreamName)).size).toBe(1);
  expect(framing[0]?.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
}, 30000);

it('lists the runtime instance as a log stream of the group', async () => {
  await reportOfNewRequest();

  const { logStreams = [] } = await logs.send(
    new DescribeLogStreamsCommand({ logGroupName: listItems.group }),
  );

  expect(logStreams.length).toBeGreaterThan(0);
}, 30000);

it("refuses a function's own key pair reading logs its role does not grant", async () => {
  const asFunction = new CloudWatchLogsClient({
    endpoint: cloud.endpoints.aws,
    region: cloud.topology.region,
    credentials: cloud.credentialsFor('function', listItems.name),
    maxAttempts: 1,
  });

  const read = asFunction.send(new FilterLogEventsCommand({ logGroupName: listItems.group }));

  await expect(read).rejects.toMatchObject({ name: 'AccessDeniedException' });
  asFunction.destroy();
});

(hasAwsCli ? it : it.skip)(
  'answers the AWS CLI’s filter-log-events and get-log-events',
  async () => {
    const { requestId, startTime } = await reportOfNewRequest();
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: DEFAULT_ADMIN_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEFAULT_ADMIN_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: cloud.topology.region,
    };
    const cli = async (...args: string[]): Promise<{ events: FilteredLogEvent[] }> => {
      const { stdout } = await run(
        'aws',
        ['logs', ...args, '--endpoint-url', cloud.endpoints.aws, '--output', 'json'],
        { env },
      );
      return JSON.parse(stdout) as { events: FilteredLogEvent[] };
    };

    const filtered = await cli(
      'filter-log-events',
      '--log-group-name',
      listItems.group,
      '--start-time',
      String(startTime),
      '--filter-pattern',
      requestId,
    );
    const stream = filtered.events[0]?.logStreamName ?? '';
    const read = await cli(
      'get-log-events',
      '--log-group-name',
      listItems.group,
      '--log-stream-name',
      stream,
      '--start-from-head',
    );

    expect(filtered.events.map(({ message = '' }) => message.split(' ')[0])).toEqual(
      expect.arrayContaining(['START', 'END', 'REPORT']),
    );
    expect(
      read.events.some(({ message = '' }) => message.startsWith(`END RequestId: ${requestId}`)),
    ).toBe(true);
  },
  30000,
);

describe('npm run logs', () => {
  it('prints the lines of the function named as the log shows it', async () => {
    const { requestId } = await reportOfNewRequest();
    const child = npmRunLogs('list-items', '--since', '5m');
    const output = outputOf(child);

    const code = await exitOf(child);

    expect(code).toBe(0);
    expect(output()).toContain(`REPORT RequestId: ${requestId}`);
  }, 30000);

  it('follows: prints the lines of a request made after it has printed the earlier ones', async () => {
    const before = await reportOfNewRequest();
    const child = npmRunLogs('list-items', '--follow', '--since', '5m');
    const output = outputOf(child);
    const printed = (requestId: string) => () =>
      Promise.resolve(output().includes(`END RequestId: ${requestId}`) || undefined);
    try {
      await eventually(printed(before.requestId), { what: 'the earlier END line' });

      const after = await reportOfNewRequest();

      await eventually(printed(after.requestId), { what: 'the followed END line' });
    } finally {
      child.kill('SIGINT');
      await exitOf(child);
    }
  }, 45000);

  it('answers an unknown flag with one line and its usage, and exit code 2', async () => {
    const child = npmRunLogs('list-items', '--bogus');
    const output = outputOf(child);

    const code = await exitOf(child);

    expect(code).toBe(2);
    expect(output().trim().split('\n')).toEqual([
      expect.stringContaining('--bogus'),
      expect.stringMatching(/^usage: npm run logs/),
    ]);
  }, 30000);
});
