import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { silentLog } from '../../../src/log';
import { StepFunctionsService } from '../../../src/services/step-functions/step-functions';
import type { StepFunctionsOptions } from '../../../src/services/step-functions/step-functions';
import { createTaskIntegrations } from '../../../src/services/step-functions/task-integrations';
import type { LocalTaskTargets } from '../../../src/services/step-functions/task-integrations';
import { runExecution, TaskError } from '../../../src/services/step-functions/workflow-runner';
import type { TaskIntegrations } from '../../../src/services/step-functions/workflow-runner';
import type { Json } from '../../../src/json';
import { stateMachine } from '../../support/state-machine-fixtures';
import type { TableSpec } from '../../../src/stack/topology';
import { startLocalDynamoDb } from '../../support/local-dynamodb';
import type { LocalDynamoDb } from '../../support/local-dynamodb';
import { serveStepFunctions } from '../../support/step-functions-server';
import type { ServedStepFunctions } from '../../support/step-functions-server';

/**
 * Step Functions of the local cloud, through the real SFNClient: a publish-item definition (the
 * fixture's, its ARNs filled in) runs against recorded stand-ins for its function, DynamoDB and
 * SNS; createTaskIntegrations is specified against the local cloud's DynamoDB.
 */

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const CREDENTIALS = DEFAULT_ADMIN_CREDENTIALS;
const VALIDATOR_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:validate-item`;
const ASL_FILE = path.join(__dirname, '..', '..', 'fixtures', 'publish-item.asl.json');
/** The table the definition writes to, keyed as a stack would declare it. */
const ITEMS_TABLE: TableSpec = {
  address: 'aws_dynamodb_table.items',
  name: 'items',
  arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/items`,
  hashKey: 'id',
  attributes: [{ name: 'id', type: 'S' }],
  globalSecondaryIndexes: [],
  localSecondaryIndexes: [],
  billingMode: 'PAY_PER_REQUEST',
};

const publishItem = stateMachine('publish-item', readFileSync(ASL_FILE, 'utf8'));
const slow = stateMachine(
  'slow',
  JSON.stringify({
    StartAt: 'Hold',
    TimeoutSeconds: 1,
    States: { Hold: { Type: 'Wait', Seconds: 60, End: true } },
  }),
);

// ----- recorded stand-ins for the function, DynamoDB and SNS -------------------------------------

/** Items the fake validator holds until released (an execution that stays RUNNING). */
let held: (() => void)[] = [];
let lambdaFailures: Error[] = [];
let calls: { service: string; action: string; parameters: Json }[] = [];

const integrations: TaskIntegrations = {
  lambda: async (_arn, payload): Promise<Json> => {
    const itemId = (payload as { itemId: string }).itemId;
    if (itemId.startsWith('held')) await new Promise<void>((resolve) => held.push(resolve));
    const failure = lambdaFailures.shift();
    if (failure) throw failure;
    return itemId.startsWith('bare')
      ? { itemId, valid: false, reason: 'The item has no image' }
      : { itemId, valid: true };
  },
  dynamodb: (action, parameters) => {
    calls.push({ service: 'dynamodb', action, parameters });
    return Promise.resolve({});
  },
  sns: (action, parameters) => {
    calls.push({ service: 'sns', action, parameters });
    return Promise.resolve({ MessageId: `message-${calls.length}` });
  },
};

// ----- a service on an HTTP server, and a client of it ------------------------------------------

type Served = ServedStepFunctions;

function serve(options: Partial<StepFunctionsOptions> = {}): Promise<Served> {
  return serveStepFunctions({
    stateMachines: [publishItem, slow],
    integrationsFor: () => integrations,
    region: REGION,
    accountId: ACCOUNT,
    log: silentLog,
    retryIntervalScale: 0,
    ...options,
  });
}

let served: Served;
let sfn: SFNClient;
let directory: string;

beforeAll(async () => {
  served = await serve();
  sfn = served.client;
  directory = await mkdtemp(path.join(tmpdir(), 'step-functions-'));
});

