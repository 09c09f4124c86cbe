/**
 * The Lambda service of the local cloud: runs each function from its deployment zip in sandboxes
 * (worker threads that keep module state between warm invocations), with the function's own
 * environment, timeout and concurrency, and answers the Lambda API on the AWS endpoint.
 */
import { availableParallelism } from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import type { LocalLog } from '../../log';
import { TORN_TAIL } from '../../persistence/journal';
import type { AsyncInvokeConfigSpec, FunctionSpec } from '../../stack/topology';
import type { EdgeService } from '../edge/types';
import { buffered } from '../edge/edge-service';
import { AsyncInvocationStore } from './async-invocation-store';
import { AsyncInvoker } from './async-invoker';
import { functionArnOf } from '../../stack/function-arn';
import { functionCode } from './function-code';
import { sandboxEnvironment } from './function-environment';
import type { Drainable } from '../edge/drain';
import { InFlight } from './in-flight';
import {
  eventTooLarge,
  FunctionNotFoundError,
  InvokeError,
  requestTooLarge,
  throttled,
} from './invoke-error';
import {
  ASYNC_REQUEST_LIMIT_BYTES,
  SYNC_REQUEST_LIMIT_BYTES,
  SYNC_RESPONSE_LIMIT_BYTES,
} from './invoke-limits';
import { invokeApi } from './invoke-api';
import type { InvokeApiBackend } from './invoke-api';
import { Sandbox } from './sandbox';
import type { SandboxRun } from './sandbox';
import { PoolBusyError, PoolStoppedError, SandboxPool } from './sandbox-pool';
import type { AsyncDestinations, FunctionLogSink, InvokeResult, InvokeTarget } from './types';

export interface FunctionRuntimeOptions {
  functions: FunctionSpec[];
  asyncInvokeConfigs: AsyncInvokeConfigSpec[];
  /** where zips are extracted: <workDir>/<function name>/<sourceCodeHash-safe>/ */
  workDir: string;
  /** added to every function's environment (endpoint, checksum settings…); the function's own variables win over these */
  baseEnvironment: Record<string, string>;
  credentialsFor(fn: FunctionSpec): { accessKeyId: string; secretAccessKey: string };
  region: string;
  accountId: string;
  log: LocalLog;
  /** sandboxes per function at most (default 4); more concurrent invocations wait */
  maxConcurrency?: number;
  /**
   * How long a synchronous invocation waits for a busy function's sandbox before Lambda's 429
   * (default 10 s). Asynchronous attempts wait as long as it takes: they are Lambda's own queue.
   */
  sandboxWaitMs?: number;
  /** The journal of asynchronous invocations, so none is lost to a crash or a stop. */
  asyncQueueFile: string;
  /** a sandbox idle this long is stopped (default 5 min) */
  idleTimeoutMs?: number;
  destinations?: AsyncDestinations;
  /**
   * Where Lambda sends each runtime instance's lines (CloudWatch Logs: the function's group, one
   * stream per sandbox), besides the cloud's log.
   */
  functionLogs?: FunctionLogSink;
  /** delays before async retries (Lambda: about 1 min then 2 min; default [1000, 2000] locally) */
  asyncRetryDelaysMs?: number[];
}

export interface InvokeOptions {
  /** Aborting it while the invocation still waits for a sandbox withdraws it. */
  signal?: AbortSignal;
}

interface FunctionEntry {
  spec: FunctionSpec;
  pool: SandboxPool;
}

/**
 * Sandboxes per function: as many as the machine has cores, at most 4. More only add memory
 * (each is a V8 isolate of ~40 MB) and contention: measured on 2 cores, 2 sandboxes served more
 * requests per second than 4 or 8.
 */
const DEFAULT_MAX_CONCURRENCY = Math.min(4, availableParallelism());
const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;
/**
 * Lambda throttles at once at its concurrency limit, which is far above the few sandboxes a
 * laptop runs per function: a wait stands in for the capacity Lambda would have had (a burst, a
 * loaded machine's cold starts), and its bound keeps a caller from queuing for minutes (API
 * Gateway gives up at 29 s).
 */
const DEFAULT_SANDBOX_WAIT_MS = 10_000;
const DEFAULT_RETRY_DELAYS_MS = [1000, 2000];

function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

function functionError(
  errorType: string,
  errorMessage: string,
  run?: Pick<SandboxRun, 'logTail' | 'durationMs'>,
): InvokeResult {
  return {
    statusCode: 200,
    payload: JSON.stringify({ errorType, errorMessage }),
    functionError: 'Unhandled',
    logTail: run?.logTail ?? '',
    durationMs: run?.durationMs ?? 0,
  };
}

