/**
 * Runs an ASL definition with aws-local-stepfunctions, the way Step Functions would: every Task
 * state's Resource is dispatched to an integration (a Lambda function by ARN, the optimized
 * `lambda:invoke`, the DynamoDB and SNS service integrations), found by walking the definition,
 * Parallel branches and Map processors included, because the library keys its task overrides by
 * state NAME. Errors are named as Step Functions names them, so Retry and Catch match. A task's
 * input or output, or a state's output, over the 256 KiB quota fails the execution with
 * States.DataLimitExceeded, as in Step Functions.
 */
import { randomUUID } from 'node:crypto';
import {
  ExecutionAbortedError,
  ExecutionTimeoutError,
  StateMachine,
} from 'aws-local-stepfunctions';
import type { RunOptions } from 'aws-local-stepfunctions';
import { LOCAL_ACCOUNT_ID } from '../../stack/topology';
import type { Json } from '../../json';
import { dataLimitExceededCause, MAX_PAYLOAD_BYTES, payloadBytes } from './step-functions-limits';
import { isObject } from '../../json';

type StateMachineDefinition = ConstructorParameters<typeof StateMachine>[0];
type LibraryExecution = ReturnType<StateMachine['run']>;

/** One entry of the library's event log: ExecutionStarted, StateEntered, StateRetried… */
export type WorkflowEvent =
  LibraryExecution['eventLogs'] extends AsyncGenerator<infer Event> ? Event : never;

