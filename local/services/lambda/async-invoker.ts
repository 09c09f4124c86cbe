/**
 * Lambda's asynchronous invocation (InvocationType Event): the event is queued, a failed attempt
 * is retried (maximumRetryAttempts times, after delays), and the outcome goes to the function's
 * on-success or on-failure destination as Lambda's destination record.
 */
import type { LocalLog } from '../../log';
import type { AsyncInvokeConfigSpec, FunctionSpec } from '../../stack/topology';
import type { AsyncDestinations, InvokeResult } from './function-runtime';
import type { InFlight } from './in-flight';

/** Lambda's defaults when a function has no event invoke config. */
const DEFAULT_RETRIES = 2;
const DEFAULT_MAX_AGE_SECONDS = 21_600;

export interface AsyncInvocation {
  fn: FunctionSpec;
  /** The event as JSON text. */
  event: string;
  /** Kept across retries, as Lambda does. */
  requestId: string;
  invokedFunctionArn: string;
}

export interface AsyncInvokerOptions {
  /** One attempt. */
  run(invocation: AsyncInvocation): Promise<InvokeResult>;
  configFor(fn: FunctionSpec): AsyncInvokeConfigSpec | undefined;
  destinations?: AsyncDestinations;
  retryDelaysMs: number[];
  inFlight: InFlight;
  log: LocalLog;
}

type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

interface Queued extends AsyncInvocation {
  queuedAt: number;
  attempts: number;
  timer?: NodeJS.Timeout;
  done(): void;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export class AsyncInvoker {
  private readonly queued = new Set<Queued>();
  private stopped = false;

  constructor(private readonly options: AsyncInvokerOptions) {}

  enqueue(invocation: AsyncInvocation): void {
    if (this.stopped) {
      this.dropped(invocation, 'the Lambda runtime is stopped');
      return;
    }
    const entry: Queued = {
      ...invocation,
      queuedAt: Date.now(),
      attempts: 0,
      done: this.options.inFlight.begin(),
    };
    this.queued.add(entry);
    void this.attempt(entry);
  }

  /** Drops whatever is queued or waiting for a retry, with a line for each. */
  stop(): void {
    this.stopped = true;
    for (const entry of this.queued) {
      clearTimeout(entry.timer);
      this.dropped(entry, 'the Lambda runtime stopped');
      entry.done();
    }
    this.queued.clear();
  }

  private async attempt(entry: Queued): Promise<void> {
    entry.attempts += 1;
    let result: InvokeResult;
    try {
      result = await this.options.run(entry);
    } catch (error) {
      result = {
        statusCode: 500,
        payload: JSON.stringify({ errorType: 'ServiceException', errorMessage: String(error) }),
        logTail: '',
        durationMs: 0,
      };
    }
    // stop() already dropped it.
    if (this.stopped || !this.queued.has(entry)) return;

    const config = this.options.configFor(entry.fn);
    const failed = result.functionError !== undefined || result.statusCode >= 300;
    if (!failed) {
      await this.finish(entry, 'Success', result, config?.onSuccessDestination);
      return;
    }
    const retries = config?.maximumRetryAttempts ?? DEFAULT_RETRIES;
    const maxAgeMs = (config?.maximumEventAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
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
    this.options.log.write(
      'warn',
      'lambda',
      `${entry.fn.name}: async invocation ${entry.requestId} failed (attempt ${entry.attempts} of ${retries + 1}), retrying in ${delay} ms`,
    );
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void this.attempt(entry);
    }, delay);
  }

  private async finish(
    entry: Queued,
    condition: Condition,
    result: InvokeResult,
    destination: string | undefined,
  ): Promise<void> {
    try {
      if (condition !== 'Success') {
        this.options.log.write(
          'warn',
          'lambda',
          `${entry.fn.name}: async invocation ${entry.requestId} failed after ${entry.attempts} attempt(s) (${condition}); ${destination ? `sending it to ${destination}` : 'dropped (no on-failure destination)'}`,
        );
      }
      if (destination) await this.deliver(entry, condition, result, destination);
    } finally {
      this.queued.delete(entry);
      entry.done();
    }
  }

  private async deliver(
    entry: Queued,
    condition: Condition,
    result: InvokeResult,
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
        requestId: entry.requestId,
        functionArn: `${entry.fn.arn}:$LATEST`,
        condition,
        approximateInvokeCount: entry.attempts,
      },
      requestPayload: parsed(entry.event),
      responseContext: {
        statusCode: result.statusCode,
        executedVersion: '$LATEST',
        ...(result.functionError ? { functionError: result.functionError } : {}),
      },
      responsePayload: parsed(result.payload),
    };
    try {
      await destinations.deliver(destination, record, entry.fn);
    } catch (error) {
      log.write(
        'error',
        'lambda',
        `${entry.fn.name}: could not deliver the destination record of ${entry.requestId} to ${destination}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private dropped(invocation: AsyncInvocation, reason: string): void {
    this.options.log.write(
      'warn',
      'lambda',
      `${invocation.fn.name}: async invocation ${invocation.requestId} dropped: ${reason}`,
    );
  }
}
