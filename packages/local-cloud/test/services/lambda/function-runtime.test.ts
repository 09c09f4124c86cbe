import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FIXTURE_ACCOUNT, FIXTURE_REGION, functionSpec, is } from '@serverless-week/test-support';
import type { LocalLog } from '../../../src/log';
import { TORN_TAIL } from '../../../src/persistence/journal';
import { FunctionRuntime } from '../../../src/services/lambda/function-runtime';
import { InvokeError } from '../../../src/services/lambda/invoke-error';
import type { FunctionRuntimeOptions } from '../../../src/services/lambda/function-runtime';
import type { InvokeResult } from '../../../src/services/lambda/types';
import type { FunctionSpec } from '../../../src/stack/topology';
import { zipBuffer } from '../../support/function-fixtures';

/**
 * The Lambda runtime of the local cloud: functions run from their deployment zips in worker
 * sandboxes, the way Lambda runs them. The handlers are tiny CommonJS modules zipped here.
 */

const REGION = FIXTURE_REGION;
const ACCOUNT = FIXTURE_ACCOUNT;
const FUNCTION_CREDENTIALS = { accessKeyId: 'AKIDFUNCTION', secretAccessKey: 'function-secret' };

const HANDLERS = {
  echo: `exports.handler = async (event, context) => ({
    event,
    env: { ...process.env },
    context: {
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      awsRequestId: context.awsRequestId,
      logGroupName: context.logGroupName,
      logStreamName: context.logStreamName,
      remainingTimeInMillis: context.getRemainingTimeInMillis(),
    },
  });`,
  counter: `let count = 0;
  exports.handler = async () => { count += 1; return count; };`,
  thrower: `class ValidationFailed extends Error {
    constructor(message) { super(message); this.name = 'ValidationFailed'; }
  }
  exports.handler = async () => { throw new ValidationFailed('bad input'); };`,
  sleeper: `exports.handler = async (event) => {
    if (event.sleep) await new Promise((resolve) => setTimeout(resolve, 5000));
    return 'awake';
  };`,
  exiter: `exports.handler = async (event) => {
    if (event.exit) {
      console.log('exiting now');
      process.exit(3);
    }
    return 'alive';
  };`,
  stray: `exports.handler = async (event) => {
    if (event.crash) {
      setTimeout(() => { throw new Error('stray callback'); }, 1);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return 'steady';
  };`,
  callback: `exports.handler = (event, context, callback) => {
    setTimeout(() => callback(null, { doubled: event.n * 2 }), 10);
  };`,
  logger: `console.log('loading the module');
  exports.handler = async () => {
    console.log('hello from the handler');
    console.error('something went %s', 'sideways');
    process.stdout.write('a partial line');
    return 'logged';
  };`,
  initThrows: `throw new Error('no configuration');`,
  notExported: `exports.other = async () => 'other';`,
  slow: `exports.handler = async () => {
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { started, finished: Date.now() };
  };`,
  marker: `exports.handler = async (event) => {
    console.log('ran ' + event.marker);
    return event.marker;
  };`,
  oversized: `exports.handler = async () => 'x'.repeat(7 * 1024 * 1024);`,
};
type HandlerName = keyof typeof HANDLERS;

interface RecordingLog extends LocalLog {
  functionLines(name: string): string[];
  writes: string[];
}

function recordingLog(): RecordingLog {
  const lines: { name: string; line: string }[] = [];
  const writes: string[] = [];
  return {
    write: (level, source, message) => writes.push(`${level} ${source} ${message}`),
    functionLine: (name, line) => lines.push({ name, line }),
    functionLines: (name) => lines.filter((entry) => entry.name === name).map((e) => e.line),
    writes,
  };
}

function parsed(result: InvokeResult): unknown {
  return JSON.parse(result.payload) as unknown;
}

/** Polls until `condition` holds (or gives up after a few seconds and lets the test fail). */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !condition(); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let directory: string;
let functions: Record<HandlerName, FunctionSpec>;
let log: RecordingLog;
let runtime: FunctionRuntime;
const parentSecret = process.env.AWS_SECRET_ACCESS_KEY;
let journals = 0;

