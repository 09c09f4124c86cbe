/**
 * One execution environment of a function: a worker thread that loaded the function's code once
 * and serves one invocation at a time, like a Lambda sandbox. It enforces the timeout (by
 * terminating the worker), survives nothing it should not (a crash ends it, never the runtime),
 * and frames each invocation's log lines with Lambda's START, END and REPORT lines.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { FunctionSpec } from '../../stack/topology';
import { LineSplitter } from './line-splitter';
import { workerBootstrapCode } from './worker-bootstrap';
import type { ErrorPayload, SandboxWorkerData, WorkerMessage } from './worker-protocol';

/** Lambda's limit on the init phase of an on-demand function. */
const INIT_TIMEOUT_MS = 10_000;
/** The Invoke API's log tail. */
const TAIL_BYTES = 4096;
/** Lines kept for the tail: enough to cover TAIL_BYTES of even the shortest lines. */
const TAIL_LINES = TAIL_BYTES;

export interface SandboxOptions {
  fn: FunctionSpec;
  codeDir: string;
  environment: Record<string, string>;
  logStreamName: string;
  /** Which code the sandbox runs: the pool discards sandboxes of an older generation. */
  generation: number;
  /** Every line the function prints, and the runtime's own lines about it. */
  onLine(line: string): void;
  /** The worker is gone: it crashed, timed out, failed its init or was terminated. */
  onExit(sandbox: Sandbox): void;
}

export interface SandboxRequest {
  requestId: string;
  /** The event as JSON text. */
  event: string;
  invokedFunctionArn: string;
}

export type SandboxOutcome = { ok: true; payload: string } | { ok: false; error: ErrorPayload };

export interface SandboxRun {
  outcome: SandboxOutcome;
  durationMs: number;
  /** The invocation's last 4 KB of log lines (and its init lines on a cold start). */
  logTail: string;
}

type InitResult = { ok: true } | { ok: false; error: (requestId: string) => ErrorPayload };

function errorPayloadOf(error: unknown): ErrorPayload {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function exitError(requestId: string, reason: string): ErrorPayload {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: ${reason}`,
  };
}

function timeoutError(requestId: string, seconds: number): ErrorPayload {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds`,
  };
}

/** The last `TAIL_BYTES` of the lines, cut at a character boundary. */
function tailOf(lines: string[]): string {
  const text = lines.map((line) => `${line}\n`).join('');
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= TAIL_BYTES) return text;
  let start = bytes.length - TAIL_BYTES;
  // Skip UTF-8 continuation bytes so the tail starts on a whole character.
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start).toString('utf8');
}

export class Sandbox {
  readonly generation: number;
  private readonly fn: FunctionSpec;
  private readonly options: SandboxOptions;
  private readonly worker: Worker;
  private readonly createdAt = performance.now();
  private readonly ready: Promise<InitResult>;
  private settleReady: (result: InitResult) => void = () => undefined;
  private readySettled = false;
  private readonly initTimer: NodeJS.Timeout;
  private pending: { requestId: string; resolve: (outcome: SandboxOutcome) => void } | undefined;
  private alive = true;
  private terminating = false;
  private crash: Error | undefined;
  private exitCode = 0;
  private timedOutAfterSeconds: number | undefined;
  private initDurationMs: number | undefined;
  private coldStartReported = false;
  private maxMemoryUsedMb = 0;
  private lines: string[] = [];
  private readonly stdout: LineSplitter;
  private readonly stderr: LineSplitter;

  constructor(options: SandboxOptions) {
    this.options = options;
    this.fn = options.fn;
    this.generation = options.generation;
    this.ready = new Promise((resolve) => {
      this.settleReady = (result) => {
        if (this.readySettled) return;
        this.readySettled = true;
        clearTimeout(this.initTimer);
        this.initDurationMs = performance.now() - this.createdAt;
        resolve(result);
      };
    });
    this.stdout = new LineSplitter((line) => this.line(line));
    this.stderr = new LineSplitter((line) => this.line(line));

    const workerData: SandboxWorkerData = {
      codeDir: options.codeDir,
      handler: this.fn.handler,
      functionName: this.fn.name,
      memoryMb: this.fn.memoryMb,
      logGroupName: this.fn.logGroupName,
      logStreamName: options.logStreamName,
      logFormat: this.fn.logFormat,
    };
    this.worker = new Worker(workerBootstrapCode(), {
      eval: true,
      env: options.environment,
      // The parent's flags (a TypeScript loader, an inspector…) are not the function's.
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(128, this.fn.memoryMb) },
      workerData,
    });
    // The worker sends what it prints as messages; its stdio streams only catch what slips past
    // (read at exit: reading them earlier would keep the process alive).
    this.worker.stdout.setEncoding('utf8');
    this.worker.stderr.setEncoding('utf8');
    this.worker.on('message', (message: WorkerMessage) => this.received(message));
    this.worker.on('error', (error) => this.crashed(error));
    this.worker.on('exit', (code) => this.exited(code));
    // An idle sandbox must not keep the process alive; invoke() holds it while it works.
    this.worker.unref();