/** What Lambda answers for a run: the function's error, a response too large, or its payload. */
function answerOf(run: SandboxRun): InvokeResult {
  if (!run.outcome.ok) {
    return {
      statusCode: 200,
      payload: JSON.stringify(run.outcome.error),
      functionError: 'Unhandled',
      logTail: run.logTail,
      durationMs: run.durationMs,
    };
  }
  if (Buffer.byteLength(run.outcome.payload) > SYNC_RESPONSE_LIMIT_BYTES) {
    return functionError(
      'Function.ResponseSizeTooLarge',
      `Response payload size exceeded maximum allowed payload size (${SYNC_RESPONSE_LIMIT_BYTES} bytes).`,
      run,
    );
  }
  return {
    statusCode: 200,
    payload: run.outcome.payload,
    logTail: run.logTail,
    durationMs: run.durationMs,
  };
}

export class FunctionRuntime implements EdgeService, InvokeApiBackend {
  readonly signingName = 'lambda';
  readonly handle: EdgeService['handle'];
  readonly region: string;
  readonly accountId: string;
  private readonly options: FunctionRuntimeOptions;
  private readonly entries = new Map<string, FunctionEntry>();
  /** Asynchronous invocation settings by function ARN. */
  private readonly asyncConfigs = new Map<string, AsyncInvokeConfigSpec>();
  private readonly inFlight = new InFlight();
  private readonly asyncInvoker: AsyncInvoker;
  private readonly pendingAtOpen: ReturnType<typeof AsyncInvocationStore.open>['pending'];
  private stopped = false;

  constructor(options: FunctionRuntimeOptions) {
    this.options = options;
    this.region = options.region;
    this.accountId = options.accountId;
    for (const fn of options.functions) this.entries.set(fn.name, this.entryFor(fn));
    for (const config of options.asyncInvokeConfigs) this.putAsyncInvokeConfig(config);
    const { store, pending, repaired } = AsyncInvocationStore.open(options.asyncQueueFile);
    if (repaired) options.log.write('warn', 'lambda', `${options.asyncQueueFile}: ${TORN_TAIL}`);
    this.pendingAtOpen = pending;
    this.asyncInvoker = new AsyncInvoker({
      run: (invocation, signal) =>
        this.invokeEvent(invocation.fn, invocation.event, invocation, { signal }),
      find: (name) => this.entries.get(name)?.spec,
      configFor: (fn) => this.asyncConfigFor(fn),
      destinations: options.destinations,
      retryDelaysMs: options.asyncRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
      store,
      log: options.log,
    });
    this.handle = buffered(this.signingName, invokeApi(this));
  }

  get sandboxWaitMs(): number {
    return this.options.sandboxWaitMs ?? DEFAULT_SANDBOX_WAIT_MS;
  }

  /** by name, ARN, or qualified ARN (`:$LATEST`) */
  find(ref: string): FunctionSpec | undefined {
    return this.resolve(ref)?.fn;
  }

  list(): FunctionSpec[] {
    return [...this.entries.values()].map((entry) => entry.spec);
  }

  /** The ARN Lambda names in its "Function not found" message for `ref`. */
  functionArnOf(ref: string): string {
    return functionArnOf(ref, this.region, this.accountId);
  }

  /**
   * A synchronous invocation. Rejects with an InvokeError when Lambda would refuse it: the
   * function does not exist (404), the payload is too large (413), it is throttled (429).
   */
  invoke(ref: string, payload: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const target = this.resolve(ref);
    if (!target) return Promise.reject(new FunctionNotFoundError(this.functionArnOf(ref)));
    let event: string | undefined;
    try {
      event = JSON.stringify(payload);
    } catch (error) {
      return Promise.reject(
        new InvokeError(
          400,
          'InvalidRequestContentException',
          `Could not serialize the payload: ${(error as Error).message}`,
        ),
      );
    }
    return this.invokeEvent(
      target.fn,
      event ?? '{}',
      { requestId: randomUUID(), invokedFunctionArn: target.invokedFunctionArn },
      { maxWaitMs: this.sandboxWaitMs, ...options },
    );
  }

  /**
   * Queues an Event invocation, journaled before this returns (the caller acknowledges after
   * it): retried maximumRetryAttempts times on error, then the on-failure destination gets the
   * AWS destination record; on success the on-success destination, if any. Never throws: what
   * Lambda would refuse is logged with its error.
   */
  invokeAsync(ref: string, payload: unknown): void {
    const refused = (error: InvokeError): void =>
      this.options.log.write(
        'warn',
        'lambda',
        `Event invocation of ${ref} refused: ${error.type}: ${error.message}`,
      );
    const target = this.resolve(ref);
    if (!target) {
      refused(new FunctionNotFoundError(this.functionArnOf(ref)));
      return;
    }
    let event: string | undefined;
    try {
      event = JSON.stringify(payload);
    } catch (error) {
      refused(new InvokeError(400, 'InvalidRequestContentException', (error as Error).message));
      return;
    }
    const body = event ?? '{}';
    const size = Buffer.byteLength(body);
    if (size > ASYNC_REQUEST_LIMIT_BYTES) {
      refused(eventTooLarge(size, ASYNC_REQUEST_LIMIT_BYTES));
      return;
    }
    this.queueEvent(target.fn, body, {
      requestId: randomUUID(),
      invokedFunctionArn: target.invokedFunctionArn,
    });
  }

