/**
 * Lambda's asynchronous invocation (InvocationType Event): the event is queued durably (see
 * AsyncInvocationStore), a failed attempt is retried (maximumRetryAttempts times, after delays),
 * a throttled one is retried with backoff until the event is too old, and the outcome goes to the
 * function's on-success or on-failure destination as Lambda's destination record.
 *
 * A stop does not lose anything: pause() stops starting attempts (those waiting for a sandbox
 * give up their place), attempts that run may finish, and what is left is in the store for the
 * next boot, which resumes it.
 */
import { isObject } from '../../json';
import type { LocalLog } from '../../log';
import type { AsyncInvokeConfigSpec, FunctionSpec } from '../../stack/topology';
import type {
  AsyncInvocationStore,
  AsyncOutcome,
  AttemptResult,
  StoredInvocation,
} from './async-invocation-store';
import type { AsyncDestinations, InvokeResult, InvokeTarget } from './types';
import { InvokeError } from './invoke-error';

/** Lambda's defaults when a function has no event invoke config. */
const DEFAULT_RETRIES = 2;
const DEFAULT_MAX_AGE_SECONDS = 21_600;
/** Lambda's backoff for throttles: from 1 second, doubling, up to 5 minutes. */
const THROTTLE_FIRST_DELAY_MS = 1000;
const THROTTLE_MAX_DELAY_MS = 5 * 60 * 1000;

/** Its requestId is kept across retries, as Lambda does. */
export interface AsyncInvocation extends InvokeTarget {
  fn: FunctionSpec;
  /** The event as JSON text. */
  event: string;
}

export interface AsyncInvokerOptions {
  /**
   * One attempt. Rejects with an InvokeError when Lambda refuses it (a throttle), with the
   * signal's reason when aborted while it still waits for a sandbox.
   */
  run(invocation: AsyncInvocation, signal: AbortSignal): Promise<InvokeResult>;
  /** The function of a stored invocation, if the stack still has it. */
  find(functionName: string): FunctionSpec | undefined;
  configFor(fn: FunctionSpec): AsyncInvokeConfigSpec | undefined;
  destinations?: AsyncDestinations;
  retryDelaysMs: number[];
  store: AsyncInvocationStore;
  log: LocalLog;
}

type Condition = Exclude<AsyncOutcome, 'Dropped'>;

interface Entry extends StoredInvocation {
  fn: FunctionSpec;
  timer?: NodeJS.Timeout;
  /** Set while an attempt is under way; aborting it withdraws an attempt still waiting. */
  controller?: AbortController;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function resultOf(result: InvokeResult): AttemptResult {
  return {
    statusCode: result.statusCode,
    payload: result.payload,
    ...(result.functionError ? { functionError: result.functionError } : {}),
  };
}

function refusalOf(error: unknown): AttemptResult {
  if (error instanceof InvokeError) return { statusCode: error.statusCode, payload: error.body };
  return {
    statusCode: 500,
    payload: JSON.stringify({ errorType: 'ServiceException', errorMessage: String(error) }),
  };
}

function throttleDelayMs(throttles: number): number {
  return Math.min(THROTTLE_MAX_DELAY_MS, THROTTLE_FIRST_DELAY_MS * 2 ** (throttles - 1));
}

/** `, last error <type>: <message>` of a failed attempt's answer, or nothing. */
function lastError(result: AttemptResult | undefined): string {
  if (!result?.functionError) return '';
  const payload = parsed(result.payload);
  if (!isObject(payload)) return '';
  const { errorType, errorMessage } = payload;
  return typeof errorType === 'string'
    ? `, last error ${errorType}${typeof errorMessage === 'string' ? `: ${errorMessage}` : ''}`
    : '';
}

export class AsyncInvoker {
  private readonly entries = new Map<string, Entry>();
  private readonly idleWaiters: (() => void)[] = [];
  private accepting = true;
  private stopped = false;

  constructor(private readonly options: AsyncInvokerOptions) {}

  /** Invocations queued, waiting for a retry or running. */
  get pending(): number {
    return this.entries.size;
  }