afterAll(async () => {
  await served.close();
  await rm(directory, { recursive: true, force: true });
});

beforeEach(() => {
  lambdaFailures = [];
  calls = [];
});

afterEach(async () => {
  for (const release of held) release();
  held = [];
  await served.service.idle();
});

async function start(itemId: string, name?: string, client = sfn): Promise<string> {
  const { executionArn } = await client.send(
    new StartExecutionCommand({
      stateMachineArn: publishItem.arn,
      input: JSON.stringify({ itemId }),
      ...(name ? { name } : {}),
    }),
  );
  return executionArn ?? '';
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return events ?? [];
}

/** Resolves once the held function call has begun (the execution is then mid-task). */
async function heldCallStarted(count = 1): Promise<void> {
  for (let attempt = 0; attempt < 500 && held.length < count; attempt++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(held).toHaveLength(count);
}

// ----- specs -------------------------------------------------------------------------------------

describe('StartExecution and DescribeExecution', () => {
  it('runs an execution in the background to SUCCEEDED, with its output', async () => {
    // given an execution started for a publishable item
    const executionArn = await start('ready-item', 'ready-run');

    // when it has run
    await served.service.idle();
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));

    // then it succeeded, with the Published state's output, and its ARN names the machine and run
    expect(executionArn).toBe(
      `arn:aws:states:${REGION}:${ACCOUNT}:execution:publish-item:ready-run`,
    );
    expect(execution).toEqual(
      expect.objectContaining({
        executionArn,
        stateMachineArn: publishItem.arn,
        name: 'ready-run',
        status: 'SUCCEEDED',
        input: '{"itemId":"ready-item"}',
        startDate: expect.any(Date) as Date,
        stopDate: expect.any(Date) as Date,
      }),
    );
    expect(JSON.parse(execution.output ?? '')).toEqual({
      itemId: 'ready-item',
      status: 'published',
      messageId: 'message-2',
    });
    expect(calls.map(({ service, action }) => `${service}:${action}`)).toEqual([
      'dynamodb:updateItem',
      'sns:publish',
    ]);
  });

  it('answers at once, while the execution is still RUNNING', async () => {
    const executionArn = await start('held-item');
    await heldCallStarted();

    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));

    expect(execution.status).toBe('RUNNING');
    expect(execution.stopDate).toBeUndefined();
  });

  it("fails an execution whose item cannot be published, with the Fail state's error and cause", async () => {
    const executionArn = await start('bare-item');

    await served.service.idle();
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));

    expect(execution).toEqual(
      expect.objectContaining({
        status: 'FAILED',
        error: 'ItemNotPublishable',
        cause: 'The item has no image',
      }),
    );
    expect(execution.output).toBeUndefined();
  });

  it('names an execution with a uuid when no name is given', async () => {
    const executionArn = await start('ready-item');

    expect(executionArn).toMatch(/:execution:publish-item:[0-9a-f-]{36}$/);
  });

  it('refuses a second execution of the same name with ExecutionAlreadyExists', async () => {
    await start('ready-item', 'twice');
    await served.service.idle();

    await expect(start('ready-item', 'twice')).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('refuses input that is not JSON with InvalidExecutionInput', async () => {
    const starting = sfn.send(
      new StartExecutionCommand({ stateMachineArn: publishItem.arn, input: '{not json' }),
    );

    await expect(starting).rejects.toBeInstanceOf(InvalidExecutionInput);
  });

  it('refuses a state machine the stack does not have with StateMachineDoesNotExist', async () => {
    const starting = sfn.send(
      new StartExecutionCommand({
        stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:missing`,
      }),
    );

    await expect(starting).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('answers ExecutionDoesNotExist for an execution it never ran', async () => {
    const describing = sfn.send(
      new DescribeExecutionCommand({
        executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:publish-item:never`,
      }),
    );

    await expect(describing).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('answers InvalidArn for an ARN that is not an execution ARN', async () => {
    const describing = sfn.send(new DescribeExecutionCommand({ executionArn: publishItem.arn }));

    await expect(describing).rejects.toBeInstanceOf(InvalidArn);
  });
});

describe('GetExecutionHistory', () => {
  it('lists the events of a successful execution in order, with their details', async () => {
    // given an execution that ran to its end
    const executionArn = await start('ready-item');
    await served.service.idle();

    // when its history is read
    const events = await history(executionArn);

    // then every step is there, in order, numbered from 1, each pointing at the one before
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(events.map((event) => event.previousEventId)).toEqual(events.map((_, index) => index));
    expect(events[0]?.executionStartedEventDetails).toEqual({
      input: '{"itemId":"ready-item"}',
      inputDetails: { truncated: false },
      roleArn: publishItem.roleArn,
    });
    expect(events[1]?.stateEnteredEventDetails?.name).toBe('ValidateItem');
    expect(events[2]?.lambdaFunctionScheduledEventDetails).toEqual(
      expect.objectContaining({ resource: VALIDATOR_ARN, input: '{"itemId":"ready-item"}' }),
    );
    expect(events[9]?.taskScheduledEventDetails).toEqual(
      expect.objectContaining({ resourceType: 'dynamodb', resource: 'updateItem', region: REGION }),
    );
    expect(events[0]?.timestamp).toEqual(expect.any(Date));
  });

  it('records a failed function call, its retry, and the end of a failed execution', async () => {
    // given the function throttled once, then answering that the item is not publishable
    lambdaFailures = [new TaskError('Lambda.TooManyRequestsException', 'Rate exceeded')];
    const executionArn = await start('bare-item');
    await served.service.idle();

    // when the history is read
    const events = await history(executionArn);

    // then the failure, the second call, and the execution's failure are there
    const types = events.map((event) => event.type);
    expect(types.slice(0, 8)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
    ]);
    expect(events[4]?.lambdaFunctionFailedEventDetails).toEqual({
      error: 'Lambda.TooManyRequestsException',
      cause: 'Rate exceeded',
    });
    expect(types.slice(-2)).toEqual(['FailStateEntered', 'ExecutionFailed']);
    expect(events.at(-1)?.executionFailedEventDetails).toEqual({
      error: 'ItemNotPublishable',
      cause: 'The item has no image',
    });
  });

  it('pages the history with maxResults and nextToken, and reverses it on request', async () => {
    const executionArn = await start('ready-item');
    await served.service.idle();
    const all = await history(executionArn);

    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 5 }));
    const second = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 5, nextToken: first.nextToken }),
    );
    const reversed = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
    );

    expect(first.events?.map((event) => event.id)).toEqual([1, 2, 3, 4, 5]);
    expect(second.events?.map((event) => event.id)).toEqual([6, 7, 8, 9, 10]);
    expect(reversed.events?.map((event) => event.id)).toEqual(
      all.map((event) => event.id).reverse(),
    );
    expect(reversed.nextToken).toBeUndefined();
  });
});