// aws-local-stepfunctions targets Node 22; Node 20 lacks Promise.withResolvers.
if (!('withResolvers' in Promise)) {
  Object.defineProperty(Promise, 'withResolvers', {
    value: <T>() => {
      let resolve!: (value: T) => void;
      let reject!: (reason: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export interface TaskIntegrations {
  /**
   * A Lambda function invoked synchronously (by ARN; by name or partial ARN when it comes from
   * `lambda:invoke`'s FunctionName); a thrown error becomes the task's error.
   */
  lambda(functionArn: string, payload: Json): Promise<Json>;
  /** arn:aws:states:::dynamodb:<action>, with DynamoDB-JSON parameters. */
  dynamodb(action: string, parameters: Json): Promise<Json>;
  /** arn:aws:states:::sns:<action>. */
  sns(action: string, parameters: Json): Promise<Json>;
}

/** An error carrying the name Step Functions gives it (`DynamoDB.ConditionalCheckFailedException`…). */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/**
 * An error neither Retry nor Catch may take, as States.Runtime is: the library reads these two
 * flags off any error.
 */
class UncatchableError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(message: string) {
    super(message);
    this.name = 'States.Runtime';
  }
}

const DATA_LIMIT_EXCEEDED = 'States.DataLimitExceeded';

/** States.DataLimitExceeded is terminal: no Retry or Catch takes it, not even States.ALL. */
class DataLimitExceededError extends TaskError {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(stateOrTask: string) {
    super(DATA_LIMIT_EXCEEDED, dataLimitExceededCause(stateOrTask));
  }
}

const overQuota = (value: Json): boolean => payloadBytes(value) > MAX_PAYLOAD_BYTES;

interface StateDefinition {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Retry?: { IntervalSeconds?: number }[];
  Branches?: { States: Record<string, StateDefinition> }[];
  ItemProcessor?: { States: Record<string, StateDefinition> };
  Iterator?: { States: Record<string, StateDefinition> };
}

function* allStates(states: Record<string, StateDefinition>): Generator<[string, StateDefinition]> {
  for (const [name, state] of Object.entries(states)) {
    yield [name, state];
    for (const branch of state.Branches ?? []) yield* allStates(branch.States);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) yield* allStates(processor.States);
  }
}

/** A Task state about to call its integration, as an ExecutionObserver sees it. */
export interface TaskCall {
  /** The Task state's name. */
  state: string;
  resource: string;
  /** The effective input, after InputPath and Parameters. */
  input: Json;
  /** The state's TimeoutSeconds (the library's default is 60). */
  timeoutSeconds: number;
}

export type TaskOutcome = { output: Json } | { error: TaskError };

/** Watches an execution, to build its history. */
export interface ExecutionObserver {
  /** Every event of the library's event log, in the order the library logged them. */
  onEvent(event: WorkflowEvent): void;
  /** Awaited before a task calls its integration (a retry calls it again). */
  beforeTask(task: TaskCall): Promise<void> | void;
  afterTask(task: TaskCall, outcome: TaskOutcome): void;
}

/** A parsed, validated definition, ready to run any number of times. */
export interface Workflow {
  readonly definition: StateMachineDefinition;
  readonly machine: StateMachine;
  /** Task states by name, with their Resource and TimeoutSeconds. */
  readonly tasks: ReadonlyMap<string, { resource: string; timeoutSeconds: number }>;
  /** IntervalSeconds of every retrier, by state name. */
  readonly retryIntervals: ReadonlyMap<string, number[]>;
}

/** Throws when the definition is not JSON or not valid ASL (the library validates it). */
export function compileWorkflow(definition: string): Workflow {
  const parsed = JSON.parse(definition) as StateMachineDefinition & {
    States: Record<string, StateDefinition>;
  };
  const machine = new StateMachine(parsed);
  const tasks = new Map<string, { resource: string; timeoutSeconds: number }>();
  const retryIntervals = new Map<string, number[]>();
  for (const [name, state] of allStates(parsed.States)) {
    if (state.Type === 'Task') {
      tasks.set(name, {
        resource: state.Resource ?? '',
        timeoutSeconds: state.TimeoutSeconds ?? 60,
      });
    }
    if (state.Retry)
      retryIntervals.set(
        name,
        state.Retry.map((retrier) => retrier.IntervalSeconds ?? 1),
      );
  }
  return { definition: parsed, machine, tasks, retryIntervals };
}

/** A service integration's error, named `<Service>.<Exception>` unless it is already. */
function serviceError(prefix: string, error: unknown): TaskError {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (failure instanceof TaskError && /^(States\.|[A-Za-z]+\.)/.test(failure.name)) return failure;
  return new TaskError(`${prefix}${failure.name}`, failure.message);
}

/** A function's own error reaches the state machine as its type, with a JSON cause. */
function functionError(error: unknown): TaskError {
  if (error instanceof TaskError) return error;
  const failure = error instanceof Error ? error : new Error(String(error));
  return new TaskError(
    failure.name,
    JSON.stringify({ errorType: failure.name, errorMessage: failure.message }),
  );
}

/** What the optimized integration answers around the function's own result. */
/** The HTTP metadata Step Functions adds to an optimized integration's result. */
export function sdkMetadata(
  headers: Record<string, string>,
  requestId: string,
): { [key: string]: Json } {
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [name, [value]]),
      ),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

function invokeResult(payload: Json): Json {
  const requestId = randomUUID();
  const headers = {
    'Content-Type': 'application/json',
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-RequestId': requestId,
  };
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    ...sdkMetadata(headers, requestId),
    StatusCode: 200,
  };
}

type Integration = (input: Json) => Promise<Json>;

function integrationFor(resource: string, integrations: TaskIntegrations): Integration | undefined {
  if (resource === 'arn:aws:states:::lambda:invoke') {
    return async (input) => {
      const parameters = isObject(input) ? input : {};
      const { FunctionName: name, Qualifier: qualifier, Payload: payload } = parameters;
      if (typeof name !== 'string') {
        throw new TaskError(
          'Lambda.InvalidParameterValueException',
          'lambda:invoke needs a FunctionName parameter',
        );
      }
      const target = typeof qualifier === 'string' ? `${name}:${qualifier}` : name;
      try {
        return invokeResult(await integrations.lambda(target, payload ?? {}));
      } catch (error) {
        throw functionError(error);
      }
    };
  }
  const service = /^arn:aws:states:::(dynamodb|sns):([A-Za-z]+)$/.exec(resource);
  if (service) {
    const [, name, action] = service as unknown as [string, 'dynamodb' | 'sns', string];
    const prefix = name === 'dynamodb' ? 'DynamoDB.' : 'SNS.';
    return (input) =>
      integrations[name](action, input).catch((error: unknown) => {
        throw serviceError(prefix, error);
      });
  }
  if (/^arn:aws:lambda:/.test(resource)) {
    return (input) =>
      integrations.lambda(resource, input).catch((error: unknown) => {
        throw functionError(error);
      });
  }
  return undefined;
}

export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: Json;
  error?: string;
  cause?: string;
}

