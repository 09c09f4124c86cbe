/**
 * The bootstrap of one sandbox, run in its own worker thread: Lambda's Node.js runtime in
 * miniature. It loads the function's module once (the init phase), then serves one invocation at
 * a time, keeping module state between them like a warm Lambda environment.
 *
 * Compiled on its own by esbuild at runtime (workers get no TypeScript loader), so it may import
 * Node built-ins and types only.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, types } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type {
  ErrorPayload,
  InvokeMessage,
  SandboxWorkerData,
  WorkerMessage,
} from './worker-protocol';

type Callback = (error?: unknown, result?: unknown) => void;
type Handler = (event: unknown, context: LambdaContext, callback: Callback) => unknown;

interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done: Callback;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
}

/** Errors of the runtime itself carry Lambda's `Runtime.` names. */
class RuntimeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const data = workerData as SandboxWorkerData;
const port = parentPort;
if (!port) throw new Error('lambda-worker runs in a worker thread only');

let currentRequestId: string | undefined;

function post(message: WorkerMessage): void {
  port?.postMessage(message);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** As Lambda's runtime interface client reports an error. */
function toErrorPayload(error: unknown): ErrorPayload {
  if (types.isNativeError(error) || error instanceof Error) {
    const name = error.name || error.constructor.name || 'Error';
    return {
      errorType: name,
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/**
 * Lambda's runtime replaces console: each line carries the time, the request id and the level
 * (Text), or is a JSON record (JSON, where the application log level, INFO unless
 * AWS_LAMBDA_LOG_LEVEL says otherwise, filters lines).
 */
function patchConsole(): void {
  const json = data.logFormat === 'JSON';
  const threshold = json
    ? Math.max(0, LEVELS.indexOf((process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase()))
    : 0;
  const writer =
    (level: string) =>
    (...args: unknown[]): void => {
      if (LEVELS.indexOf(level) < threshold) return;
      const timestamp = new Date().toISOString();
      const message = format(...args);
      const line = json
        ? JSON.stringify({ timestamp, level, requestId: currentRequestId, message })
        : `${timestamp}\t${currentRequestId ?? 'undefined'}\t${level}\t${message}`;
      process.stdout.write(`${line}\n`);
    };
  console.log = writer('INFO');
  console.info = writer('INFO');
  console.warn = writer('WARN');
  console.error = writer('ERROR');
  console.debug = writer('DEBUG');
  console.trace = writer('TRACE');
}

/**
 * What the function writes travels on the same channel as the runtime's answers: no line can
 * arrive after the answer of its invocation, and a sandbox at rest holds nothing open in the
 * runtime (reading a worker's own stdout stream would).
 */
function captureOutput(): void {
  const capture =
    (stream: 'stdout' | 'stderr'): typeof process.stdout.write =>
    (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
      const text =
        typeof chunk === 'string'
          ? typeof encoding === 'string' && encoding !== 'utf8' && Buffer.isEncoding(encoding)
            ? Buffer.from(chunk, encoding).toString('utf8')
            : chunk
          : Buffer.from(chunk as Uint8Array).toString('utf8');
      post({ type: 'output', stream, text });
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(() => (done as () => void)());
      return true;
    };
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
}

/** MessagePorts are the runtime's own channels; anything else is the function's work. */
function eventLoopIsEmpty(): boolean {
  return process.getActiveResourcesInfo().every((resource) => resource === 'MessagePort');
}

let emptyEventLoop: Promise<void> | undefined;

/** One probe at a time: two would each see the other's timer and wait forever. */
function waitForEmptyEventLoop(): Promise<void> {
  emptyEventLoop ??= new Promise<void>((resolve) => {
    const check = (): void => {
      if (eventLoopIsEmpty()) {
        emptyEventLoop = undefined;
        resolve();
      } else setTimeout(() => setImmediate(check), 5);
    };
    setImmediate(check);
  });
  return emptyEventLoop;
}

function splitHandler(handler: string): { modulePath: string; exportPath: string[] } {
  const slash = handler.lastIndexOf('/');
  const base = handler.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) {
    throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handler}`);
  }
  return {
    modulePath: handler.slice(0, slash + 1) + base.slice(0, dot),
    exportPath: base.slice(dot + 1).split('.'),
  };
}

function importModule(file: string): Promise<unknown> {
  return import(pathToFileURL(file).href);
}

async function loadModule(modulePath: string): Promise<unknown> {
  const base = join(data.codeDir, modulePath);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((path) => existsSync(path));
  if (!file) {
    throw new RuntimeError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${modulePath}'\nRequire stack:\n- ${__filename}`,
    );
  }
  try {
    if (file.endsWith('.mjs')) return await importModule(file);
    try {
      return createRequire(file)(file) as unknown;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_REQUIRE_ESM') return await importModule(file);
      throw error;
    }
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new RuntimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
    }
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: ${(error as Error).message}`);
    }
    throw error;
  }
}

async function loadHandler(): Promise<Handler> {
  const { modulePath, exportPath } = splitHandler(data.handler);
  let target: unknown = await loadModule(modulePath);
  for (const key of exportPath) {
    target =
      target === null || target === undefined
        ? undefined
        : (target as Record<string, unknown>)[key];
  }
  if (typeof target !== 'function') {
    throw new RuntimeError(
      'Runtime.HandlerNotFound',
      `${modulePath}.${exportPath.join('.')} is undefined or not exported`,
    );
  }
  return target as Handler;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs a handler whichever way it answers: a promise, the callback, or (sync) nothing. */
function runHandler(handler: Handler, event: unknown, message: InvokeMessage): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const outcomeOf = (error: unknown, result: unknown): Outcome =>
      error !== null && error !== undefined ? { ok: false, error } : { ok: true, value: result };
    let calledBack = false;
    const callback: Callback = (error, result) => {
      if (calledBack || settled) return;
      calledBack = true;
      // Like Lambda, a callback answer waits for the event loop to drain unless told otherwise.
      if (context.callbackWaitsForEmptyEventLoop) {
        void waitForEmptyEventLoop().then(() => settle(outcomeOf(error, result)));
      } else settle(outcomeOf(error, result));
    };
    const context: LambdaContext = {
      functionName: data.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: message.invokedFunctionArn,
      memoryLimitInMB: String(data.memoryMb),
      awsRequestId: message.requestId,
      logGroupName: data.logGroupName,
      logStreamName: data.logStreamName,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
      done: callback,
      succeed: (result) => callback(null, result),
      fail: (error) => callback(error ?? new Error('handled')),
    };
    let returned: unknown;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      settle({ ok: false, error });
      return;
    }
    if (isThenable(returned)) {
      returned.then(
        (value) => settle({ ok: true, value }),
        (error: unknown) => settle({ ok: false, error }),
      );
      return;
    }
    // A sync handler that never calls back answers null once its work is done, as in Lambda.
    void waitForEmptyEventLoop().then(() => {
      if (!calledBack) settle({ ok: true, value: null });
    });
  });
}

function memoryUsedMb(): number {
  return Math.ceil(getHeapStatistics().total_heap_size / (1024 * 1024));
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  currentRequestId = message.requestId;
  let answer: WorkerMessage;
  try {
    const outcome = await runHandler(handler, JSON.parse(message.event), message);
    if (!outcome.ok) throw outcome.error;
    const payload: string | undefined = JSON.stringify(outcome.value);
    answer = {
      type: 'result',
      requestId: message.requestId,
      payload: payload ?? 'null',
      memoryUsedMb: memoryUsedMb(),
    };
  } catch (error) {
    answer = {
      type: 'error',
      requestId: message.requestId,
      error: toErrorPayload(error),
      memoryUsedMb: memoryUsedMb(),
    };
  }
  currentRequestId = undefined;
  post(answer);
}

async function main(): Promise<void> {
  captureOutput();
  patchConsole();
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    post({ type: 'initError', error: toErrorPayload(error) });
    return;
  }
  port?.on('message', (message: InvokeMessage) => {
    void invoke(handler, message);
  });
  post({ type: 'ready' });
}

void main();
