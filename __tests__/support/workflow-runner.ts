/**
 * Runs an ASL definition with aws-local-stepfunctions, the way Step Functions would: every Task
 * state's Resource is dispatched to an integration (a Lambda function by ARN, the DynamoDB and
 * SNS service integrations), found by walking the definition, Parallel branches and Map
 * processors included. Errors are named as Step Functions names them, so Retry and Catch match.
 */
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type StateMachineDefinition = ConstructorParameters<typeof StateMachine>[0];

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
  /** A Lambda function invoked synchronously; a thrown error becomes the task's error. */
  lambda(functionArn: string, payload: Json): Promise<Json>;
  /** arn:aws:states:::dynamodb:<action>, with DynamoDB-JSON parameters. */
  dynamodb(action: string, parameters: Json): Promise<Json>;
  /** arn:aws:states:::sns:<action>. */
  sns(action: string, parameters: Json): Promise<Json>;
}

interface StateDefinition {
  Type: string;
  Resource?: string;
  Branches?: { States: Record<string, StateDefinition> }[];
  ItemProcessor?: { States: Record<string, StateDefinition> };
  Iterator?: { States: Record<string, StateDefinition> };
}

function* taskStates(
  states: Record<string, StateDefinition>,
): Generator<[string, StateDefinition]> {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') yield [name, state];
    for (const branch of state.Branches ?? []) yield* taskStates(branch.States);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) yield* taskStates(processor.States);
  }
}

/** An error carrying the name Step Functions gives it (`DynamoDB.ConditionalCheckFailedException`…). */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

function rename(prefix: string, error: unknown): TaskError {
  const failure = error instanceof Error ? error : new Error(String(error));
  return new TaskError(`${prefix}${failure.name}`, failure.message);
}

function taskHandler(resource: string, integrations: TaskIntegrations) {
  const service = /^arn:aws:states:::(dynamodb|sns):([A-Za-z]+)$/.exec(resource);
  if (service) {
    const [, name, action] = service as unknown as [string, 'dynamodb' | 'sns', string];
    const prefix = name === 'dynamodb' ? 'DynamoDB.' : 'SNS.';
    return (input: Json): Promise<Json> =>
      integrations[name](action, input).catch((error: unknown) => {
        throw rename(prefix, error);
      });
  }
  if (/^arn:aws:lambda:/.test(resource)) {
    return (input: Json): Promise<Json> =>
      integrations.lambda(resource, input).catch((error: unknown) => {
        // A function's own error reaches the state machine as its type, with a JSON cause.
        const failure = error instanceof Error ? error : new Error(String(error));
        throw new TaskError(
          failure.name,
          JSON.stringify({ errorType: failure.name, errorMessage: failure.message }),
        );
      });
  }
  throw new Error(`No local integration for Task resource ${resource}`);
}

export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED';
  output?: Json;
  error?: string;
  cause?: string;
}

export async function runExecution(
  definition: string,
  input: Json,
  integrations: TaskIntegrations,
): Promise<ExecutionResult> {
  const parsed = JSON.parse(definition) as StateMachineDefinition & {
    States: Record<string, StateDefinition>;
  };
  const handlers = Object.fromEntries(
    [...taskStates(parsed.States)].map(([name, state]) => [
      name,
      taskHandler(state.Resource ?? '', integrations),
    ]),
  );
  const name = randomUUID();
  const retryIntervalOverrides = Object.fromEntries(
    Object.keys(handlers).map((state) => [state, 0]),
  );
  const execution = new StateMachine(parsed).run(input, {
    overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides },
    context: {
      Execution: {
        Id: `arn:aws:states:eu-west-1:123456789012:execution:publish-item:${name}`,
        Name: name,
        StartTime: new Date().toISOString(),
        Input: input,
      },
    },
  });
  try {
    return { status: 'SUCCEEDED', output: await execution.result };
  } catch (error) {
    // The Fail state's error and cause, as DescribeExecution would report them.
    const failure = error as { cause?: { name?: string; message?: string } } & Error;
    return {
      status: 'FAILED',
      error: failure.cause?.name ?? failure.name,
      cause: failure.cause?.message ?? failure.message,
    };
  }
}