export interface ExecutionOptions {
  /** The context object's Execution and StateMachine; a random execution by default. */
  execution?: {
    arn: string;
    name: string;
    startTime: Date;
    roleArn?: string;
    stateMachineArn?: string;
    stateMachineName?: string;
  };
  /** Scales the retriers' intervals: 1 (default) waits as written, 0 retries at once. */
  retryIntervalScale?: number;
  observer?: ExecutionObserver;
}

export interface RunningExecution {
  /** Settles once the execution ended and the observer saw its last event; never rejects. */
  readonly result: Promise<ExecutionResult>;
  /** Stops the execution: the result becomes ABORTED, tasks in flight are abandoned. */
  abort(): void;
}

/**
 * The library's overrides replace a retrier's computed wait (backoff and jitter included) by a
 * fixed one, so any scale but 1 retries at the scaled IntervalSeconds, without backoff.
 */
function retryOverrides(workflow: Workflow, scale: number): Record<string, number[]> | undefined {
  if (scale === 1) return undefined;
  return Object.fromEntries(
    [...workflow.retryIntervals].map(([state, intervals]) => [
      state,
      intervals.map((seconds) => seconds * 1000 * scale),
    ]),
  );
}

function outcomeOf(error: unknown): ExecutionResult {
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof ExecutionTimeoutError) {
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution timed out' };
  }
  // The Fail state's (or the uncaught task's) error and cause, as DescribeExecution reports them.
  const failure = error as { cause?: { name?: string; message?: string } } & Error;
  return {
    status: 'FAILED',
    error: failure.cause?.name ?? failure.name,
    cause: failure.cause?.message ?? failure.message,
  };
}

/**
 * Hands the library's events to the observer; a state whose output is over the quota is reported
 * once, and nothing after it reaches the observer (the execution ends there).
 */
async function forward(
  events: AsyncGenerator<WorkflowEvent>,
  observer: ExecutionObserver | undefined,
  onOverQuota: (state: string) => void,
): Promise<void> {
  let ended = false;
  for await (const event of events) {
    if (ended) continue;
    if (event.type === 'StateExited' && overQuota(event.state.output as Json)) {
      ended = true;
      onOverQuota(event.state.name);
      continue;
    }
    observer?.onEvent(event);
  }
}

/** What every task handler of one execution shares. */
interface ExecutionScope {
  integrations: TaskIntegrations;
  observer: ExecutionObserver | undefined;
  /** Rejects once the execution ended, so that tasks in flight stop holding it. */
  interrupted: Promise<never>;
}

/** Starts an execution in the background. */
export function startExecution(
  workflow: Workflow,
  input: Json,
  integrations: TaskIntegrations,
  options: ExecutionOptions = {},
): RunningExecution {
  const { observer } = options;
  // Tasks in flight when the execution ends (aborted, timed out) must not hold it: the library
  // keeps a task's timeout timer until the task settles.
  const ended = new AbortController();
  const scope: ExecutionScope = { integrations, observer, interrupted: interruptedBy(ended) };
  const handlers = taskHandlers(workflow, scope);
  const running = workflow.machine.run(input, runOptionsOf(workflow, input, handlers, options));
  const stop = (): void => {
    running.abort();
    ended.abort();
  };
  // The library has no hook between a state and the next: a state's output is checked as its
  // event comes through, and the execution stopped there. (With an observer, a task waits for the
  // log to catch up before it calls out, so no task runs after an oversized state.)
  const oversized: { state?: string } = {};
  const logged = forward(running.eventLogs, observer, (state) => {
    oversized.state = state;
    stop();
  });
  return { result: settled(running, ended, logged, oversized), abort: stop };
}

/** A promise that rejects, uncatchably, when the execution ends (and is never unhandled). */
function interruptedBy(ended: AbortController): Promise<never> {
  const interrupted = new Promise<never>((_, reject) => {
    ended.signal.addEventListener('abort', () =>
      reject(new UncatchableError('The execution ended while the task was running')),
    );
  });
  interrupted.catch(() => undefined);
  return interrupted;
}

