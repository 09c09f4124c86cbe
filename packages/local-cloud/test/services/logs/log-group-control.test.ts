/**
 * The local CloudWatch Logs' control plane through the SDK's CloudWatchLogsClient: log groups
 * created with tags, listed with their retention and ARNs, tagged, kept across a restart and
 * deleted, and streams written with PutLogEvents; refused as AWS refuses them.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LogStore } from '../../../src/services/logs/log-store';
import { LOGS_ACCOUNT, LOGS_REGION, serveLogs } from '../../support/served-logs';
import type { ServedLogs } from '../../support/served-logs';

const GROUP = '/aws/vendedlogs/states/publish-item';
const ARN = `arn:aws:logs:${LOGS_REGION}:${LOGS_ACCOUNT}:log-group:${GROUP}`;

let directory: string;
let store: LogStore;
let served: ServedLogs;
let logs: CloudWatchLogsClient;

async function serve(): Promise<void> {
  store = new LogStore({ directory, groups: ['/aws/lambda/list-items'] });
  served = await serveLogs(store);
  logs = served.logs;
}

async function stop(): Promise<void> {
  await served?.close();
  store?.close();
}

async function described(name = GROUP) {
  const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return logGroups?.find((group) => group.logGroupName === name);
}

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'log-groups-'));
  await serve();
});

afterEach(async () => {
  await stop();
  rmSync(directory, { recursive: true, force: true });
});

describe('CreateLogGroup', () => {
  it('creates a group that DescribeLogGroups lists with both of its ARNs and no retention', async () => {
    const before = Date.now();
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));

    const group = await described();
    expect(group).toEqual({
      logGroupName: GROUP,
      creationTime: expect.any(Number) as number,
      metricFilterCount: 0,
      arn: `${ARN}:*`,
      logGroupArn: ARN,
      storedBytes: 0,
      logGroupClass: 'STANDARD',
    });
    expect(group?.creationTime).toBeGreaterThanOrEqual(before);
  });

  it('keeps the tags given at creation, listed by ARN and by name', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP, tags: { stage: 'local' } }));

    const byArn = await logs.send(new ListTagsForResourceCommand({ resourceArn: ARN }));
    const byName = await logs.send(new ListTagsLogGroupCommand({ logGroupName: GROUP }));

    expect(byArn.tags).toEqual({ stage: 'local' });
    expect(byName.tags).toEqual({ stage: 'local' });
  });

  it('answers ResourceAlreadyExistsException for a group that exists', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));

    await expect(logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }))).rejects.toThrow(
      new ResourceAlreadyExistsException({
        message: 'The specified log group already exists',
        $metadata: {},
      }),
    );
  });

  it('refuses a name with characters AWS does not allow', async () => {
    const creating = logs.send(new CreateLogGroupCommand({ logGroupName: 'my group?' }));

    await expect(creating).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(creating).rejects.toThrow(/regular expression pattern/);
  });

  it.each([
    ['of 512 characters, the longest AWS allows', 'a'.repeat(512)],
    ['whose characters each encode to three in a file name', '#'.repeat(512)],
    ['that looks like a path out of the data directory', '../../../../outside/..'],
  ])('keeps a group with a name %s across a restart', async (_case, name) => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));

    await stop();
    await serve();

    expect((await described(name))?.logGroupName).toBe(name);
  });

  it('keeps a created group, its retention and tags across a restart', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP, tags: { team: 'a' } }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 14 }));

    await stop();
    await serve();

    expect((await described())?.retentionInDays).toBe(14);
    const { tags } = await logs.send(new ListTagsForResourceCommand({ resourceArn: ARN }));
    expect(tags).toEqual({ team: 'a' });
  });
});

describe('DescribeLogGroups', () => {
  it('lists the created groups with the functions ones, by name, a page at a time', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/apigateway/access' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));

    const first = await logs.send(new DescribeLogGroupsCommand({ limit: 2 }));
    const second = await logs.send(
      new DescribeLogGroupsCommand({ limit: 2, nextToken: first.nextToken }),
    );

    expect(
      [...(first.logGroups ?? []), ...(second.logGroups ?? [])].map((g) => g.logGroupName),
    ).toEqual(['/aws/apigateway/access', '/aws/lambda/list-items', GROUP]);
    expect(second.nextToken).toBeUndefined();
  });
});

describe('retention', () => {
  it('PutRetentionPolicy sets the days DescribeLogGroups reads back', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));

    await logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 30 }));

    expect((await described())?.retentionInDays).toBe(30);
  });

  it('DeleteRetentionPolicy makes the group keep its events forever again', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 30 }));

    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: GROUP }));

    expect((await described())?.retentionInDays).toBeUndefined();
  });

  it('refuses a number of days AWS does not offer with its enum message', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));

    const putting = logs.send(
      new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 2 }),
    );

    await expect(putting).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(putting).rejects.toThrow(
      "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
    );
  });

  it('answers ResourceNotFoundException for a group that does not exist', async () => {
    await expect(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: GROUP, retentionInDays: 1 })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('tags', () => {
  it('TagResource adds tags and UntagResource removes them, by the group ARN', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP, tags: { a: '1' } }));

    await logs.send(new TagResourceCommand({ resourceArn: ARN, tags: { b: '2', c: '3' } }));
    await logs.send(new UntagResourceCommand({ resourceArn: ARN, tagKeys: ['a', 'c'] }));

    const { tags } = await logs.send(new ListTagsForResourceCommand({ resourceArn: ARN }));
    expect(tags).toEqual({ b: '2' });
  });

  it('refuses tag keys in the aws: space', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));

    await expect(
      logs.send(new TagResourceCommand({ resourceArn: ARN, tags: { 'aws:owner': 'me' } })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});

describe('DeleteLogGroup', () => {
  it('removes the group, which DescribeLogGroups no longer lists, even after a restart', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));

    await logs.send(new DeleteLogGroupCommand({ logGroupName: GROUP }));
    await stop();
    await serve();

    expect(await described()).toBeUndefined();
  });

  it('leaves nothing of a group whose name was too long for one file name', async () => {
    const before = readdirSync(directory, { recursive: true });
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'a'.repeat(512) }));

    await logs.send(new DeleteLogGroupCommand({ logGroupName: 'a'.repeat(512) }));

    expect(readdirSync(directory, { recursive: true })).toEqual(before);
  });

  it('answers ResourceNotFoundException for a group that does not exist', async () => {
    await expect(logs.send(new DeleteLogGroupCommand({ logGroupName: GROUP }))).rejects.toThrow(
      new ResourceNotFoundException({
        message: 'The specified log group does not exist.',
        $metadata: {},
      }),
    );
  });
});

describe('streams', () => {
  it('PutLogEvents writes to a stream CreateLogStream made, read back with GetLogEvents', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'app' }));
    const now = Date.now();

    await logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: 'app',
        logEvents: [
          { timestamp: now - 1, message: 'first' },
          { timestamp: now, message: 'second' },
        ],
      }),
    );

    const { events } = await logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: 'app', startFromHead: true }),
    );
    expect(events?.map(({ timestamp, message }) => ({ timestamp, message }))).toEqual([
      { timestamp: now - 1, message: 'first' },
      { timestamp: now, message: 'second' },
    ]);
  });

  it('PutLogEvents answers ResourceNotFoundException for a stream never created', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));

    await expect(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: 'app',
          logEvents: [{ timestamp: Date.now(), message: 'lost' }],
        }),
      ),
    ).rejects.toThrow('The specified log stream does not exist.');
  });

  it('CreateLogStream answers ResourceAlreadyExistsException for a stream that exists', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'app' }));

    await expect(
      logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'app' })),
    ).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
  });
});
