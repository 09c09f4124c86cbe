import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  GetFunctionCommand,
  InvalidRequestContentException,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { FIXTURE_ACCOUNT, FIXTURE_REGION, functionSpec, is } from '@serverless-week/test-support';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import type { LocalLog } from '../../../src/log';
import type { FunctionSpec } from '../../../src/stack/topology';
import { FunctionRuntime } from '../../../src/services/lambda/function-runtime';
import type { FunctionRuntimeOptions } from '../../../src/services/lambda/function-runtime';
import { zipBuffer } from '../../support/function-fixtures';

/**
 * The Lambda REST API of the local cloud, on the AWS endpoint, through the real LambdaClient (and
 * once with a bare HTTP request, as curl would send it).
 */

const REGION = FIXTURE_REGION;
const ACCOUNT = FIXTURE_ACCOUNT;

const HANDLERS = {
  echo: `exports.handler = async (event, context) => ({
    event,
    invokedFunctionArn: context.invokedFunctionArn,
  });`,
  thrower: `exports.handler = async () => { throw new TypeError('not a number'); };`,
  logger: `exports.handler = async (event) => {
    console.log('received', JSON.stringify(event));
    return 'logged';
  };`,
  slow: `exports.handler = async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return 'slept';
  };`,
};
type HandlerName = keyof typeof HANDLERS;

let directory: string;
let runtime: FunctionRuntime;
const functionLines: { name: string; line: string }[] = [];
const log: LocalLog = {
  write: () => undefined,
  functionLine: (name, line) => functionLines.push({ name, line }),
};

let lambda: LambdaClient;
let served: { client: LambdaClient; close(): Promise<void> };
let functionSpecs: FunctionSpec[];

function runtimeOptions(overrides: Partial<FunctionRuntimeOptions>): FunctionRuntimeOptions {
  return {
    functions: functionSpecs,
    asyncInvokeConfigs: [],
    asyncQueueFile: path.join(directory, 'async.journal'),
    workDir: path.join(directory, 'work'),
    baseEnvironment: {},
    credentialsFor: () => ({ accessKeyId: 'AKIDFUNCTION', secretAccessKey: 'secret' }),
    region: REGION,
    accountId: ACCOUNT,
    log,
    ...overrides,
  };
}