/** A journal of asynchronous invocations of its own, for a runtime that shares none. */
function newJournal(): string {
  journals += 1;
  return path.join(directory, 'journals', `async-${journals}.journal`);
}

function options(overrides: Partial<FunctionRuntimeOptions> = {}): FunctionRuntimeOptions {
  return {
    functions: Object.values(functions),
    asyncInvokeConfigs: [],
    asyncQueueFile: newJournal(),
    workDir: path.join(directory, 'work'),
    baseEnvironment: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', SHARED: 'from-base' },
    credentialsFor: () => FUNCTION_CREDENTIALS,
    region: REGION,
    accountId: ACCOUNT,
    log,
    ...overrides,
  };
}

async function zipFunction(name: string, files: Record<string, string>): Promise<string> {
  const zipPath = path.join(directory, `${name}.zip`);
  await writeFile(zipPath, await zipBuffer(files));
  return zipPath;
}

beforeAll(async () => {
  process.env.AWS_SECRET_ACCESS_KEY = 'the-developers-real-secret';
  directory = await mkdtemp(path.join(tmpdir(), 'function-runtime-'));
  const entries = await Promise.all(
    (Object.keys(HANDLERS) as HandlerName[]).map(async (name) => {
      const zipPath = await zipFunction(name, { 'index.js': HANDLERS[name] });
      return [name, zipPath] as const;
    }),
  );
  const zips = Object.fromEntries(entries) as Record<HandlerName, string>;
  functions = {
    echo: functionSpec('echo', zips.echo, {
      memoryMb: 256,
      environment: { TABLE_NAME: 'items', SHARED: 'from-function' },
    }),
    counter: functionSpec('counter', zips.counter),
    thrower: functionSpec('thrower', zips.thrower),
    sleeper: functionSpec('sleeper', zips.sleeper, { timeoutSeconds: 1 }),
    exiter: functionSpec('exiter', zips.exiter),
    stray: functionSpec('stray', zips.stray),
    callback: functionSpec('callback', zips.callback),
    logger: functionSpec('logger', zips.logger),
    initThrows: functionSpec('init-throws', zips.initThrows),
    notExported: functionSpec('not-exported', zips.notExported),
    slow: functionSpec('slow', zips.slow),
    marker: functionSpec('marker', zips.marker),
    oversized: functionSpec('oversized', zips.oversized),
  };
  log = recordingLog();
  runtime = new FunctionRuntime(options());
});

