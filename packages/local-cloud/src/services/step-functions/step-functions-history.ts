/**
 * The history of an execution, as GetExecutionHistory answers it, built from two sources: the
 * library's event log (states entered and exited, retries, Map iterations) and the runner's hooks
 * around each task (scheduled, started, succeeded, failed). The log is read asynchronously, so a
 * task waits until the log has caught up with the state it belongs to before it is scheduled:
 * that keeps `TaskStateEntered` before `TaskScheduled` without guessing from timestamps.
 */
import type { Json } from '../../json';
import type {
  ExecutionObserver,
  ExecutionResult,
  TaskCall,
  TaskOutcome,
  WorkflowEvent,
} from './workflow-runner';
import type { HistoryEvent } from './types';

const TERMINAL = new Set([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
]);

const data = (value: unknown): string => JSON.stringify(value ?? null);
const included = { truncated: false };

/** `arn:aws:states:::dynamodb:updateItem` → dynamodb / updateItem; a function ARN → undefined. */
function serviceTask(resource: string): { resourceType: string; resource: string } | undefined {
  const match = /^arn:aws:states:::([a-z0-9-]+):(.+)$/.exec(resource);
  return match ? { resourceType: match[1] ?? '', resource: match[2] ?? '' } : undefined;
}

export class ExecutionHistory {
  readonly events: HistoryEvent[];
  /** State name → how many times the log showed it entered or retried / tasks called. */
  private readonly entries = new Map<string, number>();
  private readonly calls = new Map<string, number>();
  private waiters: { state: string; count: number; resolve: () => void }[] = [];
  /** Tasks scheduled and not yet ended, oldest first. */
  private readonly inFlight: TaskCall[] = [];

  constructor(
    private readonly region: string,
    events: HistoryEvent[] = [],
    /** Called with each event as it is added (the store appends it to its journal). */
    private readonly onAdd: (event: HistoryEvent) => void = () => undefined,
  ) {
    this.events = events;
  }

  get closed(): boolean {
    const last = this.events[this.events.length - 1];
    return last !== undefined && TERMINAL.has(last.type);
  }

  add(
    type: string,
    detailsKey?: string,
    details?: { [key: string]: Json },
    at: number = Date.now(),
  ): void {
    if (this.closed) return;
    const id = this.events.length + 1;
    const event: HistoryEvent = { timestamp: at / 1000, type, id, previousEventId: id - 1 };
    if (detailsKey && details) event[detailsKey as `${string}EventDetails`] = details;
    this.onAdd(event);
    this.events.push(event);
  }

  /** The execution's first event, at `at` (epoch ms: its start date). */
  started(input: string, roleArn: string, at: number): void {
    this.add(
      'ExecutionStarted',
      'executionStartedEventDetails',
      { input, inputDetails: included, roleArn },
      at,
    );
  }

  /** The execution's last event, at `at` (epoch ms: the stop date the service reports). */
  finished(result: ExecutionResult, at: number): void {
    const errorDetails = {
      ...(result.error !== undefined ? { error: result.error } : {}),
      ...(result.cause !== undefined ? { cause: result.cause } : {}),
    };
    switch (result.status) {
      case 'SUCCEEDED':
        this.add(
          'ExecutionSucceeded',
          'executionSucceededEventDetails',
          { output: data(result.output), outputDetails: included },
          at,
        );
        break;
      case 'FAILED':
        this.add('ExecutionFailed', 'executionFailedEventDetails', errorDetails, at);
        break;
      case 'TIMED_OUT':
        this.add('ExecutionTimedOut', 'executionTimedOutEventDetails', errorDetails, at);
        break;
      case 'ABORTED':
        this.add('ExecutionAborted', 'executionAbortedEventDetails', errorDetails, at);
        break;
    }
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
  }

  observer(): ExecutionObserver {
    return {
      onEvent: (event) => this.onEvent(event),
      beforeTask: (task) => this.beforeTask(task),
      afterTask: (task, outcome) => this.afterTask(task, outcome),
    };
  }