  /**
   * Runs one invocation of `fn` with an event already in JSON text. Waits for a sandbox at most
   * `maxWaitMs` (unbounded when not given), then throttles.
   */
  async invokeEvent(
    fn: FunctionSpec,
    event: string,
    target: InvokeTarget,
    options: InvokeOptions & { maxWaitMs?: number } = {},
  ): Promise<InvokeResult> {
    const done = this.inFlight.begin();
    try {
      const entry = this.admitted(fn, event);
      let sandbox: Sandbox;
      try {
        sandbox = await entry.pool.acquire(options);
      } catch (error) {
        if (error instanceof PoolBusyError) throw this.throttleOf(entry, error);
        if (options.signal?.aborted) throw error;
        return this.startFailed(entry.spec, target.requestId, error);
      }
      return answerOf(await this.runIn(entry, sandbox, event, target));
    } finally {
      done();
    }
  }

  /** The entry of `fn` if Lambda takes the invocation at all: its event's size, its concurrency. */
  private admitted(fn: FunctionSpec, event: string): FunctionEntry {
    if (Buffer.byteLength(event) > SYNC_REQUEST_LIMIT_BYTES) {
      throw requestTooLarge(SYNC_REQUEST_LIMIT_BYTES);
    }
    const entry = this.entries.get(fn.name);
    if (!entry) throw new FunctionNotFoundError(fn.arn);
    if (entry.spec.reservedConcurrency === 0) {
      throw throttled('ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    return entry;
  }

  /** One run in `sandbox`, which goes back to the pool however the run ends. */
  private async runIn(
    entry: FunctionEntry,
    sandbox: Sandbox,
    event: string,
    target: InvokeTarget,
  ): Promise<SandboxRun> {
    try {
      return await sandbox.invoke({
        requestId: target.requestId,
        event,
        invokedFunctionArn: target.invokedFunctionArn,
      });
    } finally {
      entry.pool.release(sandbox);
    }
  }

  /** Queues an Event invocation of `fn` with an event already in JSON text (journaled). */
  queueEvent(fn: FunctionSpec, event: string, target: InvokeTarget): void {
    this.asyncInvoker.enqueue({ fn, event, ...target });
  }

  /** Runs the asynchronous invocations a previous run left unfinished (once, at boot). */
  resumeAsyncInvocations(): void {
    this.asyncInvoker.resume(this.pendingAtOpen.splice(0));
  }

  /**
   * Runs `fn` from now on (a new function, or a new spec of one: code, settings): the next
   * invocations get sandboxes of the new spec, busy ones finish their invocation first.
   */
  put(fn: FunctionSpec): void {
    const entry = this.entries.get(fn.name);
    if (!entry) {
      this.entries.set(fn.name, this.entryFor(fn));
      return;
    }
    entry.spec = fn;
    entry.pool.retire();
  }

  /** Runs `fn` no more: its sandboxes stop once their invocations end. */
  remove(name: string): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.entries.delete(name);
    entry.pool.stop().catch((error: unknown) => {
      this.options.log.write('warn', 'lambda', `${name}: stopping its sandboxes: ${String(error)}`);
    });
  }

  /** re-extracts the function's zip (spec may carry a new zipPath/sourceCodeHash) and retires its sandboxes: busy ones finish their invocation first */
  async reload(fn: FunctionSpec): Promise<void> {
    this.put(fn);
    await functionCode(this.options.workDir, fn);
    this.options.log.write('info', 'lambda', `${fn.name}: reloaded (${fn.sourceCodeHash})`);
  }

  /** The asynchronous invocation settings of a function (PutFunctionEventInvokeConfig). */
  putAsyncInvokeConfig(config: AsyncInvokeConfigSpec): void {
    this.asyncConfigs.set(config.functionArn, config);
  }

  removeAsyncInvokeConfig(functionArn: string): void {
    this.asyncConfigs.delete(functionArn);
  }

  /** Invocations running or waiting for a sandbox, sync or async (pending async retries aside). */
  get invocations(): Drainable {
    return this.inFlight;
  }

  /** Resolves when no invocation runs, waits, or is queued for an asynchronous attempt. */
  async idle(): Promise<void> {
    while (this.inFlight.count > 0 || this.asyncInvoker.pending > 0) {
      await Promise.all([this.inFlight.idle(), this.asyncInvoker.idle()]);
    }
  }

  /**
   * The first step of a graceful stop: no asynchronous attempt starts any more (those waiting for
   * a sandbox give up their place; all of them stay journaled). Synchronous callers are still
   * served, and what runs may finish.
   */
  stopTakingAsyncWork(): void {
    this.asyncInvoker.pause();
  }

  /** what is warm: per function, number of sandboxes */
  sandboxes(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [name, entry] of this.entries) {
      if (entry.pool.size > 0) counts[name] = entry.pool.size;
    }
    return counts;
  }