    this.initTimer = setTimeout(() => {
      if (this.readySettled) return;
      this.settleReady({
        ok: false,
        error: (requestId) => ({
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: Init timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`,
        }),
      });
      void this.terminate();
    }, INIT_TIMEOUT_MS);
    this.initTimer.unref();
  }

  /** False once the worker is gone or on its way out: such a sandbox takes no more work. */
  get isAlive(): boolean {
    return this.alive && !this.terminating;
  }

  /** Runs one invocation; the caller makes sure only one runs at a time. */
  async invoke(request: SandboxRequest): Promise<SandboxRun> {
    const { requestId } = request;
    if (this.alive) this.worker.ref();
    // A cold start's tail starts with what the init phase printed.
    if (this.coldStartReported) this.lines = [];
    const init = await this.ready;
    const coldStart = !this.coldStartReported;
    this.coldStartReported = true;

    this.line(`START RequestId: ${requestId} Version: $LATEST`);
    const started = performance.now();
    const outcome: SandboxOutcome = init.ok
      ? await this.dispatch(request)
      : { ok: false, error: init.error(requestId) };
    const durationMs = performance.now() - started;

    let status = '';
    if (this.timedOutAfterSeconds !== undefined) {
      this.line(
        `${new Date().toISOString()} ${requestId} Task timed out after ${this.timedOutAfterSeconds.toFixed(2)} seconds`,
      );
      status = '\tStatus: timeout';
    } else if (!init.ok || (!outcome.ok && outcome.error.errorType === 'Runtime.ExitError')) {
      status = `\tStatus: error\tError Type: ${outcome.ok ? '' : outcome.error.errorType}`;
    }
    const initDuration =
      coldStart && this.initDurationMs !== undefined
        ? `\tInit Duration: ${this.initDurationMs.toFixed(2)} ms`
        : '';
    this.line(`END RequestId: ${requestId}`);
    this.line(
      `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(durationMs))} ms\tMemory Size: ${this.fn.memoryMb} MB\tMax Memory Used: ${this.maxMemoryUsedMb} MB${initDuration}${status}`,
    );
    if (this.alive) this.worker.unref();
    return { outcome, durationMs, logTail: tailOf(this.lines) };
  }

  /** Stops the worker; resolves once it is gone. */
  async terminate(): Promise<void> {
    if (!this.alive) return;
    this.terminating = true;
    await this.worker.terminate();
  }

  private dispatch(request: SandboxRequest): Promise<SandboxOutcome> {
    const { requestId } = request;
    if (!this.alive) {
      return Promise.resolve({ ok: false, error: exitError(requestId, this.exitReason()) });
    }
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // Lambda throws away an environment whose invocation timed out: the next one starts cold.
        this.timedOutAfterSeconds = this.fn.timeoutSeconds;
        void this.terminate();
      }, timeoutMs);
      this.pending = {
        requestId,
        resolve: (outcome) => {
          clearTimeout(timer);
          this.pending = undefined;
          resolve(outcome);
        },
      };
      this.worker.postMessage({
        type: 'invoke',
        requestId,
        event: request.event,
        invokedFunctionArn: request.invokedFunctionArn,
        deadline: Date.now() + timeoutMs,
      });
    });
  }

  private line(line: string): void {
    this.options.onLine(line);
    this.lines.push(line);
    if (this.lines.length > TAIL_LINES) this.lines.splice(0, this.lines.length - TAIL_LINES);
  }

  private received(message: WorkerMessage): void {
    switch (message.type) {
      case 'output':
        (message.stream === 'stdout' ? this.stdout : this.stderr).push(message.text);
        return;
      case 'ready':
        this.settleReady({ ok: true });
        return;
      case 'initError':
        this.line(
          `${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(message.error)}`,
        );
        this.settleReady({ ok: false, error: () => message.error });
        // A failed init leaves nothing worth keeping: the next invocation starts afresh.
        void this.terminate();
        return;
      case 'result':
      case 'error':
        this.maxMemoryUsedMb = Math.max(this.maxMemoryUsedMb, message.memoryUsedMb);
        if (this.pending?.requestId !== message.requestId) return;
        this.stdout.flush();
        this.stderr.flush();
        this.pending.resolve(
          message.type === 'result'
            ? { ok: true, payload: message.payload }
            : { ok: false, error: message.error },
        );
        return;
    }
  }

  private crashed(error: Error): void {
    this.crash = error;
    if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      this.line(
        `${new Date().toISOString()}\t${this.pending?.requestId ?? 'undefined'}\tERROR\tOut of memory (Memory Size: ${this.fn.memoryMb} MB)`,
      );
      return;
    }
    this.line(
      `${new Date().toISOString()}\t${this.pending?.requestId ?? 'undefined'}\tERROR\tUncaught Exception \t${JSON.stringify(errorPayloadOf(error))}`,
    );
  }

  private exitReason(): string {
    if ((this.crash as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return 'Runtime exited with error: signal: killed';
    }
    if (this.exitCode === 0 && !this.crash) return 'Runtime exited without providing a reason';
    return `Runtime exited with error: exit status ${this.exitCode}`;
  }

  private drain(stream: NodeJS.ReadableStream, splitter: LineSplitter): void {
    for (let chunk = stream.read(); chunk !== null; chunk = stream.read()) {
      splitter.push(String(chunk));
    }
  }

  private exited(code: number): void {
    this.alive = false;
    this.exitCode = code;
    this.drain(this.worker.stdout, this.stdout);
    this.drain(this.worker.stderr, this.stderr);
    this.stdout.flush();
    this.stderr.flush();
    this.settleReady({
      ok: false,
      error: (requestId) => exitError(requestId, this.exitReason()),
    });
    const pending = this.pending;
    if (pending) {
      pending.resolve({
        ok: false,
        error:
          this.timedOutAfterSeconds !== undefined
            ? timeoutError(pending.requestId, this.timedOutAfterSeconds)
            : exitError(pending.requestId, this.exitReason()),
      });
    }
    this.options.onExit(this);
  }
}