describe('ListExecutions, StopExecution and the state machines', () => {
  it('lists the executions of a state machine, filtered by status', async () => {
    const failed = await start('bare-item');
    await served.service.idle();

    const { executions } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: publishItem.arn, statusFilter: 'FAILED' }),
    );

    expect(executions?.map((execution) => execution.executionArn)).toContain(failed);
    expect(executions?.every((execution) => execution.status === 'FAILED')).toBe(true);
  });

  it('stops a running execution: ABORTED, with the error and cause given', async () => {
    // given an execution waiting on its function
    const executionArn = await start('held-item');
    await heldCallStarted();

    // when it is stopped
    const { stopDate } = await sfn.send(
      new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'not today' }),
    );

    // then it is ABORTED at once, and its history ends there
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(stopDate).toEqual(expect.any(Date));
    expect(execution).toEqual(
      expect.objectContaining({ status: 'ABORTED', error: 'Operator', cause: 'not today' }),
    );
    expect((await history(executionArn)).at(-1)).toEqual(
      expect.objectContaining({
        type: 'ExecutionAborted',
        executionAbortedEventDetails: { error: 'Operator', cause: 'not today' },
      }),
    );
  });

  it("times out an execution that outlives the definition's TimeoutSeconds", async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: slow.arn }),
    );

    await served.service.idle();

    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution).toEqual(
      expect.objectContaining({ status: 'TIMED_OUT', error: 'States.Timeout' }),
    );
    expect((await history(executionArn ?? '')).at(-1)?.type).toBe('ExecutionTimedOut');
  });

  it("lists the stack's state machines and describes them", async () => {
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    const described = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: publishItem.arn }),
    );

    expect(stateMachines?.map((stateMachine) => stateMachine.name)).toEqual([
      'publish-item',
      'slow',
    ]);
    expect(described).toEqual(
      expect.objectContaining({
        stateMachineArn: publishItem.arn,
        name: 'publish-item',
        status: 'ACTIVE',
        definition: publishItem.definition,
        roleArn: publishItem.roleArn,
        type: 'STANDARD',
      }),
    );
  });
});

