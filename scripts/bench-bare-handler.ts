/**
 * The baseline of the local cloud's GET /items figures: the same list-items bundle, called directly
 * by a bare Node HTTP server with an API Gateway v1 proxy event built from the request, and its
 * DynamoDB client pointed at a dynalite of its own (the same package and patch, LevelDB on disk).
 * No gateway, IAM, worker or log pipeline: what is left is the handler, the SDK and dynalite.
 *
 * With BARE_WORKERS=n the handler runs in n worker threads instead, one invocation at a time each,
 * as the local cloud's sandboxes run it (and Lambda's execution environments): the cost of that
 * isolation is then in the baseline too, and what remains is the local cloud's own work.
 *
 * Run by bench-versus-bare.ts as a child process, so that its CPU time is its own. It reads
 * BARE_ZIP (the function's zip), BARE_DIR (a directory of its own) and the function's environment
 * from its environment, and prints one JSON line, `{"url", "dynamodb"}`, once it listens.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import dynalite from 'dynalite';
import { extractZip } from '@serverless-week/local-cloud';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The identity fields an unauthenticated REST API call has, all null. */
const UNAUTHENTICATED = [
  'accessKey',
  'accountId',
  'apiKey',
  'apiKeyId',
  'caller',
  'clientCert',
  'cognitoAuthenticationProvider',
  'cognitoAuthenticationType',
  'cognitoIdentityId',
  'cognitoIdentityPoolId',
  'principalOrgId',
  'user',
  'userArn',
] as const;

/** What a hand-written harness builds: the fields of a REST API proxy event, from the request. */
function proxyEvent(request: IncomingMessage, body: string): APIGatewayProxyEvent {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(request.headersDistinct)) {
    if (!value) continue;
    headers[name] = value.join(',');
    multiValueHeaders[name] = value;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  const now = Date.now();
  return {
    resource: url.pathname,
    path: url.pathname,
    httpMethod: request.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    body: body === '' ? null : body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bare',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: request.method ?? 'GET',
      path: url.pathname,
      stage: 'bare',
      requestId: randomUUID(),
      requestTimeEpoch: now,
      resourceId: 'bare',
      resourcePath: url.pathname,
      identity: {
        ...(Object.fromEntries(UNAUTHENTICATED.map((field) => [field, null])) as Record<
          (typeof UNAUTHENTICATED)[number],
          null
        >),
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? null,
      },
    },
  };
}

function contextFor(requestId: string): Context {
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bare';
  const deadline = Date.now() + 30000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'bare',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The smallest runtime that runs one invocation at a time in a worker thread. */
const WORKER_RUNTIME = `
const { parentPort, workerData } = require('node:worker_threads');
const { handler } = require(workerData.bundle);
parentPort.on('message', async ({ id, event }) => {
  const context = { awsRequestId: id, functionName: 'bare', callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30000 };
  try {
    parentPort.postMessage({ id, result: JSON.stringify(await handler(JSON.parse(event), context)) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});`;

/** Each invocation goes to an idle worker, or waits for one. */
function inWorkers(bundle: string, count: number): Handler {
  const idle = Array.from(
    { length: count },
    () => new Worker(WORKER_RUNTIME, { eval: true, workerData: { bundle } }),
  );
  const waiting: ((worker: Worker) => void)[] = [];
  const release = (worker: Worker): void => {
    const next = waiting.shift();
    if (next) next(worker);
    else idle.push(worker);
  };
  return async (event) => {
    const worker = idle.pop() ?? (await new Promise<Worker>((resolve) => waiting.push(resolve)));
    const id = event.requestContext.requestId;
    return new Promise((resolve, reject) => {
      const answered = (message: { id: string; result?: string; error?: string }): void => {
        if (message.id !== id) return;
        worker.off('message', answered);
        release(worker);
        if (message.result !== undefined)
          resolve(JSON.parse(message.result) as APIGatewayProxyResult);
        else reject(new Error(message.error));
      };
      worker.on('message', answered);
      worker.postMessage({ id, event: JSON.stringify(event) });
    });
  };
}

async function main(): Promise<void> {
  const zip = process.env.BARE_ZIP;
  const directory = process.env.BARE_DIR;
  if (!zip || !directory) throw new Error('BARE_ZIP and BARE_DIR must be set');

  const tables = dynalite({ createTableMs: 0, path: join(directory, 'dynamodb') });
  const dynamodb = await listen(tables);
  // The handler's clients read their endpoint at cold start, as in the local cloud.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb;

  const codeDir = join(directory, 'code');
  mkdirSync(codeDir, { recursive: true });
  await extractZip(zip, codeDir);
  const bundle = join(codeDir, 'index.js');
  const workers = Number(process.env.BARE_WORKERS ?? 0);
  const handler =
    workers > 0
      ? inWorkers(bundle, workers)
      : (createRequire(__filename)(bundle) as { handler: Handler }).handler;

  const server = createServer((request, response) => {
    void (async () => {
      const event = proxyEvent(request, await readBody(request));
      try {
        const result = await handler(event, contextFor(event.requestContext.requestId));
        const headers = { ...result.headers, ...result.multiValueHeaders };
        response.writeHead(result.statusCode, headers as Record<string, string | string[]>);
        response.end(result.body);
      } catch (error) {
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: String(error) }));
      }
    })();
  });
  const url = await listen(server);
  process.stdout.write(`${JSON.stringify({ url, dynamodb })}\n`);
  process.once('SIGTERM', () => {
    server.close();
    tables.close(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