afterAll(async () => {
  await runtime.stop();
  if (parentSecret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  else process.env.AWS_SECRET_ACCESS_KEY = parentSecret;
  await rm(directory, { recursive: true, force: true });
});

describe('invoking a function', () => {
  it('hands the event to the handler and returns its result as JSON', async () => {
    const result = await runtime.invoke('echo', { id: 'item-1', tags: ['a', 'b'] });

    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBeUndefined();
    expect(parsed(result)).toMatchObject({ event: { id: 'item-1', tags: ['a', 'b'] } });
  });

  it("gives the handler Lambda's context object", async () => {
    const result = await runtime.invoke(`${functions.echo.arn}:$LATEST`, {});

    expect(parsed(result)).toMatchObject({
      context: {
        functionName: 'echo',
        functionVersion: '$LATEST',
        invokedFunctionArn: `${functions.echo.arn}:$LATEST`,
        memoryLimitInMB: '256',
        awsRequestId: is.stringMatching(/^[0-9a-f-]{36}$/),
        logGroupName: '/aws/lambda/echo',
        logStreamName: is.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
        remainingTimeInMillis: is.any(Number),
      },
    });
  });

  it("runs the function with its own variables and Lambda's, over the base environment", async () => {
    const { env } = parsed(await runtime.invoke('echo', {})) as { env: Record<string, string> };

    expect(env).toMatchObject({
      TABLE_NAME: 'items',
      SHARED: 'from-function',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_LAMBDA_FUNCTION_NAME: 'echo',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/echo',
      AWS_LAMBDA_LOG_FORMAT: 'Text',
      _HANDLER: 'index.handler',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_ACCESS_KEY_ID: FUNCTION_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FUNCTION_CREDENTIALS.secretAccessKey,
    });
    expect(env.LAMBDA_TASK_ROOT).toContain(path.join(directory, 'work', 'echo'));
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/\[\$LATEST\]/);
  });

  it("never lets the parent process's environment reach a function", async () => {
    const { env } = parsed(await runtime.invoke('echo', {})) as { env: Record<string, string> };

    expect(Object.values(env)).not.toContain('the-developers-real-secret');
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(env.HOME).toBeUndefined();
  });

  it('finds a function by name, ARN, qualified ARN and partial ARN', () => {
    const { arn } = functions.echo;

    expect(runtime.find('echo')).toBe(functions.echo);
    expect(runtime.find(arn)).toBe(functions.echo);
    expect(runtime.find(`${arn}:$LATEST`)).toBe(functions.echo);
    expect(runtime.find(`${ACCOUNT}:function:echo`)).toBe(functions.echo);
    expect(runtime.find('echo:7')).toBeUndefined();
    expect(runtime.find('nope')).toBeUndefined();
  });

  it('rejects an invocation of a function that does not exist', async () => {
    await expect(runtime.invoke('nope', {})).rejects.toThrow(
      `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:nope`,
    );
  });

  it('supports callback-style handlers', async () => {
    const result = await runtime.invoke('callback', { n: 21 });

    expect(parsed(result)).toEqual({ doubled: 42 });
  });
});