describe('executions kept in a journal', () => {
  it('survive a new service instance', async () => {
    // given an execution run by a service that keeps a journal
    const journalFile = path.join(directory, 'survive.journal');
    const before = await serve({ journalFile });
    const executionArn = await start('ready-item', 'kept', before.client);
    await before.service.idle();
    await before.close();

    // when a new service starts from the same journal
    const after = await serve({ journalFile });
    try {
      const execution = await after.client.send(new DescribeExecutionCommand({ executionArn }));
      const { events } = await after.client.send(new GetExecutionHistoryCommand({ executionArn }));

      // then the execution, its output and its history are still there
      expect(execution.status).toBe('SUCCEEDED');
      expect(JSON.parse(execution.output ?? '')).toEqual(
        expect.objectContaining({ status: 'published' }),
      );
      expect(events?.at(-1)?.type).toBe('ExecutionSucceeded');
    } finally {
      await after.close();
    }
  });

  it('come back ABORTED when they were left RUNNING by a runtime that was killed', async () => {
    // given a service that journaled a RUNNING execution and never stopped (killed)
    const journalFile = path.join(directory, 'killed.journal');
    const killed = await serve({ journalFile });
    const executionArn = await start('held-item', 'interrupted', killed.client);
    await heldCallStarted();

    // when a new service opens the journal
    const after = new StepFunctionsService({
      stateMachines: [publishItem],
      integrationsFor: () => integrations,
      region: REGION,
      accountId: ACCOUNT,
      log: silentLog,
      journalFile,
    });

    // then the execution is ABORTED, because the local cloud stopped
    expect(after.describeExecution(executionArn)).toEqual(
      expect.objectContaining({
        status: 'ABORTED',
        cause: 'local cloud stopped',
        stopDate: expect.any(Date) as Date,
      }),
    );
    await after.stop();
    await killed.close();
  });

  it('stop() aborts a running execution and persists it as ABORTED', async () => {
    // given a running execution
    const journalFile = path.join(directory, 'stopped.journal');
    const running = await serve({ journalFile });
    const executionArn = await start('held-item', 'cut-short', running.client);
    await heldCallStarted();

    // when the service stops
    await running.service.stop();

    // then the execution ended ABORTED, and a new instance reads the same
    expect(running.service.describeExecution(executionArn)).toEqual(
      expect.objectContaining({ status: 'ABORTED', cause: 'local cloud stopped' }),
    );
    const reloaded = new StepFunctionsService({
      stateMachines: [publishItem],
      integrationsFor: () => integrations,
      region: REGION,
      accountId: ACCOUNT,
      log: silentLog,
      journalFile,
    });
    expect(reloaded.describeExecution(executionArn)?.status).toBe('ABORTED');
    await reloaded.stop();
    await running.close();
  });
});

