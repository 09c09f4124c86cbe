/**
 * Step Functions operations as IAM sees them (src/iam/actions/states-actions.ts),
 * through authorizationsFor: the requests are the real ones the SDK's SFNClient sends to a
 * recording endpoint (see ../support/sdk-requests.ts).
 */
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { authorizationsFor } from '../../../src/iam/request-authorizations';
import { context, incoming, only, recordSdkRequests } from '../support/sdk-requests';

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:publish-item';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:publish-item:run-1';

const sdk = recordSdkRequests();
const { received, authorizationsOf } = sdk;
let sfn: SFNClient;

beforeAll(() => {
  // StartSyncExecution's host prefix (`sync-`) cannot prefix an IP address.
  sfn = sdk.client((config) => new SFNClient({ ...config, disableHostPrefix: true }));
});

describe('Step Functions', () => {
  it.each<[string, () => Promise<unknown>]>([
    [
      'StartExecution',
      () => sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE, input: '{}' })),
    ],
    [
      'StartSyncExecution',
      () => sfn.send(new StartSyncExecutionCommand({ stateMachineArn: MACHINE })),
    ],
    [
      'DescribeStateMachine',
      () => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE })),
    ],
    ['ListExecutions', () => sfn.send(new ListExecutionsCommand({ stateMachineArn: MACHINE }))],
    [
      'UpdateStateMachine',
      () => sfn.send(new UpdateStateMachineCommand({ stateMachineArn: MACHINE, definition: '{}' })),
    ],
    [
      'DeleteStateMachine',
      () => sfn.send(new DeleteStateMachineCommand({ stateMachineArn: MACHINE })),
    ],
  ])(
    'authorizes %s with the states action of its name on the state machine',
    async (action, send) => {
      const authorizations = await authorizationsOf(send);

      expect(authorizations).toEqual(only(`states:${action}`, MACHINE));
    },
  );

  it.each<[string, () => Promise<unknown>]>([
    [
      'DescribeExecution',
      () => sfn.send(new DescribeExecutionCommand({ executionArn: EXECUTION })),
    ],
    [
      'GetExecutionHistory',
      () => sfn.send(new GetExecutionHistoryCommand({ executionArn: EXECUTION })),
    ],
    ['StopExecution', () => sfn.send(new StopExecutionCommand({ executionArn: EXECUTION }))],
    [
      'DescribeStateMachineForExecution',
      () => sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: EXECUTION })),
    ],
  ])('authorizes %s with the states action of its name on the execution', async (action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`states:${action}`, EXECUTION));
  });

  it('authorizes CreateStateMachine on the state machine it will create', async () => {
    const authorizations = await authorizationsOf(() =>
      sfn.send(
        new CreateStateMachineCommand({
          name: 'publish-item',
          definition: '{}',
          roleArn: 'arn:aws:iam::123456789012:role/r',
        }),
      ),
    );

    expect(authorizations).toEqual(only('states:CreateStateMachine', MACHINE));
  });

  it.each<[string, () => Promise<unknown>]>([
    ['ListStateMachines', () => sfn.send(new ListStateMachinesCommand({}))],
    [
      'SendTaskSuccess',
      () => sfn.send(new SendTaskSuccessCommand({ taskToken: 't', output: '{}' })),
    ],
    ['SendTaskFailure', () => sfn.send(new SendTaskFailureCommand({ taskToken: 't' }))],
    ['SendTaskHeartbeat', () => sfn.send(new SendTaskHeartbeatCommand({ taskToken: 't' }))],
  ])('authorizes %s on every resource', async (action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`states:${action}`, '*'));
  });

  it('authorizes a body that is not JSON with the operation on every resource', async () => {
    const request = await received(() =>
      sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE })),
    );

    const authorizations = authorizationsFor(
      { ...incoming(request), body: Buffer.from('{"stateMachineArn":') },
      context,
    );

    expect(authorizations).toEqual(only('states:StartExecution', '*'));
  });
});