  private onEvent(event: WorkflowEvent): void {
    switch (event.type) {
      case 'StateEntered': {
        const { name, type, input } = event.state;
        this.add(`${type}StateEntered`, 'stateEnteredEventDetails', {
          name,
          input: data(input),
          inputDetails: included,
        });
        if (type === 'Map') this.add('MapStateStarted', 'mapStateStartedEventDetails', {});
        if (type === 'Parallel') this.add('ParallelStateStarted');
        this.entered(name);
        break;
      }
      case 'StateRetried':
        this.entered(event.state.name);
        break;
      case 'StateExited': {
        const { name, type, output } = event.state;
        if (type === 'Map') this.add('MapStateSucceeded');
        if (type === 'Parallel') this.add('ParallelStateSucceeded');
        this.add(`${type}StateExited`, 'stateExitedEventDetails', {
          name,
          output: data(output),
          outputDetails: included,
        });
        break;
      }
      case 'StateCaught':
        this.add(`${event.state.type}StateExited`, 'stateExitedEventDetails', {
          name: event.state.name,
        });
        break;
      case 'StateFailed': {
        const { name, type } = event.state;
        if (type === 'Map') this.add('MapStateFailed');
        if (type === 'Parallel') this.add('ParallelStateFailed');
        // A task the library timed out never reports back through the runner's hooks.
        const task = this.inFlight.find((call) => call.state === name);
        if (type === 'Task' && event.Error === 'States.Timeout' && task) {
          this.inFlight.splice(this.inFlight.indexOf(task), 1);
          const cause = typeof event.Cause === 'string' ? event.Cause : data(event.Cause);
          const failure = { error: 'States.Timeout', cause };
          const service = serviceTask(task.resource);
          if (service)
            this.add('TaskTimedOut', 'taskTimedOutEventDetails', { ...service, ...failure });
          else this.add('LambdaFunctionTimedOut', 'lambdaFunctionTimedOutEventDetails', failure);
        }
        break;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`;
        this.add(event.type, key, { name: event.parentState.name, index: event.index });
        break;
      }
      default:
        // The execution's own start and end are recorded by the service, with its error/cause.
        break;
    }
  }

  private entered(state: string): void {
    this.entries.set(state, (this.entries.get(state) ?? 0) + 1);
    const count = this.entries.get(state) ?? 0;
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.state !== state || waiter.count > count) return true;
      waiter.resolve();
      return false;
    });
  }

  private async beforeTask(task: TaskCall): Promise<void> {
    const count = (this.calls.get(task.state) ?? 0) + 1;
    this.calls.set(task.state, count);
    if ((this.entries.get(task.state) ?? 0) < count && !this.closed) {
      await new Promise<void>((resolve) =>
        this.waiters.push({ state: task.state, count, resolve }),
      );
    }
    this.inFlight.push(task);
    const service = serviceTask(task.resource);
    if (service) {
      this.add('TaskScheduled', 'taskScheduledEventDetails', {
        ...service,
        region: this.region,
        parameters: data(task.input),
        timeoutInSeconds: task.timeoutSeconds,
      });
      this.add('TaskStarted', 'taskStartedEventDetails', service);
    } else {
      this.add('LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', {
        resource: task.resource,
        input: data(task.input),
        inputDetails: included,
        timeoutInSeconds: task.timeoutSeconds,
      });
      this.add('LambdaFunctionStarted');
    }
  }

  private afterTask(task: TaskCall, outcome: TaskOutcome): void {
    const index = this.inFlight.indexOf(task);
    if (index < 0) return;
    this.inFlight.splice(index, 1);
    const service = serviceTask(task.resource);
    if ('output' in outcome) {
      const output = { output: data(outcome.output), outputDetails: included };
      if (service)
        this.add('TaskSucceeded', 'taskSucceededEventDetails', { ...service, ...output });
      else this.add('LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', output);
    } else {
      const failure = { error: outcome.error.name, cause: outcome.error.message };
      if (service) this.add('TaskFailed', 'taskFailedEventDetails', { ...service, ...failure });
      else this.add('LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', failure);
    }
  }
}