describe('createTaskIntegrations', () => {
  let dynamo: LocalDynamoDb;
  let invocations: { functionArn: string; payload: unknown }[];
  let answer: { payload: string; functionError?: string };
  let local: ReturnType<typeof createTaskIntegrations>;

  const targets = (): LocalTaskTargets => ({
    invokeFunction: (functionArn, payload) => {
      invocations.push({ functionArn, payload });
      return Promise.resolve(answer);
    },
    awsEndpoint: dynamo.endpoint,
    region: REGION,
    credentials: CREDENTIALS,
  });

  const task = (resource: string, parameters: Json): string =>
    JSON.stringify({
      StartAt: 'Task',
      States: { Task: { Type: 'Task', Resource: resource, Parameters: parameters, End: true } },
    });

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb([ITEMS_TABLE], REGION);
    local = createTaskIntegrations(targets());
  });

  afterAll(async () => {
    local.destroy();
    await dynamo.stop();
  });

  beforeEach(() => {
    invocations = [];
    answer = { payload: '{}' };
  });

  it('updates an item through the DynamoDB integration', async () => {
    // given a draft item
    await local.dynamodb('putItem', {
      TableName: 'items',
      Item: { id: { S: 'lamp' }, status: { S: 'draft' } },
    });

    // when a state machine's updateItem task runs against it
    const result = await runExecution(
      task('arn:aws:states:::dynamodb:updateItem', {
        TableName: 'items',
        Key: { id: { S: 'lamp' } },
        UpdateExpression: 'SET #status = :published',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':published': { S: 'published' } },
        ReturnValues: 'ALL_NEW',
      }),
      {},
      local,
    );

    // then the item is published, and the task's result is the service's answer
    const stored = await local.dynamodb('getItem', {
      TableName: 'items',
      Key: { id: { S: 'lamp' } },
    });
    expect(stored).toEqual(
      expect.objectContaining({ Item: { id: { S: 'lamp' }, status: { S: 'published' } } }),
    );
    expect(result).toEqual({
      status: 'SUCCEEDED',
      output: expect.objectContaining({
        Attributes: { id: { S: 'lamp' }, status: { S: 'published' } },
        SdkHttpMetadata: expect.objectContaining({ HttpStatusCode: 200 }) as object,
      }) as object,
    });
  });

  it('names a DynamoDB error as Step Functions does', async () => {
    const result = await runExecution(
      task('arn:aws:states:::dynamodb:updateItem', {
        TableName: 'items',
        Key: { id: { S: 'absent' } },
        UpdateExpression: 'SET #status = :published',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':published': { S: 'published' } },
      }),
      {},
      local,
    );

    expect(result).toEqual(
      expect.objectContaining({
        status: 'FAILED',
        error: 'DynamoDB.ConditionalCheckFailedException',
        cause: expect.stringContaining('Error Code: ConditionalCheckFailedException') as string,
      }),
    );
  });

  it('invokes a function through lambda:invoke and wraps its answer as Step Functions does', async () => {
    answer = { payload: '{"valid":true}' };

    const result = await runExecution(
      task('arn:aws:states:::lambda:invoke', {
        FunctionName: 'validate-item',
        Payload: { 'itemId.$': '$.itemId' },
      }),
      { itemId: 'lamp' },
      local,
    );

    expect(invocations).toEqual([{ functionArn: VALIDATOR_ARN, payload: { itemId: 'lamp' } }]);
    expect(result.output).toEqual(
      expect.objectContaining({
        Payload: { valid: true },
        StatusCode: 200,
        ExecutedVersion: '$LATEST',
      }),
    );
  });

  it("fails a task with the function's errorType, its error payload as the cause", async () => {
    const payload = JSON.stringify({ errorType: 'ItemLocked', errorMessage: 'try later' });
    answer = { payload, functionError: 'Unhandled' };

    const result = await runExecution(task(VALIDATOR_ARN, { itemId: 'lamp' }), {}, local);

    expect(result).toEqual({ status: 'FAILED', error: 'ItemLocked', cause: payload });
  });
});