  /**
   * Terminates every worker. Unfinished asynchronous invocations stay in the journal and run at
   * the next boot (an attempt cut short runs again: Lambda's delivery is at least once too).
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.asyncInvoker.stop();
    await Promise.all([...this.entries.values()].map((entry) => entry.pool.stop()));
  }

  private resolve(ref: string): { fn: FunctionSpec; invokedFunctionArn: string } | undefined {
    const full = /^arn:[^:]+:lambda:[^:]+:\d{12}:function:([^:]+)(?::([^:]+))?$/.exec(ref);
    const partial = /^\d{12}:function:([^:]+)(?::([^:]+))?$/.exec(ref);
    const plain = /^([^:]+)(?::([^:]+))?$/.exec(ref);
    const match = full ?? partial ?? plain;
    if (!match) return undefined;
    const [, name = '', qualifier] = match;
    if (qualifier !== undefined && qualifier !== '$LATEST') return undefined;
    const fn = this.entries.get(name)?.spec;
    if (!fn) return undefined;
    const unqualified = qualifier === undefined ? ref : ref.slice(0, -':$LATEST'.length);
    if (full && unqualified !== fn.arn) return undefined;
    if (partial && !fn.arn.endsWith(`:${unqualified}`)) return undefined;
    return { fn, invokedFunctionArn: qualifier ? `${fn.arn}:${qualifier}` : fn.arn };
  }

  /** Lambda's 429 once the function's sandboxes stayed busy for the whole wait. */
  private throttleOf(entry: FunctionEntry, busy: PoolBusyError): InvokeError {
    this.options.log.write(
      'warn',
      'lambda',
      `${entry.spec.name}: throttled (TooManyRequestsException): all ${this.limitFor(entry)} sandbox(es) stayed busy for ${busy.waitedMs} ms`,
    );
    const reserved = entry.spec.reservedConcurrency;
    return throttled(
      reserved !== undefined && reserved === this.limitFor(entry)
        ? 'ReservedFunctionConcurrentInvocationLimitExceeded'
        : 'ConcurrentInvocationLimitExceeded',
    );
  }

  private asyncConfigFor(fn: FunctionSpec): AsyncInvokeConfigSpec | undefined {
    return [...this.asyncConfigs.values()].find(
      (config) => this.find(config.functionArn)?.name === fn.name,
    );
  }

  private limitFor(entry: FunctionEntry): number {
    const limit = this.options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    const reserved = entry.spec.reservedConcurrency;
    return reserved !== undefined && reserved > 0 ? Math.min(limit, reserved) : limit;
  }

  private entryFor(fn: FunctionSpec): FunctionEntry {
    const entry: FunctionEntry = {
      spec: fn,
      pool: new SandboxPool({
        limit: () => this.limitFor(entry),
        create: (generation, onExit) => this.startSandbox(entry.spec, generation, onExit),
        idleTimeoutMs: this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      }),
    };
    return entry;
  }

  private async startSandbox(
    fn: FunctionSpec,
    generation: number,
    onExit: (sandbox: Sandbox) => void,
  ): Promise<Sandbox> {
    const codeDir = await functionCode(this.options.workDir, fn);
    const stream = logStreamName();
    return new Sandbox({
      fn,
      codeDir,
      generation,
      logStreamName: stream,
      environment: sandboxEnvironment(fn, {
        baseEnvironment: this.options.baseEnvironment,
        credentials: this.options.credentialsFor(fn),
        region: this.region,
        codeDir,
        logStreamName: stream,
      }),
      onLine: (line) => {
        this.options.log.functionLine(fn.name, line);
        this.options.functionLogs?.append(fn, stream, line);
      },
      onExit,
    });
  }

  private startFailed(fn: FunctionSpec, requestId: string, error: unknown): InvokeResult {
    if (error instanceof PoolStoppedError) {
      return functionError(
        'Runtime.ExitError',
        `RequestId: ${requestId} Error: Runtime exited without providing a reason`,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    this.options.log.write('error', 'lambda', `${fn.name}: cannot start a sandbox: ${message}`);
    return functionError(
      'Runtime.ImportModuleError',
      `Error: Cannot load the deployment package ${fn.zipPath}: ${message}`,
    );
  }
}
