/**
 * Step Functions of the local cloud: runs the stack's state machines with aws-local-stepfunctions
 * (through the workflow runner) and answers the JSON 1.0 protocol on the AWS endpoint, so the
 * app's SFNClient, the AWS CLI and the tests use it as they would use AWS. Executions run in the
 * background; their history is built as they run, each event journaled as it is added (see
 * step-functions-store.ts), so they survive restarts; an execution the runtime was killed in the
 * middle of comes back ABORTED. Inputs and outputs are held to AWS's 256 KiB quota.
 *
 * Limits: EXPRESS machines behave as STANDARD ones (DescribeExecution answers for them too;
 * StartSyncExecution runs them to their end); no activities, callbacks (.waitForTaskToken, so
 * SendTaskSuccess knows no token), .sync integrations, redrive, versions or aliases.
 */
import { validationMessage } from '../aws-error';
import { randomUUID } from 'node:crypto';
import type { LocalLog } from '../../log';
import { TORN_TAIL } from '../../persistence/journal';
import type { StateMachineSpec } from '../../stack/topology';
import type { Json } from '../../json';
import { buffered } from '../edge/edge-service';
import type { AwsRequest, AwsResponse, EdgeService } from '../edge/types';
import { describeStateMachineSpec } from './state-machine-config';
import type { StateMachineControl } from './state-machine-control';
import { ExecutionHistory } from './step-functions-history';
import { checkPayloadField } from './step-functions-limits';
import {
  epochSeconds,
  errorResponse,
  jsonResponse,
  page,
  StepFunctionsError,
} from './step-functions-protocol';
import { ExecutionStore } from './step-functions-store';
import { compileWorkflow, startExecution } from './workflow-runner';
import type {
  ExecutionResult,
  RunningExecution,
  TaskIntegrations,
  Workflow,
} from './workflow-runner';
import type { ExecutionRecord, ExecutionStatus } from './types';

export interface StepFunctionsOptions {
  /** The machines at start; `deploy` and `retire` follow the ones created and deleted later. */
  stateMachines: readonly StateMachineSpec[];
  /** The control plane (CreateStateMachine…); without it, those operations are not emulated. */
  control?: StateMachineControl;
  /** What a machine's tasks call: each machine acts with its own role, as in Step Functions. */
  integrationsFor(machine: StateMachineSpec): TaskIntegrations;
  region: string;
  accountId: string;
  log: LocalLog;
  /** The journal of executions and their events; absent = memory only */
  journalFile?: string;
  /** The JSON snapshot earlier versions wrote: read into a journal still empty, then removed. */
  legacyStateFile?: string;
  /** retry intervals scale (1 = as written; tests use 0) */
  retryIntervalScale?: number;
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

interface Machine {
  spec: StateMachineSpec;
  workflow?: Workflow;
  /** Why the definition cannot run, when it cannot. */
  problem?: string;
}

interface Execution {
  record: ExecutionRecord;
  history: ExecutionHistory;
  running?: RunningExecution;
  /** Settles once the execution ended and is no longer counted as running. */
  done?: Promise<void>;
}

const STOPPED_CAUSE = 'local cloud stopped';
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:\s]+$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:\s]+:[^:\s]+$/;
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

function isValidName(name: string): boolean {
  const control = [...name].some((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });
  return name.length >= 1 && name.length <= 80 && !control && !FORBIDDEN_NAME_CHARACTERS.test(name);
}

type Body = { [key: string]: Json };

function stringField(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== 'string') {
    throw new StepFunctionsError(
      'ValidationException',
      validationMessage(field, null, 'Member must not be null'),
    );
  }
  return value;
}

function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  return typeof value === 'string' ? value : undefined;
}

function checkArn(arn: string, pattern: RegExp): void {
  if (!pattern.test(arn)) throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${arn}'`);
}