/** The runtime's Invoke API on a port of its own, and an SDK client that does not retry. */
async function serveApi(
  served: FunctionRuntime,
): Promise<{ client: LambdaClient; close(): Promise<void> }> {
  const http = createServer((request, response) =>
    served.handle(request, response, { accessKeyId: DEFAULT_ADMIN_CREDENTIALS.accessKeyId }),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const client = new LambdaClient({
    endpoint: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    region: REGION,
    credentials: DEFAULT_ADMIN_CREDENTIALS,
    maxAttempts: 1,
  });
  return {
    client,
    close: async () => {
      client.destroy();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** Polls until `condition` holds, a few seconds at most. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function payload(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

function decoded(bytes: Uint8Array | undefined): unknown {
  return JSON.parse(Buffer.from(bytes ?? []).toString('utf8')) as unknown;
}

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'lambda-invoke-api-'));
  functionSpecs = await Promise.all(
    (Object.keys(HANDLERS) as HandlerName[]).map(async (name) => {
      const zipPath = path.join(directory, `${name}.zip`);
      await writeFile(zipPath, await zipBuffer({ 'index.js': HANDLERS[name] }));
      return functionSpec(
        name,
        zipPath,
        name === 'echo' ? { environment: { TABLE_NAME: 'items' }, memoryMb: 256 } : {},
      );
    }),
  );
  runtime = new FunctionRuntime(runtimeOptions({}));
  served = await serveApi(runtime);
  lambda = served.client;
});

afterAll(async () => {
  await served.close();
  await runtime.stop();
  await rm(directory, { recursive: true, force: true });
});

describe('Invoke', () => {
  it("returns the function's result to a RequestResponse invocation", async () => {
    const response = await lambda.send(
      new InvokeCommand({
        FunctionName: 'echo',
        InvocationType: 'RequestResponse',
        Payload: payload({ id: 'item-1' }),
      }),
    );

    expect(response.StatusCode).toBe(200);
    expect(response.ExecutedVersion).toBe('$LATEST');
    expect(response.FunctionError).toBeUndefined();
    expect(decoded(response.Payload)).toEqual({
      event: { id: 'item-1' },
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:echo`,
    });
  });

  it('invokes synchronously when no invocation type is given, with {} for an empty payload', async () => {
    const response = await lambda.send(new InvokeCommand({ FunctionName: 'echo' }));

    expect(response.StatusCode).toBe(200);
    expect(decoded(response.Payload)).toMatchObject({ event: {} });
  });

  it('marks a failed invocation with X-Amz-Function-Error: Unhandled', async () => {
    const response = await lambda.send(
      new InvokeCommand({ FunctionName: 'thrower', Payload: payload({}) }),
    );

    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBe('Unhandled');
    expect(decoded(response.Payload)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'not a number',
    });
  });

  it('returns the last 4 KB of the logs in X-Amz-Log-Result when asked with X-Amz-Log-Type: Tail', async () => {
    const response = await lambda.send(
      new InvokeCommand({
        FunctionName: 'logger',
        LogType: 'Tail',
        Payload: payload({ marker: 'tail-me' }),
      }),
    );
    const tail = Buffer.from(response.LogResult ?? '', 'base64');

    expect(tail.length).toBeLessThanOrEqual(4096);
    expect(tail.toString('utf8')).toMatch(/^START RequestId: /);
    expect(tail.toString('utf8')).toContain('\tINFO\treceived {"marker":"tail-me"}');
    expect(tail.toString('utf8')).toContain('REPORT RequestId: ');
  });

  it('leaves the log tail out unless asked for it', async () => {
    const response = await lambda.send(
      new InvokeCommand({ FunctionName: 'logger', Payload: payload({}) }),
    );

    expect(response.LogResult).toBeUndefined();
  });

  it('queues an Event invocation and answers 202 with an empty body', async () => {
    const response = await lambda.send(
      new InvokeCommand({
        FunctionName: 'logger',
        InvocationType: 'Event',
        Payload: payload({ marker: 'queued' }),
      }),
    );

    expect(response.StatusCode).toBe(202);
    expect(response.Payload?.length ?? 0).toBe(0);
    await runtime.idle();
    expect(functionLines).toContainEqual({
      name: 'logger',
      line: is.stringContaining('received {"marker":"queued"}'),
    });
  });

  it('answers a DryRun with 204 without running the function', async () => {
    const before = functionLines.length;

    const response = await lambda.send(
      new InvokeCommand({ FunctionName: 'logger', InvocationType: 'DryRun' }),
    );

    expect(response.StatusCode).toBe(204);
    expect(functionLines.length).toBe(before);
  });

  it('accepts an ARN, a partial ARN and a Qualifier of $LATEST as the function name', async () => {
    const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:echo`;

    const byArn = await lambda.send(new InvokeCommand({ FunctionName: arn }));
    const byPartialArn = await lambda.send(
      new InvokeCommand({ FunctionName: `${ACCOUNT}:function:echo` }),
    );
    const qualified = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Qualifier: '$LATEST' }),
    );

    expect(decoded(byArn.Payload)).toMatchObject({ invokedFunctionArn: arn });
    expect(decoded(byPartialArn.Payload)).toMatchObject({ invokedFunctionArn: arn });
    expect(decoded(qualified.Payload)).toMatchObject({ invokedFunctionArn: `${arn}:$LATEST` });
  });

  it('answers ResourceNotFoundException for a function that does not exist', async () => {
    const invocation = lambda.send(new InvokeCommand({ FunctionName: 'missing' }));

    await expect(invocation).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(invocation).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
      Type: 'User',
      message: `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:missing`,
    });
  });

  it('answers InvalidRequestContentException for a payload that is not JSON', async () => {
    const invocation = lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{not json') }),
    );

    await expect(invocation).rejects.toBeInstanceOf(InvalidRequestContentException);
    await expect(invocation).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
      message: is.stringContaining('Could not parse request body into json'),
    });
  });

  it('answers RequestEntityTooLargeException (413) to an Event payload over 1 MB', async () => {
    const invocation = lambda.send(
      new InvokeCommand({
        FunctionName: 'logger',
        InvocationType: 'Event',
        Payload: payload({ data: 'x'.repeat(1024 * 1024) }),
      }),
    );

    await expect(invocation).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      $metadata: { httpStatusCode: 413 },
      message:
        '1048587 byte payload is too large for the Event invocation type (limit 1048576 bytes)',
    });
  });

  it('answers RequestEntityTooLargeException (413) to a RequestResponse payload over 6 MB', async () => {
    const invocation = lambda.send(
      new InvokeCommand({
        FunctionName: 'echo',
        Payload: payload({ data: 'x'.repeat(6 * 1024 * 1024) }),
      }),
    );

    await expect(invocation).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      $metadata: { httpStatusCode: 413 },
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
  });

  it("answers TooManyRequestsException (429) with Lambda's Reason once every sandbox stayed busy", async () => {
    // Given a function with one sandbox, busy, and callers that wait for it 20 ms at most
    const capped = new FunctionRuntime(
      runtimeOptions({
        asyncQueueFile: path.join(directory, 'capped.journal'),
        maxConcurrency: 1,
        sandboxWaitMs: 20,
      }),
    );
    const cappedApi = await serveApi(capped);
    try {
      const busy = cappedApi.client.send(new InvokeCommand({ FunctionName: 'slow' }));
      await waitFor(() => capped.invocations.busy);

      // When another invocation comes
      const refused = cappedApi.client
        .send(new InvokeCommand({ FunctionName: 'slow' }))
        .catch((error: unknown) => error);

      // Then it is throttled as Lambda throttles, and the first one still answers
      expect(await refused).toBeInstanceOf(TooManyRequestsException);
      expect(await refused).toMatchObject({
        $metadata: { httpStatusCode: 429 },
        message: 'Rate Exceeded.',
        Reason: 'ConcurrentInvocationLimitExceeded',
        Type: 'User',
      });
      expect((await busy).StatusCode).toBe(200);
    } finally {
      await cappedApi.close();
      await capped.stop();
    }
  });

  it('answers a bare HTTP request the way it answers the SDK', async () => {
    const endpoint = await lambda.config.endpoint?.();
    const url = `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`;

    const response = await fetch(`${url}/2015-03-31/functions/echo/invocations`, {
      method: 'POST',
      headers: { 'x-amz-log-type': 'Tail' },
      body: '{"plain":true}',
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(response.headers.get('x-amz-log-result')).toEqual(expect.any(String));
    expect(await response.json()).toMatchObject({ event: { plain: true } });
  });
});

describe('GetFunction and ListFunctions', () => {
  it("describe a function's configuration", async () => {
    const response = await lambda.send(new GetFunctionCommand({ FunctionName: 'echo' }));

    expect(response.Configuration).toMatchObject({
      FunctionName: 'echo',
      FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:echo`,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Timeout: 3,
      MemorySize: 256,
      Role: `arn:aws:iam::${ACCOUNT}:role/echo`,
      Environment: { Variables: { TABLE_NAME: 'items' } },
      CodeSha256: is.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      State: 'Active',
    });
  });

  it('answer ResourceNotFoundException for a function that does not exist', async () => {
    await expect(
      lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('list every function', async () => {
    const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));

    expect(Functions.map((fn) => fn.FunctionName)).toEqual(['echo', 'logger', 'slow', 'thrower']);
  });
});
