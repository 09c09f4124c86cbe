/**
 * How the HTTP API answers an integration that did not give a response: a function that threw,
 * one Lambda refused to run, one that outlasted the integration's timeout. Functions are stood in
 * for by an invoker that fails as told.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLog } from '../../../src/log';
import { createHttpApi } from '../../../src/services/http-api/http-api';
import type { ProxyInvoker } from '../../../src/services/api-gateway/types';
import { throttled } from '../../../src/services/lambda/invoke-error';
import type { HttpApiSpec } from '../../../src/stack/topology';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:e2e-get-item';

const api: HttpApiSpec = {
  address: 'aws_apigatewayv2_api.http-api_FA544390',
  id: 'abcdef1234',
  name: 'e2e-items-http-api',
  executionArn: 'arn:aws:execute-api:us-east-1:000000000000:abcdef1234',
  stageName: '$default',
  routes: [
    {
      routeKey: 'GET /items/{id}',
      functionArn: FUNCTION_ARN,
      payloadFormatVersion: '2.0',
      timeoutMs: 200,
    },
  ],
};

let reply: ProxyInvoker['invoke'];
let server: Server;
let url: string;

beforeAll(async () => {
  const httpApi = createHttpApi({
    api,
    accountId: '000000000000',
    log: silentLog,
    functions: { invoke: (...args) => reply(...args) },
  });
  server = createServer((request, response) => httpApi.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/items/lamp-1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function answer(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

it('answers 500 {"message":"Internal Server Error"} when the function throws', async () => {
  reply = () =>
    Promise.resolve({
      payload: JSON.stringify({ errorType: 'TypeError', errorMessage: 'boom' }),
      functionError: 'Unhandled',
    });

  expect(await answer()).toEqual({ status: 500, body: { message: 'Internal Server Error' } });
});

it('answers 500 when Lambda throttles the invocation, not Lambda’s 429', async () => {
  reply = () => Promise.reject(throttled('ConcurrentInvocationLimitExceeded'));

  expect(await answer()).toEqual({ status: 500, body: { message: 'Internal Server Error' } });
});

it('answers 503 {"message":"Service Unavailable"} when the integration times out', async () => {
  reply = () => new Promise(() => undefined);

  expect(await answer()).toEqual({ status: 503, body: { message: 'Service Unavailable' } });
});

it('answers 500 to a malformed response', async () => {
  reply = () => Promise.resolve({ payload: JSON.stringify({ statusCode: 'nope' }) });

  expect(await answer()).toEqual({ status: 500, body: { message: 'Internal Server Error' } });
});