function parseExecutionInput(input: string): Json {
  try {
    return JSON.parse(input) as Json;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StepFunctionsError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: '${reason}'`,
    );
  }
}

/** StartExecution is idempotent for a running execution started with the same input. */
function startedBefore(existing: Execution, input: string): Date {
  const { record } = existing;
  if (record.status === 'RUNNING' && record.input === input) return new Date(record.startDate);
  throw new StepFunctionsError(
    'ExecutionAlreadyExists',
    `Execution Already Exists: '${record.executionArn}'`,
  );
}

/** No task tokens are handed out (.waitForTaskToken is not emulated), so none is valid. */
function sendTaskSuccess(body: Body): never {
  const taskToken = stringField(body, 'taskToken');
  checkPayloadField('output', stringField(body, 'output'));
  throw new StepFunctionsError(
    'InvalidToken',
    `Invalid Token: '${taskToken}' (the local cloud hands out no task tokens: .waitForTaskToken is not emulated)`,
  );
}

export class StepFunctionsService implements EdgeService {
  readonly signingName = 'states';
  readonly handle: EdgeService['handle'];

  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly running = new Set<Execution>();
  private readonly creationDate = Date.now();
  private store: ExecutionStore | undefined;
  private stopped = false;

  constructor(private readonly options: StepFunctionsOptions) {
    for (const spec of options.stateMachines) this.deploy(spec);
    this.restore();
    this.handle = buffered(this.signingName, (request) => this.answer(request));
  }

  /** A machine created or changed: its next executions run this spec (running ones go on). */
  deploy(spec: StateMachineSpec): void {
    const machine: Machine = { spec };
    try {
      machine.workflow = compileWorkflow(spec.definition);
    } catch (error) {
      machine.problem = error instanceof Error ? error.message : String(error);
      this.options.log.write('error', 'states', `${spec.name} cannot run: ${machine.problem}`);
    }
    this.machines.set(spec.arn, machine);
  }

  /** A machine deleted: no new execution starts; those running end, and stay describable. */
  retire(stateMachineArn: string): void {
    this.machines.delete(stateMachineArn);
  }

  startExecution(
    stateMachineArn: string,
    input = '{}',
    name: string = randomUUID(),
  ): { executionArn: string; startDate: Date } {
    const { machine, parsedInput } = this.startable(stateMachineArn, input, name);
    const { spec } = machine;
    const executionArn = `${spec.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) return { executionArn, startDate: startedBefore(existing, input) };
    const execution = this.begin(spec, executionArn, name, input);
    this.options.log.write('info', 'states', `${spec.name} ${name} started`);
    this.launch(execution, machine, parsedInput);
    return { executionArn, startDate: new Date(execution.record.startDate) };
  }

  describeExecution(executionArn: string): ExecutionDescription | undefined {
    const record = this.executions.get(executionArn)?.record;
    if (!record) return undefined;
    const { events: _events, startDate, stopDate, ...rest } = record;
    return {
      ...rest,
      startDate: new Date(startDate),
      ...(stopDate !== undefined ? { stopDate: new Date(stopDate) } : {}),
    };
  }

  /** resolves when no execution is running */
  async idle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running].map((execution) => execution.done ?? Promise.resolve()));
    }
  }

  /** stops accepting; running executions are recorded as ABORTED (cause: local cloud stopped) */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const execution of this.running) {
      this.abort(execution, { status: 'ABORTED', cause: STOPPED_CAUSE });
    }
    await this.idle();
    this.store?.close();
  }

  /** A new history, each event of which goes to the journal as it is added. */
  private history(executionArn: string, events: ExecutionRecord['events'] = []): ExecutionHistory {
    return new ExecutionHistory(this.options.region, events, (event) =>
      this.store?.event(executionArn, event),
    );
  }

  /** StartExecution's checks, in the order AWS makes them; the machine and the parsed input. */
  private startable(
    stateMachineArn: string,
    input: string,
    name: string,
  ): { machine: Machine; parsedInput: Json } {
    if (this.stopped) {
      throw new StepFunctionsError('ServiceUnavailable', 'The local cloud is stopping', 503);
    }
    checkPayloadField('input', input);
    const machine = this.machine(stateMachineArn);
    if (!isValidName(name)) throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
    return { machine, parsedInput: parseExecutionInput(input) };
  }

  /** A new execution, journaled before it is acknowledged: the start, then its first event. */
  private begin(
    spec: StateMachineSpec,
    executionArn: string,
    name: string,
    input: string,
  ): Execution {
    const history = this.history(executionArn);
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: spec.arn,
      name,
      status: 'RUNNING',
      startDate: Date.now(),
      input,
      events: history.events,
    };
    const execution: Execution = { record, history };
    this.store?.started(record);
    history.started(input, spec.roleArn, record.startDate);
    this.executions.set(executionArn, execution);
    return execution;
  }

  private launch(execution: Execution, machine: Machine, input: Json): void {
    const { record, history } = execution;
    if (!machine.workflow) {
      this.conclude(execution, {
        status: 'FAILED',
        error: 'States.Runtime',
        cause: machine.problem ?? 'The definition cannot run',
      });
      return;
    }
    const running = startExecution(
      machine.workflow,
      input,
      this.options.integrationsFor(machine.spec),
      {
        execution: {
          arn: record.executionArn,
          name: record.name,
          startTime: new Date(record.startDate),
          roleArn: machine.spec.roleArn,
          stateMachineArn: machine.spec.arn,
          stateMachineName: machine.spec.name,
        },
        retryIntervalScale: this.options.retryIntervalScale ?? 1,
        observer: history.observer(),
      },
    );
    execution.running = running;
    this.running.add(execution);
    execution.done = running.result.then((result) => {
      this.conclude(execution, result);
      this.running.delete(execution);
    });
  }

  /** Records the end of an execution, once: a later outcome (the aborted run settling) is moot. */
  private conclude(execution: Execution, result: ExecutionResult): void {
    const { record, history } = execution;
    if (record.status !== 'RUNNING') return;
    const stopDate = Date.now();
    history.finished(result, stopDate);
    record.status = result.status;
    record.stopDate = stopDate;
    if (result.status === 'SUCCEEDED') record.output = JSON.stringify(result.output ?? null);
    if (result.error !== undefined) record.error = result.error;
    if (result.cause !== undefined) record.cause = result.cause;
    const machineName = record.stateMachineArn.split(':').pop() ?? '';
    const what = `${machineName} ${record.name} ${result.status}`;
    if (result.status === 'FAILED' || result.status === 'TIMED_OUT') {
      this.options.log.write(
        'warn',
        'states',
        `${what}: ${result.error ?? ''} ${result.cause ?? ''}`,
      );
    } else {
      this.options.log.write('info', 'states', what);
    }
  }

  private abort(execution: Execution, result: ExecutionResult & { status: 'ABORTED' }): void {
    this.conclude(execution, result);
    execution.running?.abort();
  }

  private restore(): void {
    const { journalFile, legacyStateFile, log } = this.options;
    if (!journalFile) return;
    const { store, executions, repaired } = ExecutionStore.open(journalFile, legacyStateFile);
    if (repaired) log.write('warn', 'states', `${journalFile}: ${TORN_TAIL}`);
    this.store = store;
    for (const record of executions) {
      const execution: Execution = {
        record,
        history: this.history(record.executionArn, record.events),
      };
      this.executions.set(record.executionArn, execution);
      // The runtime that ran it was killed: nothing will ever finish it.
      if (record.status === 'RUNNING') {
        this.conclude(execution, { status: 'ABORTED', cause: STOPPED_CAUSE });
      }
    }
    // Every execution is finished now: one record each from here on.
    if (executions.length > 0) store.compact(executions);
  }

  // ----- the JSON 1.0 protocol ------------------------------------------------------------------

  private async answer(request: AwsRequest): Promise<AwsResponse> {
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = /^AWSStepFunctions\.(\w+)$/.exec(target)?.[1];
      if (request.method !== 'POST' || !operation) {
        throw new StepFunctionsError(
          'UnknownOperationException',
          `Unknown operation ${target || request.method}`,
        );
      }
      let body: Body;
      try {
        const text = request.body.toString('utf8');
        const parsed = (text.trim() === '' ? {} : JSON.parse(text)) as Json;
        body =
          typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
      } catch {
        throw new StepFunctionsError('SerializationException', 'The request body is not JSON');
      }
      return jsonResponse(await Promise.resolve(this.operation(operation, body)));
    } catch (error) {
      if (error instanceof StepFunctionsError) return errorResponse(error);
      throw error;
    }
  }

  /** One operation of the JSON 1.0 protocol; what the service does not emulate is said so. */
  private operation(name: string, body: Body): unknown {
    switch (name) {
      case 'StartExecution':
        return this.startFromWire(body);
      case 'StartSyncExecution':
        return this.startSyncExecution(body);
      case 'SendTaskSuccess':
        return sendTaskSuccess(body);
      case 'DescribeExecution':
        return this.describeForWire(this.execution(stringField(body, 'executionArn')).record);
      case 'GetExecutionHistory':
        return this.executionHistory(body);
      case 'ListExecutions':
        return this.listExecutions(body);
      case 'StopExecution':
        return this.stopExecution(body);
      case 'ListStateMachines':
        return this.listStateMachines(body);
      case 'DescribeStateMachine':
        return this.describeStateMachine(body);
      case 'DescribeStateMachineForExecution':
        return this.describeStateMachineForExecution(body);
      default:
        return this.controlOperation(name, body);
    }
  }

  private controlOperation(name: string, body: Body): unknown {
    const answer = this.options.control?.operation(name, body);
    if (answer === undefined) {
      throw new StepFunctionsError(
        'UnknownOperationException',
        `The local cloud does not emulate Step Functions' ${name}`,
      );
    }
    return answer;
  }

  /** StartExecution on the wire: the start date in epoch seconds. */
  private startFromWire(body: Body): unknown {
    const { executionArn, startDate } = this.startExecution(
      stringField(body, 'stateMachineArn'),
      optionalString(body, 'input'),
      optionalString(body, 'name'),
    );
    return { executionArn, startDate: epochSeconds(startDate.getTime()) };
  }

  /** Oldest event first unless reverseOrder, a page at a time. */
  private executionHistory(body: Body): unknown {
    const { history } = this.execution(stringField(body, 'executionArn'));
    const events = body.reverseOrder === true ? [...history.events].reverse() : history.events;
    const { items, nextToken } = page(events, body.maxResults, body.nextToken);
    return { events: items, ...(nextToken ? { nextToken } : {}) };
  }

  /** The stop date recorded: an execution that had already ended keeps its own. */
  private stopExecution(body: Body): unknown {
    const execution = this.execution(stringField(body, 'executionArn'));
    const error = optionalString(body, 'error');
    const cause = optionalString(body, 'cause');
    this.abort(execution, {
      status: 'ABORTED',
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
    return { stopDate: epochSeconds(execution.record.stopDate ?? Date.now()) };
  }

  /** Every machine, by name, a page at a time; the stack's were created when the service started. */
  private listStateMachines(body: Body): unknown {
    const machines = [...this.machines.values()]
      .map(({ spec }) => ({
        stateMachineArn: spec.arn,
        name: spec.name,
        type: spec.type,
        creationDate: epochSeconds(spec.creationDate ?? this.creationDate),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { items, nextToken } = page(machines, body.maxResults, body.nextToken);
    return { stateMachines: items, ...(nextToken ? { nextToken } : {}) };
  }

  /** Every machine is ACTIVE: a deleted one is gone at once. */
  private describeStateMachine(body: Body): unknown {
    const { spec } = this.machine(stringField(body, 'stateMachineArn'));
    return describeStateMachineSpec(spec, this.creationDate);
  }

  /** The definition an execution ran: the machine has no versions, so its current one. */
  private describeStateMachineForExecution(body: Body): unknown {
    const { record } = this.execution(stringField(body, 'executionArn'));
    const { spec } = this.machine(record.stateMachineArn);
    return {
      stateMachineArn: spec.arn,
      name: spec.name,
      definition: spec.definition,
      roleArn: spec.roleArn,
      updateDate: epochSeconds(spec.creationDate ?? this.creationDate),
    };
  }

  /** An EXPRESS machine's execution, run to its end before the answer, as AWS does. */
  private async startSyncExecution(body: Body): Promise<Record<string, Json>> {
    const input = optionalString(body, 'input');
    checkPayloadField('input', input);
    const { spec } = this.machine(stringField(body, 'stateMachineArn'));
    if (spec.type !== 'EXPRESS') {
      throw new StepFunctionsError(
        'StateMachineTypeNotSupported',
        'This operation is not supported by this type of state machine',
      );
    }
    const { executionArn } = this.startExecution(spec.arn, input, optionalString(body, 'name'));
    const execution = this.execution(executionArn);
    await execution.done;
    const { record } = execution;
    const stopDate = record.stopDate ?? Date.now();
    return {
      executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      startDate: epochSeconds(record.startDate),
      stopDate: epochSeconds(stopDate),
      status: record.status,
      input: record.input,
      inputDetails: { included: true },
      ...(record.output !== undefined
        ? { output: record.output, outputDetails: { included: true } }
        : {}),
      ...(record.error !== undefined ? { error: record.error } : {}),
      ...(record.cause !== undefined ? { cause: record.cause } : {}),
      billingDetails: {
        billedMemoryUsedInMB: 64,
        billedDurationInMilliseconds: Math.max(
          100,
          Math.ceil((stopDate - record.startDate) / 100) * 100,
        ),
      },
    };
  }

  private execution(executionArn: string): Execution {
    checkArn(executionArn, EXECUTION_ARN);
    const execution = this.executions.get(executionArn);
    if (!execution) {
      throw new StepFunctionsError(
        'ExecutionDoesNotExist',
        `Execution Does Not Exist: '${executionArn}'`,
      );
    }
    return execution;
  }

  private machine(stateMachineArn: string): Machine {
    checkArn(stateMachineArn, STATE_MACHINE_ARN);
    const machine = this.machines.get(stateMachineArn);
    if (!machine) {
      throw new StepFunctionsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    return machine;
  }

  private describeForWire(record: ExecutionRecord): Record<string, Json> {
    const { events: _events, startDate, stopDate, output, ...rest } = record;
    return {
      ...rest,
      startDate: epochSeconds(startDate),
      ...(stopDate !== undefined ? { stopDate: epochSeconds(stopDate) } : {}),
      inputDetails: { included: true },
      ...(output !== undefined ? { output, outputDetails: { included: true } } : {}),
    };
  }

  private listExecutions(body: Body): unknown {
    const { spec } = this.machine(stringField(body, 'stateMachineArn'));
    const status = optionalString(body, 'statusFilter');
    const executions = [...this.executions.values()]
      .map(({ record }) => record)
      .filter((record) => record.stateMachineArn === spec.arn)
      .filter((record) => status === undefined || record.status === status)
      .sort((a, b) => b.startDate - a.startDate)
      .map((record) => ({
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: epochSeconds(record.startDate),
        ...(record.stopDate !== undefined ? { stopDate: epochSeconds(record.stopDate) } : {}),
      }));
    const { items, nextToken } = page(executions, body.maxResults, body.nextToken);
    return { executions: items, ...(nextToken ? { nextToken } : {}) };
  }
}
