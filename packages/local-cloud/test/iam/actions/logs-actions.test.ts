/**
 * CloudWatch Logs operations as IAM sees them (src/iam/actions/logs-actions.ts), through
 * authorizationsFor: the requests are the real ones the SDK's CloudWatchLogsClient sends to a
 * recording endpoint (see ../support/sdk-requests.ts).
 */
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { only, recordSdkRequests } from '../support/sdk-requests';

const GROUP = '/aws/lambda/list-items';
const GROUPS = 'arn:aws:logs:us-east-1:123456789012:log-group:';
const STREAM = '2026/12/05/[$LATEST]0123456789abcdef0123456789abcdef';

const sdk = recordSdkRequests();
const { authorizationsOf } = sdk;
let logs: CloudWatchLogsClient;

beforeAll(() => {
  logs = sdk.client((config) => new CloudWatchLogsClient(config));
});

describe('CloudWatch Logs', () => {
  it('authorizes DescribeLogGroups on every log group of the account', async () => {
    const authorizations = await authorizationsOf(() =>
      logs.send(new DescribeLogGroupsCommand({})),
    );

    expect(authorizations).toEqual(only('logs:DescribeLogGroups', `${GROUPS}*`));
  });

  it.each<[string, () => Promise<unknown>]>([
    ['DescribeLogStreams', () => logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }))],
    ['FilterLogEvents', () => logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }))],
  ])('authorizes %s with the logs action of its name on the log group', async (action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`logs:${action}`, `${GROUPS}${GROUP}:*`));
  });

  it('authorizes FilterLogEvents on the group its logGroupIdentifier ARN names', async () => {
    const authorizations = await authorizationsOf(() =>
      logs.send(new FilterLogEventsCommand({ logGroupIdentifier: `${GROUPS}${GROUP}` })),
    );

    expect(authorizations).toEqual(only('logs:FilterLogEvents', `${GROUPS}${GROUP}:*`));
  });

  it('authorizes GetLogEvents on the log stream', async () => {
    const authorizations = await authorizationsOf(() =>
      logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM })),
    );

    expect(authorizations).toEqual(
      only('logs:GetLogEvents', `${GROUPS}${GROUP}:log-stream:${STREAM}`),
    );
  });
});
