/**
 * aws_cloudwatch_log_group with the real Terraform and AWS provider 5.100.0 against an empty local
 * cloud: applied with its retention and tags, planned again with no changes, and destroyed,
 * leaving no group. (Retention changes and restarts: log-group-control.test.ts, with the SDK.)
 */
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startEmptyCloud } from '../../support/in-process-cloud';
import type { InProcessCloud } from '../../support/in-process-cloud';

// Each terraform run starts the provider (a 500 MB binary): tens of seconds on a busy machine.
jest.setTimeout(300_000);

const GROUP = '/aws/lambda/serverless-week-local-list-items';

let empty: InProcessCloud;
let logs: CloudWatchLogsClient;

function configuration(retention: number): Record<string, unknown> {
  return {
    resource: {
      aws_cloudwatch_log_group: {
        functions: { name: GROUP, retention_in_days: retention, tags: { stage: 'local' } },
      },
    },
    output: { arn: { value: '${aws_cloudwatch_log_group.functions.arn}' } },
  };
}

async function group() {
  const { logGroups } = await logs.send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: GROUP }),
  );
  return logGroups?.find(({ logGroupName }) => logGroupName === GROUP);
}

beforeEach(async () => {
  empty = await startEmptyCloud({ prefix: 'log-group-tf-' });
  logs = empty.client(CloudWatchLogsClient);
});

afterEach(() => empty?.stop());

it('applies a log group with its retention and tags, plans no changes, and destroys it, leaving none', async () => {
  const terraform = await empty.terraform(configuration(14));

  const apply = await terraform.apply();
  const plan = await terraform.plan();
  const applied = await group();
  const { arn } = await terraform.outputs();
  const { tags } = await logs.send(new ListTagsForResourceCommand({ resourceArn: String(arn) }));
  const destroy = await terraform.destroy();

  expect(apply.exitCode).toBe(0);
  expect(plan).toMatchObject({ exitCode: 0 });
  expect(applied?.retentionInDays).toBe(14);
  expect(arn).toBe(`arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}`);
  expect(tags).toEqual({ stage: 'local' });
  expect(destroy.exitCode).toBe(0);
  expect(await group()).toBeUndefined();
});