  /**
   * Queues an invocation: journaled before this returns. While paused it stays in the journal for
   * the next boot; once stopped (the journal closed) it can only be reported as dropped.
   */
  enqueue(invocation: AsyncInvocation): void {
    if (this.stopped) {
      this.report(invocation.fn.name, invocation.requestId, 'dropped: the Lambda runtime stopped');
      return;
    }
    const now = Date.now();
    const entry: Entry = {
      id: invocation.requestId,
      functionName: invocation.fn.name,
      invokedFunctionArn: invocation.invokedFunctionArn,
      event: invocation.event,
      queuedAt: now,
      attempts: 0,
      throttles: 0,
      nextAttemptAt: now,
      fn: invocation.fn,
    };
    this.options.store.add(entry);
    this.entries.set(entry.id, entry);
    if (this.accepting) void this.attempt(entry);
  }

  /**
   * Runs again what a previous run left in the store, each at its next attempt time. What belongs
   * to a function this stack does not have is reported and kept, unless it is older than Lambda's
   * maximum event age (it could never run then).
   */
  resume(stored: StoredInvocation[]): void {
    const { log } = this.options;
    const orphans = new Map<string, number>();
    for (const invocation of stored) {
      const fn = this.options.find(invocation.functionName);
      if (fn) {
        const entry: Entry = { ...invocation, fn };
        this.entries.set(entry.id, entry);
        this.schedule(entry);
      } else if (Date.now() - invocation.queuedAt > DEFAULT_MAX_AGE_SECONDS * 1000) {
        this.options.store.done(invocation.id, 'Dropped');
        this.report(
          invocation.functionName,
          invocation.id,
          `dropped: the function is not in this stack and the event is older than ${DEFAULT_MAX_AGE_SECONDS} s (event: ${invocation.event.slice(0, 200)})`,
        );
      } else {
        orphans.set(invocation.functionName, (orphans.get(invocation.functionName) ?? 0) + 1);
      }
    }
    if (this.entries.size > 0) {
      log.write('info', 'lambda', `${this.entries.size} pending async invocation(s) resumed`);
    }
    if (orphans.size > 0) {
      const list = [...orphans].map(([name, count]) => `${name} (${count})`).join(', ');
      log.write(
        'warn',
        'lambda',
        `pending async invocations of functions this stack does not have are kept for a stack that has them: ${list}`,
      );
    }
  }

  /** Starts no more attempts; attempts still waiting for a sandbox give up their place. */
  pause(): void {
    this.accepting = false;
    for (const entry of this.entries.values()) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
      entry.controller?.abort(new Error('the Lambda runtime is stopping'));
    }
  }

  /** Pauses and closes the journal: what is pending runs at the next boot. */
  stop(): void {
    if (this.stopped) return;
    this.pause();
    this.stopped = true;
    const left = this.entries.size;
    this.entries.clear();
    this.wakeIdle();
    this.options.store.close();
    if (left > 0) {
      this.options.log.write(
        'info',
        'lambda',
        `${left} async invocation(s) not finished: they run at the next start`,
      );
    }
  }

  /** Resolves when nothing is queued, waiting for a retry or running. */
  idle(): Promise<void> {
    if (this.entries.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(entry: Entry): void {
    if (!this.accepting) return;
    const delay = Math.max(0, entry.nextAttemptAt - Date.now());
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void this.attempt(entry);
    }, delay);
  }

