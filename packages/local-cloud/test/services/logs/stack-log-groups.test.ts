/**
 * The log groups of a booted stack (`npm start`): CloudWatch Logs lists every
 * aws_cloudwatch_log_group of cdk.tf.json, the API Gateway access logs and the state machine's
 * vended logs as well as the functions', with their retention; and the AWS CLI v2's `aws logs
 * tail` reads a group's events (it polls FilterLogEvents, also with --follow).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { useFixtureCloud } from '../../support/in-process-cloud';

const AWS_CLI_V2 = '/usr/bin/aws';
const ACCESS_LOGS = '/aws/apigateway/serverless-week-e2e-api/access';

const fixture = useFixtureCloud({ prefix: 'stack-log-groups-' });
let logs: CloudWatchLogsClient;

beforeAll(() => {
  logs = fixture.client(CloudWatchLogsClient);
});

it('lists every log group of the stack with its retention', async () => {
  const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));

  const listed = new Map(logGroups?.map((group) => [group.logGroupName, group.retentionInDays]));
  for (const group of fixture.cloud.topology.logGroups) {
    expect(listed.get(group.name)).toBe(group.retentionInDays);
  }
  expect(listed.get(ACCESS_LOGS)).toBe(14);
  expect(fixture.cloud.topology.logGroups).toHaveLength(8);
});

const cli = existsSync(AWS_CLI_V2) ? it : it.skip;

cli('aws logs tail (AWS CLI v2) prints the events of a group', async () => {
  await logs.send(new CreateLogStreamCommand({ logGroupName: ACCESS_LOGS, logStreamName: 'tail' }));
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: ACCESS_LOGS,
      logStreamName: 'tail',
      logEvents: [{ timestamp: Date.now(), message: 'GET /items 200' }],
    }),
  );

  const { stdout } = await promisify(execFile)(
    AWS_CLI_V2,
    ['logs', 'tail', ACCESS_LOGS, '--since', '1h', '--endpoint-url', fixture.cloud.endpoints.aws],
    {
      env: {
        PATH: process.env.PATH,
        AWS_ACCESS_KEY_ID: fixture.cloud.adminCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: fixture.cloud.adminCredentials.secretAccessKey,
        AWS_DEFAULT_REGION: fixture.cloud.topology.region,
        AWS_PAGER: '',
      },
    },
  );

  expect(stdout).toMatch(/ tail GET \/items 200\n$/);
});