describe('sandboxes', () => {
  it('keep module state between warm invocations', async () => {
    await runtime.reload(functions.counter);

    const counts = [
      await runtime.invoke('counter', {}),
      await runtime.invoke('counter', {}),
      await runtime.invoke('counter', {}),
    ].map(parsed);

    expect(counts).toEqual([1, 2, 3]);
    expect(runtime.sandboxes().counter).toBe(1);
  });

  it('start afresh after a reload', async () => {
    await runtime.invoke('counter', {});
    await runtime.invoke('counter', {});

    await runtime.reload(functions.counter);
    const result = await runtime.invoke('counter', {});

    expect(parsed(result)).toBe(1);
  });

  it('run a reloaded zip with its new code', async () => {
    const zipPath = await zipFunction('counter-v2', {
      'index.js': 'exports.handler = async () => "version two";',
    });
    const updated = functionSpec('counter', zipPath);

    await runtime.reload(updated);
    const result = await runtime.invoke('counter', {});
    await runtime.reload(functions.counter);

    expect(parsed(result)).toBe('version two');
    expect(existsSync(path.join(directory, 'work', 'counter'))).toBe(true);
    expect(readdirSync(path.join(directory, 'work', 'counter')).length).toBe(2);
  });

  it('let a busy sandbox finish its invocation when its function is reloaded', async () => {
    const busy = runtime.invoke('slow', {});

    await runtime.reload(functions.slow);
    const result = await busy;

    expect(result.functionError).toBeUndefined();
    expect(runtime.sandboxes().slow).toBeUndefined();
  });

  it('stop once idle for idleTimeoutMs', async () => {
    const brief = new FunctionRuntime(options({ idleTimeoutMs: 50 }));
    try {
      await brief.invoke('counter', {});
      const warm = brief.sandboxes();

      await waitUntil(() => brief.sandboxes().counter === undefined);

      expect(warm).toEqual({ counter: 1 });
      expect(brief.sandboxes()).toEqual({});
    } finally {
      await brief.stop();
    }
  });

  it('run at most maxConcurrency at once: further invocations wait their turn for a while', async () => {
    const capped = new FunctionRuntime(options({ maxConcurrency: 1 }));
    try {
      const [first, second] = (
        await Promise.all([capped.invoke('slow', {}), capped.invoke('slow', {})])
      ).map(parsed) as { started: number; finished: number }[];

      expect(second?.started).toBeGreaterThanOrEqual(first?.finished ?? Infinity);
      expect(capped.sandboxes()).toEqual({ slow: 1 });
    } finally {
      await capped.stop();
    }
  });

  it("throttle a synchronous invocation with Lambda's 429 once every sandbox stayed busy for sandboxWaitMs", async () => {
    // Given a function whose only sandbox is busy, and callers that wait 20 ms for it
    const capped = new FunctionRuntime(options({ maxConcurrency: 1, sandboxWaitMs: 20 }));
    try {
      const busy = capped.invoke('slow', {});

      // When another invocation comes
      const refused = await capped.invoke('slow', {}).catch((error: unknown) => error);
      await busy;

      // Then Lambda's TooManyRequestsException is what it gets, rather than a place in a queue
      expect(refused).toBeInstanceOf(InvokeError);
      expect(refused).toMatchObject({
        statusCode: 429,
        type: 'TooManyRequestsException',
        message: 'Rate Exceeded.',
        fields: { Reason: 'ConcurrentInvocationLimitExceeded' },
      });
      expect(log.writes).toContainEqual(is.stringMatching(/slow: throttled/));
    } finally {
      await capped.stop();
    }
  });

  it('withdraw an invocation whose caller gave up while it waited for a sandbox', async () => {
    // Given a function whose only sandbox is busy and a caller waiting for it
    const capped = new FunctionRuntime(options({ maxConcurrency: 1 }));
    const lines = log.functionLines('marker').length;
    try {
      const busy = capped.invoke('marker', { marker: 'first' });
      const gaveUp = new AbortController();
      const waiting = capped.invoke('marker', { marker: 'abandoned' }, { signal: gaveUp.signal });

      // When the caller gives up before a sandbox is free
      gaveUp.abort(new Error('the caller gave up'));

      // Then its invocation is withdrawn and never runs
      await expect(waiting).rejects.toThrow('the caller gave up');
      await busy;
      await capped.idle();
      const ran = log.functionLines('marker').slice(lines);
      expect(ran).toContainEqual(is.stringContaining('ran first'));
      expect(ran).not.toContainEqual(is.stringContaining('ran abandoned'));
    } finally {
      await capped.stop();
    }
  });

  it('throttle every invocation of a function whose reserved concurrency is 0', async () => {
    const closed = new FunctionRuntime(
      options({ functions: [{ ...functions.marker, reservedConcurrency: 0 }] }),
    );
    try {
      await expect(closed.invoke('marker', { marker: 'never' })).rejects.toMatchObject({
        statusCode: 429,
        fields: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
      });
    } finally {
      await closed.stop();
    }
  });

  it('refuse a zip whose entries would land outside the extraction directory', async () => {
    const honest = await zipBuffer({ 'xx/evil.js': 'exports.handler = async () => "escaped"' });
    const zipPath = path.join(directory, 'slip.zip');
    await writeFile(
      zipPath,
      Buffer.from(honest.toString('latin1').replace(/xx\//g, '../'), 'latin1'),
    );
    const slip = new FunctionRuntime(
      options({ functions: [functionSpec('slip', zipPath, { handler: 'evil.handler' })] }),
    );
    try {
      const result = await slip.invoke('slip', {});

      expect(result.functionError).toBe('Unhandled');
      expect(parsed(result)).toMatchObject({
        errorMessage: is.stringMatching(/Cannot load the deployment package .*\.\.\/evil\.js/),
      });
      expect(existsSync(path.join(directory, 'work', 'slip', 'evil.js'))).toBe(false);
      expect(existsSync(path.join(directory, 'work', 'evil.js'))).toBe(false);
    } finally {
      await slip.stop();
    }
  });
});

describe('function errors', () => {
  it('come back as an Unhandled error with the error type, message and trace', async () => {
    const result = await runtime.invoke('thrower', {});

    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBe('Unhandled');
    expect(parsed(result)).toEqual({
      errorType: 'ValidationFailed',
      errorMessage: 'bad input',
      trace: is.arrayContaining([is.stringContaining('ValidationFailed: bad input')]),
    });
  });

  it('report a module that cannot be found as Runtime.ImportModuleError', async () => {
    const missing = new FunctionRuntime(
      options({
        functions: [functionSpec('missing', functions.echo.zipPath, { handler: 'app.handler' })],
      }),
    );
    try {
      const result = await missing.invoke('missing', {});

      expect(result.functionError).toBe('Unhandled');
      expect(parsed(result)).toMatchObject({
        errorType: 'Runtime.ImportModuleError',
        errorMessage: is.stringContaining("Cannot find module 'app'"),
      });
    } finally {
      await missing.stop();
    }
  });

  it('report a handler the module does not export as Runtime.HandlerNotFound', async () => {
    const result = await runtime.invoke('not-exported', {});

    expect(parsed(result)).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is undefined or not exported',
    });
  });

  it('report an error thrown at init and discard the sandbox', async () => {
    const result = await runtime.invoke('init-throws', {});

    expect(result.functionError).toBe('Unhandled');
    expect(parsed(result)).toMatchObject({ errorType: 'Error', errorMessage: 'no configuration' });
    expect(runtime.sandboxes()['init-throws']).toBeUndefined();
  });

  it('time out after the function timeout, and the next invocation starts cold and works', async () => {
    const timedOut = await runtime.invoke('sleeper', { sleep: true });
    const next = await runtime.invoke('sleeper', { sleep: false });

    expect(timedOut.functionError).toBe('Unhandled');
    expect(parsed(timedOut)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: is.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/,
      ),
    });
    expect(timedOut.logTail).toContain('Task timed out after 1.00 seconds');
    expect(parsed(next)).toBe('awake');
    expect(next.logTail).toContain('Init Duration');
  });

  it('end only the sandbox when the function calls process.exit', async () => {
    const exited = await runtime.invoke('exiter', { exit: true });
    const next = await runtime.invoke('exiter', {});

    expect(exited.functionError).toBe('Unhandled');
    expect(parsed(exited)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: is.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/,
      ),
    });
    expect(exited.logTail).toContain('exiting now');
    expect(parsed(next)).toBe('alive');
  });

  it('end only the sandbox when a stray callback throws', async () => {
    const crashed = await runtime.invoke('stray', { crash: true });
    const next = await runtime.invoke('stray', {});

    expect(parsed(crashed)).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(crashed.logTail).toContain('stray callback');
    expect(parsed(next)).toBe('steady');
  });
});

