import {
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { silentLog } from '../../../src/log';
import type { TaskIntegrations } from '../../../src/services/step-functions/workflow-runner';
import type { Json } from '../../../src/json';
import type { StateMachineSpec } from '../../../src/stack/topology';
import { stateMachine } from '../../support/state-machine-fixtures';
import { serveStepFunctions } from '../../support/step-functions-server';
import type { ServedStepFunctions } from '../../support/step-functions-server';

/**
 * Step Functions' payload quota, 256 KiB of UTF-8 for any input or output: the API refuses a
 * larger input as AWS does, and an execution that produces a larger payload fails with
 * States.DataLimitExceeded. Through the real SFNClient.
 */

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const QUOTA = 262144;
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:fetch`;
const OVER_QUOTA =
  "1 validation error detected: Value at 'input' failed to satisfy constraint: " +
  'Member must have size less than or equal to 262144 bytes in UTF-8 encoding';

const pass = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };
const echo = stateMachine('echo', pass);
const expressEcho = stateMachine('express-echo', pass, 'EXPRESS');
/** A task whose function returns over the quota, behind a catch-all Catch. */
const bigResult = stateMachine('big-result', {
  StartAt: 'Fetch',
  States: {
    Fetch: {
      Type: 'Task',
      Resource: FUNCTION_ARN,
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
      End: true,
    },
    Caught: { Type: 'Pass', End: true },
  },
});
/** A Pass state whose output is over the quota, then a task. */
const bigState = stateMachine('big-state', {
  StartAt: 'Grow',
  States: {
    Grow: { Type: 'Pass', Result: 'x'.repeat(QUOTA), ResultPath: '$.grown', Next: 'Fetch' },
    Fetch: { Type: 'Task', Resource: FUNCTION_ARN, End: true },
  },
});
/** A task whose Parameters double its input. */
const bigParameters = stateMachine('big-parameters', {
  StartAt: 'Fetch',
  States: {
    Fetch: {
      Type: 'Task',
      Resource: FUNCTION_ARN,
      Parameters: { 'first.$': '$.blob', 'second.$': '$.blob' },
      End: true,
    },
  },
});

/** What the function was called with; it answers `{size}` bytes of data when asked to. */
let calls: Json[] = [];
const integrations: TaskIntegrations = {
  lambda: (_arn, payload) => {
    calls.push(payload);
    const size = (payload as { size?: number }).size ?? 0;
    return Promise.resolve({ data: 'x'.repeat(size) });
  },
  dynamodb: () => Promise.reject(new Error('not used')),
  sns: () => Promise.reject(new Error('not used')),
};

let served: ServedStepFunctions;
let sfn: SFNClient;

beforeAll(async () => {
  served = await serveStepFunctions({
    stateMachines: [echo, expressEcho, bigResult, bigState, bigParameters],
    integrationsFor: () => integrations,
    region: REGION,
    accountId: ACCOUNT,
    log: silentLog,
    retryIntervalScale: 0,
  });
  sfn = served.client;
});

afterAll(() => served.close());

beforeEach(() => {
  calls = [];
});

/** Runs an execution to its end; its description. */
async function run(spec: StateMachineSpec, input: Json) {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: spec.arn, input: JSON.stringify(input) }),
  );
  await served.service.idle();
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

describe('StartExecution', () => {
  it('takes an input of 262,144 bytes of UTF-8 and refuses one byte more with ValidationException', async () => {
    // Given an input of exactly the quota, and one of a byte more (a two-byte character)
    const atQuota = JSON.stringify('x'.repeat(QUOTA - 2));
    const overQuota = JSON.stringify(`${'x'.repeat(QUOTA - 3)}é`);

    // When each is started
    const accepted = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: echo.arn, input: atQuota }),
    );
    const refused = sfn.send(
      new StartExecutionCommand({ stateMachineArn: echo.arn, input: overQuota }),
    );

    // Then the first runs, the second is refused as AWS refuses it
    expect(accepted.executionArn).toContain(':execution:echo:');
    await expect(refused).rejects.toMatchObject({
      name: 'ValidationException',
      message: OVER_QUOTA,
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses a 20 MB input without running anything', async () => {
    const starting = sfn.send(
      new StartExecutionCommand({
        stateMachineArn: bigResult.arn,
        input: JSON.stringify({ blob: 'x'.repeat(20 * 1024 * 1024) }),
      }),
    );

    await expect(starting).rejects.toMatchObject({ name: 'ValidationException' });
    await served.service.idle();
    expect(calls).toEqual([]);
  });
});

describe('an execution over the quota', () => {
  it("fails with States.DataLimitExceeded when a task's result is over 256 KiB, which States.ALL does not catch", async () => {
    const execution = await run(bigResult, { size: QUOTA });

    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: `The state/task '${FUNCTION_ARN}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    });
  });

  it("fails with States.DataLimitExceeded when a state's output grows over 256 KiB, and runs no state after it", async () => {
    const execution = await run(bigState, {});

    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause:
        "The state/task 'Grow' returned a result with a size exceeding the maximum number of bytes service limit.",
    });
    expect(calls).toEqual([]);
  });

  it("fails with States.DataLimitExceeded when a task's input after Parameters is over 256 KiB, before calling it", async () => {
    const execution = await run(bigParameters, { blob: 'x'.repeat(QUOTA / 2) });

    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(calls).toEqual([]);
  });

  it('runs a task whose result is within the quota', async () => {
    const execution = await run(bigResult, { size: QUOTA - 1024 });

    expect(execution.status).toBe('SUCCEEDED');
  });
});

describe('StartSyncExecution', () => {
  it('runs an EXPRESS machine to its end and answers with its output', async () => {
    const result = await sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: expressEcho.arn, input: '{"n":1}' }),
    );

    expect(result).toMatchObject({ status: 'SUCCEEDED', input: '{"n":1}', output: '{"n":1}' });
    expect(result.stopDate?.getTime()).toBeGreaterThanOrEqual(result.startDate?.getTime() ?? 0);
  });

  it('refuses an input over 256 KiB with ValidationException', async () => {
    const starting = sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: expressEcho.arn,
        input: JSON.stringify('x'.repeat(QUOTA)),
      }),
    );

    await expect(starting).rejects.toMatchObject({
      name: 'ValidationException',
      message: OVER_QUOTA,
    });
  });

  it('refuses a STANDARD machine with StateMachineTypeNotSupported', async () => {
    const starting = sfn.send(new StartSyncExecutionCommand({ stateMachineArn: echo.arn }));

    await expect(starting).rejects.toMatchObject({ name: 'StateMachineTypeNotSupported' });
  });
});

describe('SendTaskSuccess', () => {
  it('refuses an output over 256 KiB with ValidationException', async () => {
    const sending = sfn.send(
      new SendTaskSuccessCommand({ taskToken: 'token', output: JSON.stringify('x'.repeat(QUOTA)) }),
    );

    await expect(sending).rejects.toMatchObject({
      name: 'ValidationException',
      message: OVER_QUOTA.replace("'input'", "'output'"),
    });
  });

  it('answers InvalidToken for any token: the local cloud hands none out', async () => {
    const sending = sfn.send(new SendTaskSuccessCommand({ taskToken: 'token', output: '{}' }));

    await expect(sending).rejects.toMatchObject({ name: 'InvalidToken' });
  });
});