  private async attempt(entry: Entry): Promise<void> {
    const config = this.options.configFor(entry.fn);
    const maxAgeMs = (config?.maximumEventAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
    if (Date.now() - entry.queuedAt > maxAgeMs) {
      await this.finish(entry, 'EventAgeExceeded', entry.lastResult, config?.onFailureDestination);
      return;
    }
    const result = await this.runOnce(entry, maxAgeMs, config);
    // Stopped under it (its sandbox terminated): the attempt did not finish, it runs again.
    if (result === undefined || this.stopped) return;
    entry.attempts += 1;
    entry.lastResult = result;
    await this.settle(entry, result, maxAgeMs, config);
  }

  /**
   * One attempt's result, the function's or Lambda's refusal; undefined when there is none to
   * count: withdrawn (a stop) or throttled (retried by `throttled`).
   */
  private async runOnce(
    entry: Entry,
    maxAgeMs: number,
    config: AsyncInvokeConfigSpec | undefined,
  ): Promise<AttemptResult | undefined> {
    const controller = new AbortController();
    entry.controller = controller;
    try {
      const { fn, event, id: requestId, invokedFunctionArn } = entry;
      const invocation = { fn, event, requestId, invokedFunctionArn };
      return resultOf(await this.options.run(invocation, controller.signal));
    } catch (error) {
      // Withdrawn while waiting for a sandbox (a stop): it stays in the journal as it was.
      if (this.stopped || controller.signal.aborted) return undefined;
      if (error instanceof InvokeError && (error.statusCode === 429 || error.statusCode >= 500)) {
        this.throttled(entry, refusalOf(error), maxAgeMs, config);
        return undefined;
      }
      return refusalOf(error);
    } finally {
      entry.controller = undefined;
    }
  }

  /** After a counted attempt: done, retries exhausted, too old for another, or retried later. */
  private async settle(
    entry: Entry,
    result: AttemptResult,
    maxAgeMs: number,
    config: AsyncInvokeConfigSpec | undefined,
  ): Promise<void> {
    const failed = result.functionError !== undefined || result.statusCode >= 300;
    if (!failed) {
      await this.finish(entry, 'Success', result, config?.onSuccessDestination);
      return;
    }
    const retries = config?.maximumRetryAttempts ?? DEFAULT_RETRIES;
    if (entry.attempts > retries) {
      await this.finish(entry, 'RetriesExhausted', result, config?.onFailureDestination);
      return;
    }
    const delays = this.options.retryDelaysMs;
    const delay = delays[Math.min(entry.attempts - 1, delays.length - 1)] ?? 0;
    if (Date.now() + delay - entry.queuedAt > maxAgeMs) {
      await this.finish(entry, 'EventAgeExceeded', result, config?.onFailureDestination);
      return;
    }
    this.retryLater(
      entry,
      delay,
      `failed (attempt ${entry.attempts} of ${retries + 1}), retrying in ${delay} ms`,
    );
  }

  /** Lambda refused the attempt: retried with backoff until the event is too old. */
  private throttled(
    entry: Entry,
    refusal: AttemptResult,
    maxAgeMs: number,
    config: AsyncInvokeConfigSpec | undefined,
  ): void {
    entry.throttles += 1;
    entry.lastResult = refusal;
    const delay = throttleDelayMs(entry.throttles);
    if (Date.now() + delay - entry.queuedAt > maxAgeMs) {
      void this.finish(entry, 'EventAgeExceeded', refusal, config?.onFailureDestination);
      return;
    }
    this.retryLater(entry, delay, `throttled (${refusal.statusCode}), retrying in ${delay} ms`);
  }

  private retryLater(entry: Entry, delay: number, why: string): void {
    entry.nextAttemptAt = Date.now() + delay;
    this.options.store.retry(entry);
    this.report(entry.fn.name, entry.id, why);
    this.schedule(entry);
  }

  private async finish(
    entry: Entry,
    condition: Condition,
    result: AttemptResult | undefined,
    destination: string | undefined,
  ): Promise<void> {
    if (condition !== 'Success') {
      this.report(
        entry.fn.name,
        entry.id,
        `failed after ${entry.attempts} attempt(s) (${condition}${lastError(result)}); ${destination ? `sending it to ${destination}` : 'dropped (no on-failure destination)'}`,
      );
    }
    if (destination) await this.deliver(entry, condition, result, destination);
    if (this.stopped) return;
    this.options.store.done(entry.id, condition);
    this.entries.delete(entry.id);
    if (this.entries.size === 0) this.wakeIdle();
  }

  private async deliver(
    entry: Entry,
    condition: Condition,
    result: AttemptResult | undefined,
    destination: string,
  ): Promise<void> {
    const { destinations, log } = this.options;
    if (!destinations) {
      log.write('warn', 'lambda', `${entry.fn.name}: no destination service for ${destination}`);
      return;
    }
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: entry.id,
        functionArn: `${entry.fn.arn}:$LATEST`,
        condition,
        approximateInvokeCount: entry.attempts,
      },
      requestPayload: parsed(entry.event),
      responseContext: {
        ...(result ? { statusCode: result.statusCode } : {}),
        executedVersion: '$LATEST',
        ...(result?.functionError ? { functionError: result.functionError } : {}),
      },
      ...(result ? { responsePayload: parsed(result.payload) } : {}),
    };
    try {
      await destinations.deliver(destination, record, entry.fn);
    } catch (error) {
      log.write(
        'error',
        'lambda',
        `${entry.fn.name}: could not deliver the destination record of ${entry.id} to ${destination}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private report(functionName: string, requestId: string, what: string): void {
    this.options.log.write(
      'warn',
      'lambda',
      `${functionName}: async invocation ${requestId} ${what}`,
    );
  }

  private wakeIdle(): void {
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