describe('logs', () => {
  it("reach the local log under the function's name, framed by START, END and REPORT", async () => {
    await runtime.invoke('logger', {});
    const lines = log.functionLines('logger');

    expect(lines[0]).toMatch(/\tundefined\tINFO\tloading the module$/);
    expect(lines).toEqual(
      is.arrayContaining([
        is.stringMatching(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/),
        is.stringMatching(/^\S+Z\t[0-9a-f-]{36}\tINFO\thello from the handler$/),
        is.stringMatching(/\tERROR\tsomething went sideways$/),
        'a partial line',
        is.stringMatching(/^END RequestId: /),
        is.stringMatching(
          /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms$/,
        ),
      ]),
    );
    expect(log.functionLines('echo')).not.toContain('a partial line');
  });

  it("come back with the result as the invocation's log tail", async () => {
    const result = await runtime.invoke('logger', {});

    expect(result.logTail).toMatch(/^START RequestId: /);
    expect(result.logTail).toContain('hello from the handler');
    expect(result.logTail).toContain('a partial line\nEND RequestId: ');
    expect(result.logTail).not.toContain('loading the module');
    expect(result.logTail).toMatch(/REPORT RequestId: .*\n$/);
  });
});

describe('asynchronous invocation', () => {
  const failures = `arn:aws:sqs:${REGION}:${ACCOUNT}:failures`;
  const successes = `arn:aws:sns:${REGION}:${ACCOUNT}:successes`;

  function asyncRuntime(
    delivered: { arn: string; record: unknown }[],
    overrides: Partial<FunctionRuntimeOptions> = {},
  ): FunctionRuntime {
    return new FunctionRuntime(
      options({
        asyncInvokeConfigs: [
          {
            address: 'aws_lambda_function_event_invoke_config.thrower',
            functionArn: functions.thrower.arn,
            maximumRetryAttempts: 2,
            maximumEventAgeSeconds: 60,
            onFailureDestination: failures,
          },
          {
            address: 'aws_lambda_function_event_invoke_config.callback',
            functionArn: `${functions.callback.arn}:$LATEST`,
            maximumRetryAttempts: 0,
            maximumEventAgeSeconds: 60,
            onSuccessDestination: successes,
          },
        ],
        asyncRetryDelaysMs: [10, 20],
        destinations: {
          deliver: (arn, record) => {
            delivered.push({ arn, record });
            return Promise.resolve();
          },
        },
        ...overrides,
      }),
    );
  }

  it('retries a failing function, then sends the destination record to on-failure', async () => {
    const delivered: { arn: string; record: unknown }[] = [];
    const events = asyncRuntime(delivered);
    try {
      events.invokeAsync('thrower', { id: 'order-1' });
      await events.idle();

      expect(delivered).toEqual([
        {
          arn: failures,
          record: {
            version: '1.0',
            timestamp: is.stringMatching(/^\d{4}-\d\d-\d\dT/),
            requestContext: {
              requestId: is.stringMatching(/^[0-9a-f-]{36}$/),
              functionArn: `${functions.thrower.arn}:$LATEST`,
              condition: 'RetriesExhausted',
              approximateInvokeCount: 3,
            },
            requestPayload: { id: 'order-1' },
            responseContext: {
              statusCode: 200,
              executedVersion: '$LATEST',
              functionError: 'Unhandled',
            },
            responsePayload: is.objectContaining({
              errorType: 'ValidationFailed',
              errorMessage: 'bad input',
            }),
          },
        },
      ]);
    } finally {
      await events.stop();
    }
  });

  it('warns which invocation failed, why, and which on-failure destination receives it', async () => {
    const events = asyncRuntime([]);
    const earlier = log.writes.length;
    try {
      events.invokeAsync('thrower', { id: 'order-2' });
      await events.idle();

      const failed = log.writes.slice(earlier).filter((line) => line.includes('failed after'));
      expect(failed).toEqual([
        expect.stringMatching(
          new RegExp(
            `^warn lambda ${functions.thrower.name}: async invocation [0-9a-f-]{36} failed after 3 attempt\\(s\\) \\(RetriesExhausted, last error ValidationFailed: bad input\\); sending it to ${failures}$`,
          ),
        ),
      ]);
    } finally {
      await events.stop();
    }
  });

  it('sends the result of a successful invocation to on-success', async () => {
    const delivered: { arn: string; record: unknown }[] = [];
    const events = asyncRuntime(delivered);
    try {
      events.invokeAsync('callback', { n: 4 });
      await events.idle();

      expect(delivered).toEqual([
        {
          arn: successes,
          record: is.objectContaining({
            requestContext: is.objectContaining({
              condition: 'Success',
              approximateInvokeCount: 1,
            }),
            requestPayload: { n: 4 },
            responseContext: { statusCode: 200, executedVersion: '$LATEST' },
            responsePayload: { doubled: 8 },
          }),
        },
      ]);
    } finally {
      await events.stop();
    }
  });

  /**
   * Starts a runtime on `journal` as the next boot would, lets it run what it resumed, stops it,
   * and returns the lines the `marker` function printed meanwhile.
   */
  async function markerLinesOfNextStart(
    journal: string,
    overrides: Partial<FunctionRuntimeOptions> = {},
  ): Promise<string[]> {
    const lines = log.functionLines('marker').length;
    const next = new FunctionRuntime(options({ asyncQueueFile: journal, ...overrides }));
    try {
      next.resumeAsyncInvocations();
      await next.idle();
      return log.functionLines('marker').slice(lines);
    } finally {
      await next.stop();
    }
  }

  /** A journal holding one event for `marker`, queued after a stop began, so it never ran. */
  async function journalLeftByAStop(marker: string): Promise<string> {
    const journal = newJournal();
    const first = new FunctionRuntime(options({ asyncQueueFile: journal }));
    first.stopTakingAsyncWork();
    first.invokeAsync('marker', { marker });
    await first.stop();
    return journal;
  }

  it('keeps an Event invocation queued at a stop in its journal, and runs it at the next start', async () => {
    // Given an event queued after a stop began (the runtime took no more asynchronous work)
    const journal = await journalLeftByAStop('after-the-stop');

    // When a runtime starts on the same journal
    const ran = await markerLinesOfNextStart(journal);

    // Then the invocation runs, once
    expect(ran.filter((line) => line.includes('ran after-the-stop'))).toHaveLength(1);
  });

  it('runs what was queued, and warns, when a crash tore the last line of the journal', async () => {
    // Given a queued event, then a journal write a kill -9 cut short
    const journal = await journalLeftByAStop('before-the-tear');
    appendFileSync(journal, '{"op":"queued","invoc');

    // When a runtime starts on that journal
    const ran = await markerLinesOfNextStart(journal);

    // Then the acknowledged event runs, and the torn record is cut off with a warning
    expect(ran.filter((line) => line.includes('ran before-the-tear'))).toHaveLength(1);
    expect(log.writes).toContainEqual(`warn lambda ${journal}: ${TORN_TAIL}`);
  });

  it('journals an Event invocation before invokeAsync returns: it survives kill -9 of the process', async () => {
    // Given a process that queues an event and is killed (SIGKILL) right after
    const journal = newJournal();
    const script = `
      const { FunctionRuntime } = require(${JSON.stringify(path.join(__dirname, '../../../src/services/lambda/function-runtime'))});
      const runtime = new FunctionRuntime({
        functions: [${JSON.stringify(functions.marker)}],
        asyncInvokeConfigs: [],
        asyncQueueFile: ${JSON.stringify(journal)},
        workDir: ${JSON.stringify(path.join(directory, 'work'))},
        baseEnvironment: {},
        credentialsFor: () => ({ accessKeyId: 'AKID', secretAccessKey: 'secret' }),
        region: 'us-east-1',
        accountId: '000000000000',
        log: { write: () => undefined, functionLine: () => undefined },
      });
      runtime.invokeAsync('marker', { marker: 'killed-before-it-ran' });
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      encoding: 'utf8',
    });
    expect(child.signal).toBe('SIGKILL');

    // When a runtime starts on its journal
    const ran = await markerLinesOfNextStart(journal);

    // Then the event is delivered
    expect(ran).toContainEqual(is.stringContaining('ran killed-before-it-ran'));
  });

  it('does not run a finished invocation again at the next start', async () => {
    // Given an event that ran to completion
    const journal = newJournal();
    const first = new FunctionRuntime(options({ asyncQueueFile: journal }));
    first.invokeAsync('marker', { marker: 'once' });
    await first.idle();
    await first.stop();

    // When a runtime starts on the same journal
    const ran = await markerLinesOfNextStart(journal);

    // Then nothing runs
    expect(ran).toEqual([]);
  });

  it('keeps the attempts already made when a failing invocation resumes at the next start', async () => {
    // Given an event whose first attempt failed, stopped while it waits for its retry
    const delivered: { arn: string; record: unknown }[] = [];
    const journal = newJournal();
    const first = asyncRuntime(delivered, { asyncQueueFile: journal, asyncRetryDelaysMs: [200] });
    first.invokeAsync('thrower', { id: 'order-2' });
    await waitUntil(() => log.writes.some((line) => /retrying in 200 ms/.test(line)));
    await first.stop();

    // When a runtime starts on the same journal
    const starts = (): number =>
      log.functionLines('thrower').filter((line) => line.startsWith('START')).length;
    const before = starts();
    const second = asyncRuntime(delivered, { asyncQueueFile: journal });
    try {
      second.resumeAsyncInvocations();
      await second.idle();

      // Then it makes only the attempts left (2 of 3), and the record counts all three
      expect(starts() - before).toBe(2);
      expect(delivered).toEqual([
        {
          arn: failures,
          record: is.objectContaining({
            requestContext: is.objectContaining({
              condition: 'RetriesExhausted',
              approximateInvokeCount: 3,
            }),
            requestPayload: { id: 'order-2' },
          }),
        },
      ]);
    } finally {
      await second.stop();
    }
  });

  it('retries a throttled invocation with backoff rather than failing it, until the event is too old', async () => {
    // Given a function that takes no invocation (reserved concurrency 0) and a maximum event age
    // shorter than the second throttle backoff (1 s, then 2 s)
    const delivered: { arn: string; record: unknown }[] = [];
    const closed = new FunctionRuntime(
      options({
        functions: [{ ...functions.marker, reservedConcurrency: 0 }],
        asyncInvokeConfigs: [
          {
            address: 'aws_lambda_function_event_invoke_config.marker',
            functionArn: functions.marker.arn,
            maximumRetryAttempts: 0,
            maximumEventAgeSeconds: 1.5,
            onFailureDestination: failures,
          },
        ],
        destinations: {
          deliver: (arn, record) => {
            delivered.push({ arn, record });
            return Promise.resolve();
          },
        },
      }),
    );
    try {
      // When an event is queued for it
      closed.invokeAsync('marker', { marker: 'throttled' });
      await closed.idle();

      // Then it was retried (not failed at once, though no retry attempt is configured), and
      // given up only when too old, with no attempt counted
      expect(log.writes).toContainEqual(
        is.stringMatching(/marker: async invocation .* throttled \(429\), retrying in 1000 ms/),
      );
      expect(delivered).toEqual([
        {
          arn: failures,
          record: is.objectContaining({
            requestContext: is.objectContaining({
              condition: 'EventAgeExceeded',
              approximateInvokeCount: 0,
            }),
            responseContext: { statusCode: 429, executedVersion: '$LATEST' },
            responsePayload: {
              Type: 'User',
              message: 'Rate Exceeded.',
              Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
            },
          }),
        },
      ]);
    } finally {
      await closed.stop();
    }
  });

  it('reports invocations of a function the stack no longer has, and keeps them for one that has it', async () => {
    // Given an event queued for `marker` and left unfinished by a stop
    const journal = await journalLeftByAStop('orphan');

    // When a stack without `marker` starts on the journal
    await markerLinesOfNextStart(journal, { functions: [functions.echo] });

    // Then it says so, and a stack with `marker` still runs it
    expect(log.writes).toContainEqual(
      is.stringMatching(
        /pending async invocations of functions this stack does not have .*: marker \(1\)/,
      ),
    );
    expect(await markerLinesOfNextStart(journal)).toContainEqual(is.stringContaining('ran orphan'));
  });
});

describe('payload limits', () => {
  const over = (bytes: number): { data: string } => ({ data: 'x'.repeat(bytes) });

  it('refuse a synchronous request over 6 MB with RequestEntityTooLargeException', async () => {
    await expect(runtime.invoke('marker', over(6 * 1024 * 1024))).rejects.toMatchObject({
      statusCode: 413,
      type: 'RequestEntityTooLargeException',
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
  });

  it('fail a response over 6 MB with Function.ResponseSizeTooLarge', async () => {
    const result = await runtime.invoke('oversized', {});

    expect(result.functionError).toBe('Unhandled');
    expect(parsed(result)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  it("refuse an asynchronous request over 1 MB, with Lambda's error in the log, without running it", async () => {
    const lines = log.functionLines('marker').length;

    runtime.invokeAsync('marker', { marker: 'too-big', ...over(1024 * 1024) });
    await runtime.idle();

    expect(log.writes).toContainEqual(
      is.stringMatching(
        /Event invocation of marker refused: RequestEntityTooLargeException: \d+ byte payload is too large for the Event invocation type \(limit 1048576 bytes\)/,
      ),
    );
    expect(log.functionLines('marker').slice(lines)).toEqual([]);
  });
});