/** The library's task overrides, keyed by state name as it looks them up. */
function taskHandlers(
  workflow: Workflow,
  scope: ExecutionScope,
): Record<string, (input: Json) => Promise<Json>> {
  return Object.fromEntries(
    [...workflow.tasks].map(([state, { resource, timeoutSeconds }]) => [
      state,
      taskHandler(scope, state, resource, timeoutSeconds),
    ]),
  );
}

/**
 * A Task state's call to its integration, held to the quota on both sides and shown to the
 * observer; the execution's end is no task outcome, so the observer does not see it.
 */
function taskHandler(
  scope: ExecutionScope,
  state: string,
  resource: string,
  timeoutSeconds: number,
): (input: Json) => Promise<Json> {
  const { observer, interrupted } = scope;
  const integration = integrationFor(resource, scope.integrations);
  return async (input: Json): Promise<Json> => {
    if (!integration) {
      throw new UncatchableError(`The local cloud has no integration for ${resource}`);
    }
    // The state's input after Parameters is held to the quota before the task is scheduled.
    if (overQuota(input)) throw new DataLimitExceededError(state);
    const task: TaskCall = { state, resource, input, timeoutSeconds };
    await Promise.race([observer?.beforeTask(task), interrupted]);
    let output: Json;
    try {
      output = await Promise.race([integration(input), interrupted]);
      if (overQuota(output)) throw new DataLimitExceededError(resource);
    } catch (error) {
      if (!(error instanceof UncatchableError)) {
        observer?.afterTask(task, { error: error as TaskError });
      }
      throw error;
    }
    observer?.afterTask(task, { output });
    return output;
  };
}

/** The library's options: the task handlers, the scaled retries and the context object. */
function runOptionsOf(
  workflow: Workflow,
  input: Json,
  handlers: Record<string, (input: Json) => Promise<Json>>,
  options: ExecutionOptions,
): RunOptions {
  const execution = executionOf(options);
  const retryIntervalOverrides = retryOverrides(workflow, options.retryIntervalScale ?? 1);
  return {
    overrides: {
      taskResourceLocalHandlers: handlers,
      ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
    },
    // The library overwrites Execution.StartTime and Input as it starts (milliseconds later);
    // it has no $$.State.
    context: {
      Execution: {
        Id: execution.arn,
        Name: execution.name,
        StartTime: execution.startTime.toISOString(),
        Input: input,
        ...(execution.roleArn ? { RoleArn: execution.roleArn } : {}),
      },
      ...(execution.stateMachineArn
        ? { StateMachine: { Id: execution.stateMachineArn, Name: execution.stateMachineName } }
        : {}),
    },
  };
}

/** The execution the context object names: the caller's, or a random local one. */
function executionOf(options: ExecutionOptions): NonNullable<ExecutionOptions['execution']> {
  const name = options.execution?.name ?? randomUUID();
  return (
    options.execution ?? {
      arn: `arn:aws:states:us-east-1:${LOCAL_ACCOUNT_ID}:execution:local:${name}`,
      name,
      startTime: new Date(),
    }
  );
}

/**
 * The execution's result once it ended and the observer saw its last event; a state over the
 * quota fails it with States.DataLimitExceeded, whatever the library made of the abort.
 */
function settled(
  running: LibraryExecution,
  ended: AbortController,
  logged: Promise<void>,
  oversized: { state?: string },
): Promise<ExecutionResult> {
  return running.result
    .then((output): ExecutionResult => ({ status: 'SUCCEEDED', output }), outcomeOf)
    .then(async (outcome): Promise<ExecutionResult> => {
      ended.abort();
      await logged;
      if (oversized.state === undefined) return outcome;
      return {
        status: 'FAILED',
        error: DATA_LIMIT_EXCEEDED,
        cause: dataLimitExceededCause(oversized.state),
      };
    });
}

/** Runs an execution to its end. */
export function runExecution(
  definition: string,
  input: Json,
  integrations: TaskIntegrations,
  options: ExecutionOptions = {},
): Promise<ExecutionResult> {
  return startExecution(compileWorkflow(definition), input, integrations, options).result;
}
