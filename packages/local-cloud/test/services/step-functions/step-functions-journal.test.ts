import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { silentLog } from '../../../src/log';
import type { TaskIntegrations } from '../../../src/services/step-functions/workflow-runner';
import type { Json } from '../../../src/json';
import { stateMachine } from '../../support/state-machine-fixtures';
import { serveStepFunctions } from '../../support/step-functions-server';
import type { ServedStepFunctions } from '../../support/step-functions-server';

/**
 * How Step Functions keeps its executions: each history event is appended to a journal as it
 * happens (never the whole state rewritten), an execution cut off by a crash keeps the history
 * it had, and boot compacts the journal to one record per execution.
 */

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:slow`;

const echo = stateMachine('echo', {
  StartAt: 'Done',
  States: { Done: { Type: 'Pass', End: true } },
});
const held = stateMachine('held', {
  StartAt: 'Wait for it',
  States: { 'Wait for it': { Type: 'Task', Resource: FUNCTION_ARN, End: true } },
});

/** Calls of the function, held until released. */
const pending: (() => void)[] = [];
const integrations: TaskIntegrations = {
  lambda: () => new Promise<Json>((resolve) => pending.push(() => resolve({}))),
  dynamodb: () => Promise.reject(new Error('not used')),
  sns: () => Promise.reject(new Error('not used')),
};

let directory: string;
const served: ServedStepFunctions[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'step-functions-journal-'));
});

afterAll(async () => {
  for (const release of pending) release();
  await Promise.all(served.map((one) => one.close()));
  await rm(directory, { recursive: true, force: true });
});

/** A service on `journal` (and an SFNClient of it); `legacyStateFile` as local-cloud passes it. */
async function open(journal: string, legacyStateFile?: string): Promise<ServedStepFunctions> {
  const one = await serveStepFunctions({
    stateMachines: [echo, held],
    integrationsFor: () => integrations,
    region: REGION,
    accountId: ACCOUNT,
    log: silentLog,
    journalFile: join(directory, journal),
    ...(legacyStateFile ? { legacyStateFile } : {}),
  });
  served.push(one);
  return one;
}

async function eventTypes({ client }: ServedStepFunctions, executionArn: string) {
  const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
  return events.map((event) => event.type);
}

/** Bytes handed to the file system's synchronous writers while `action` runs. */
async function bytesWrittenDuring(action: () => Promise<void>): Promise<number> {
  const spies = [
    jest.spyOn(fs, 'writeSync'),
    jest.spyOn(fs, 'writeFileSync'),
    jest.spyOn(fs, 'appendFileSync'),
  ];
  let bytes = 0;
  try {
    await action();
    const [writeSync, ...wholeFileWriters] = spies;
    for (const [, data, , length] of (writeSync?.mock.calls ?? []) as unknown[][])
      bytes += typeof length === 'number' ? length : Buffer.byteLength(String(data));
    for (const spy of wholeFileWriters)
      for (const [, data] of spy.mock.calls as unknown[][])
        bytes += Buffer.isBuffer(data) ? data.length : Buffer.byteLength(String(data));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return bytes;
}

/** Resolves once the held function has been called (the execution is then mid-task). */
async function heldCallStarted(): Promise<void> {
  for (let attempt = 0; attempt < 500 && pending.length === 0; attempt++)
    await new Promise((resolve) => setImmediate(resolve));
  expect(pending).toHaveLength(1);
}

it('writes, while an execution runs, bytes in proportion to its own events, not to the history before it', async () => {
  // Given a journal holding an execution whose input is 200 KB (its history four times that)
  const journalFile = join(directory, 'incremental.journal');
  const { service } = await open('incremental.journal');
  service.startExecution(echo.arn, JSON.stringify({ blob: 'x'.repeat(200_000) }));
  await service.idle();

  // When a small execution runs to its end
  const written = await bytesWrittenDuring(async () => {
    service.startExecution(echo.arn, '{"small":true}');
    await service.idle();
  });

  // Then what was written is its own few events, not the 800 KB before it
  expect(fs.statSync(journalFile).size).toBeGreaterThan(800_000);
  expect(written).toBeGreaterThan(0);
  expect(written).toBeLessThan(8_000);
});

it('keeps the history an execution had when the runtime was killed, then ends it ABORTED', async () => {
  // Given an execution mid-task in a runtime that never stops (killed)
  const killed = await open('killed.journal');
  const { executionArn } = killed.service.startExecution(held.arn, '{}', 'cut-off');
  await heldCallStarted();

  // When a new service opens the journal
  const reopened = await open('killed.journal');
  const execution = reopened.service.describeExecution(executionArn);
  const types = await eventTypes(reopened, executionArn);

  // Then the events up to the kill are there, followed by the abort
  expect(execution?.status).toBe('ABORTED');
  expect(types).toEqual([
    'ExecutionStarted',
    'TaskStateEntered',
    'LambdaFunctionScheduled',
    'LambdaFunctionStarted',
    'ExecutionAborted',
  ]);
});

it('opens, after a restart, a journal of one record per execution', async () => {
  // Given two executions run to their end, their events journaled one by one
  const journalFile = join(directory, 'compacted.journal');
  const { service: first } = await open('compacted.journal');
  const one = first.startExecution(echo.arn, '{"n":1}');
  const two = first.startExecution(echo.arn, '{"n":2}');
  await first.idle();
  await first.stop();

  // When a new service opens the journal
  const { service: reopened } = await open('compacted.journal');

  // Then it holds a line per execution, and both executions as they ended
  expect(fs.readFileSync(journalFile, 'utf8').trimEnd().split('\n')).toHaveLength(2);
  expect(reopened.describeExecution(one.executionArn)).toMatchObject({
    status: 'SUCCEEDED',
    output: '{"n":1}',
  });
  expect(reopened.describeExecution(two.executionArn)?.output).toBe('{"n":2}');
});

it('takes in the executions of the JSON snapshot earlier versions kept, once', async () => {
  // Given the stepfunctions.json an earlier version left, with one execution that succeeded
  const legacy = join(directory, 'stepfunctions.json');
  const executionArn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:echo:from-before`;
  const startDate = Date.now() - 60_000;
  const input = '{"old":true}';
  fs.writeFileSync(
    legacy,
    JSON.stringify({
      version: 1,
      executions: [
        {
          executionArn,
          stateMachineArn: echo.arn,
          name: 'from-before',
          status: 'SUCCEEDED',
          startDate,
          stopDate: startDate + 5,
          input,
          output: input,
          events: [
            {
              timestamp: startDate / 1000,
              type: 'ExecutionStarted',
              id: 1,
              previousEventId: 0,
              executionStartedEventDetails: { input, inputDetails: { truncated: false } },
            },
            {
              timestamp: (startDate + 5) / 1000,
              type: 'ExecutionSucceeded',
              id: 2,
              previousEventId: 1,
              executionSucceededEventDetails: {
                output: input,
                outputDetails: { truncated: false },
              },
            },
          ],
        },
      ],
    }),
  );

  // When a service with a new journal starts on it, then another
  const { service: migrated } = await open('migrated.journal', legacy);
  const { service: again } = await open('migrated.journal', legacy);

  // Then the execution is there both times, and the old file is gone
  expect(migrated.describeExecution(executionArn)).toMatchObject({
    status: 'SUCCEEDED',
    output: input,
  });
  expect(again.describeExecution(executionArn)).toMatchObject({
    status: 'SUCCEEDED',
    output: input,
    stopDate: new Date(startDate + 5),
  });
  expect(fs.existsSync(legacy)).toBe(false);
});
