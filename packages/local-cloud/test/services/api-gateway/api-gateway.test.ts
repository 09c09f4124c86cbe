/**
 * The local API Gateway, serving an API document as a stack deploys one (the fixture openapi.json,
 * its integration URIs and allowed origin filled in, plus a few routes for what that document does
 * not exercise), over HTTP. Functions are stood in for by a recording invoker
 * that answers canned Lambda proxy results.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import apiDocument from '../../fixtures/openapi.json';
import { createLog } from '../../../src/log';
import type { LocalLog, LogLevel } from '../../../src/log';
import { createApiGateway } from '../../../src/services/api-gateway/api-gateway';
import type { ApiGateway, ApiGatewayOptions } from '../../../src/services/api-gateway/api-gateway';
import type {
  AwsServiceCaller,
  AwsServiceRequest,
  AwsServiceResponse,
  ProxyInvoker,
} from '../../../src/services/api-gateway/types';
import { throttled } from '../../../src/services/lambda/invoke-error';
import type { RestApiSpec } from '../../../src/stack/topology';
import type { Json } from '../../../src/json';
import { rawRequest } from '../../support/raw-request';

const REGION = 'us-east-1';
const ACCOUNT_ID = '000000000000';
const STAGE = 'e2e';
const ALLOWED_ORIGIN = 'http://127.0.0.1:3000';

const functionArn = (name: string): string =>
  `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${STAGE}-${name}`;
const invokeUri = (name: string): string =>
  `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${functionArn(name)}/invocations`;

function proxyOperation(operationId: string, extra: Record<string, Json> = {}): Json {
  return {
    operationId,
    responses: { '200': { description: 'OK' } },
    'x-amazon-apigateway-integration': {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: invokeUri(operationId),
      passthroughBehavior: 'when_no_match',
    },
    ...extra,
  };
}

const INTEGRATION_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/${STAGE}-send-to-inbox`;
const CORS_RESPONSE_HEADERS = {
  'method.response.header.Access-Control-Allow-Origin': `'${ALLOWED_ORIGIN}'`,
  'method.response.header.Vary': "'Origin'",
};

/** An SQS SendMessage integration as AWS's "REST API as an Amazon SQS proxy" tutorial makes it. */
function sendMessageIntegration(requestTemplate: string): Json {
  return {
    type: 'aws',
    httpMethod: 'POST',
    uri: `arn:aws:apigateway:${REGION}:sqs:path/${ACCOUNT_ID}/inbox`,
    credentials: INTEGRATION_ROLE,
    requestParameters: {
      'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
    },
    passthroughBehavior: 'never',
    requestTemplates: { 'application/json': requestTemplate },
    responses: {
      '2\\d{2}': {
        statusCode: '202',
        responseParameters: CORS_RESPONSE_HEADERS,
        responseTemplates: {
          'application/json':
            '{"messageId":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}',
        },
      },
      '4\\d{2}': {
        statusCode: '500',
        responseParameters: CORS_RESPONSE_HEADERS,
        responseTemplates: { 'application/json': '{"message":"The message could not be queued"}' },
      },
      '5\\d{2}': {
        statusCode: '503',
        responseParameters: CORS_RESPONSE_HEADERS,
        responseTemplates: { 'application/json': '{"message":"The queue is unavailable"}' },
      },
    },
  };
}

const SEND_MESSAGE_TEMPLATE =
  "Action=SendMessage&MessageBody=$util.urlEncode($input.path('$.body'))";

/** Routes the fixture document does not have, for behaviours it does not exercise. */
const TEST_PATHS: Record<string, Json> = {
  '/search': {
    get: proxyOperation('search', {
      parameters: [
        { name: 'q', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'X-Tenant', in: 'header', required: true, schema: { type: 'string' } },
      ],
      'x-amazon-apigateway-request-validator': 'params',
    }),
  },
  '/items/featured': { get: proxyOperation('featuredItems') },
  '/files/{path+}': { 'x-amazon-apigateway-any-method': proxyOperation('serveFile') },
  '/uploads': { post: proxyOperation('upload') },
  '/queue': {
    post: {
      operationId: 'enqueue',
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/MessageInput' } } },
      },
      responses: { '202': { description: 'Queued' } },
      'x-amazon-apigateway-request-validator': 'body',
      'x-amazon-apigateway-integration': sendMessageIntegration(SEND_MESSAGE_TEMPLATE),
    },
  },
  '/strict': {
    post: proxyOperation('strict', {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/MessageInput' } } },
      },
      'x-amazon-apigateway-request-validator': 'body',
      'x-amazon-apigateway-integration': {
        type: 'aws_proxy',
        httpMethod: 'POST',
        uri: invokeUri('strict'),
        passthroughBehavior: 'never',
      },
    }),
  },
};

/** The RestApiSpec the topology would hold: the document as the stack deployed it. */
function restApiSpec(change: (body: Record<string, Json>) => void = () => undefined): RestApiSpec {
  const body = JSON.parse(JSON.stringify(apiDocument)) as Record<string, Json>;
  // A copy: a spec that changes its document must not change the next one's.
  Object.assign(body.paths as Record<string, Json>, structuredClone(TEST_PATHS));
  change(body);
  return {
    address: 'aws_api_gateway_rest_api.api_api_1A2B3C4D',
    id: 'abcdef1234',
    name: `${STAGE}-api`,
    body,
    executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:abcdef1234`,
    stageName: STAGE,
    binaryMediaTypes: ['image/*', 'application/octet-stream'],
  };
}

type Reply = (
  functionArn: string,
  event: unknown,
) => Promise<{ payload: string; functionError?: string }>;

const proxyResult = (result: Record<string, Json>): { payload: string } => ({
  payload: JSON.stringify(result),
});
const OK: Reply = () =>
  Promise.resolve(
    proxyResult({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json' },
      body: '{"ok":true}',
    }),
  );

/** Records what the gateway invokes, answers what the test says. */
class RecordingInvoker implements ProxyInvoker {
  calls: { functionArn: string; event: APIGatewayProxyEvent; signal?: AbortSignal }[] = [];
  reply: Reply = OK;

  invoke(
    functionArn: string,
    event: unknown,
    options: { signal?: AbortSignal } = {},
  ): Promise<{ payload: string; functionError?: string }> {
    this.calls.push({ functionArn, event: event as APIGatewayProxyEvent, signal: options.signal });
    return this.reply(functionArn, event);
  }

  get lastEvent(): APIGatewayProxyEvent {
    const call = this.calls.at(-1);
    if (!call) throw new Error('No function was invoked');
    return call.event;
  }
}

const SENT = {
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(
    JSON.stringify({
      SendMessageResponse: {
        SendMessageResult: { MessageId: '5fea7756-0ea4-451a-a703-a558b933e274' },
        ResponseMetadata: { RequestId: 'b5bf2332-e983-5d2d-b5ae-63b4b4ec5a00' },
      },
    }),
  ),
};

/** Records the service calls of `aws` integrations, answers what the test says. */
class RecordingServices implements AwsServiceCaller {
  calls: AwsServiceRequest[] = [];
  reply: () => Promise<AwsServiceResponse> = () => Promise.resolve(SENT);

  call(request: AwsServiceRequest): Promise<AwsServiceResponse> {
    this.calls.push(request);
    return this.reply();
  }
}

class RecordingLog implements LocalLog {
  lines: { level: LogLevel; source: string; message: string }[] = [];
  write(level: LogLevel, source: string, message: string): void {
    this.lines.push({ level, source, message });
  }
  functionLine(): void {}
  at(level: LogLevel): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

interface Served {
  gateway: ApiGateway;
  url: string;
  close(): Promise<void>;
}

async function serve(
  options: Partial<ApiGatewayOptions> & Pick<ApiGatewayOptions, 'functions' | 'log'>,
): Promise<Served> {
  const gateway = createApiGateway({
    api: restApiSpec(),
    region: REGION,
    accountId: ACCOUNT_ID,
    ...options,
  });
  const server: Server = createServer((request, response) => gateway.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    gateway,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const functions = new RecordingInvoker();
const services = new RecordingServices();
const log = new RecordingLog();
let api: Served;

beforeAll(async () => {
  api = await serve({ functions, services, log });
});

afterAll(async () => {
  await api?.close();
});

beforeEach(() => {
  functions.calls = [];
  functions.reply = OK;
  services.calls = [];
  services.reply = () => Promise.resolve(SENT);
  log.lines = [];
});

const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });

describe('routing', () => {
  it('routes a path template to its function with the path parameter decoded', async () => {
    const response = await fetch(`${api.url}/items/a%2Fb%20c`);

    expect(response.status).toBe(200);
    expect(functions.calls.map((call) => call.functionArn)).toEqual([functionArn('getItem')]);
    expect(functions.lastEvent).toMatchObject({
      resource: '/items/{id}',
      path: '/items/a%2Fb%20c',
      httpMethod: 'GET',
      pathParameters: { id: 'a/b c' },
    });
  });

  it('prefers a literal segment over a path parameter', async () => {
    await fetch(`${api.url}/items/featured`);

    expect(functions.calls.map((call) => call.functionArn)).toEqual([functionArn('featuredItems')]);
  });

  it('accepts the stage prefix and strips it from the path', async () => {
    await fetch(`${api.url}/${STAGE}/items`);

    expect(functions.lastEvent.path).toBe('/items');
    expect(functions.lastEvent.requestContext.path).toBe(`/${STAGE}/items`);
    expect(functions.calls[0]?.functionArn).toBe(functionArn('listItems'));
  });

  it('gives a greedy {path+} resource the rest of the path, for any method', async () => {
    await fetch(`${api.url}/files/docs/read%20me.txt`, { method: 'DELETE' });

    expect(functions.lastEvent).toMatchObject({
      resource: '/files/{path+}',
      httpMethod: 'DELETE',
      pathParameters: { path: 'docs/read me.txt' },
    });
  });

  it('answers an unknown path with 403 Missing Authentication Token and the CORS headers of DEFAULT_4XX', async () => {
    const response = await fetch(`${api.url}/nowhere`);

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(functions.calls).toHaveLength(0);
  });

  it('answers a method the resource does not declare with 403', async () => {
    const response = await fetch(`${api.url}/items`, { method: 'PATCH' });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('does not imply HEAD from GET', async () => {
    const response = await fetch(`${api.url}/items`, { method: 'HEAD' });

    expect(response.status).toBe(403);
    expect(functions.calls).toHaveLength(0);
  });

  it('lists its routes with their integrations', () => {
    expect(api.gateway.routes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/items', operationId: 'listItems', integration: 'aws_proxy' },
        { method: 'OPTIONS', path: '/items', integration: 'mock' },
        {
          method: 'ANY',
          path: '/files/{path+}',
          operationId: 'serveFile',
          integration: 'aws_proxy',
        },
        { method: 'POST', path: '/queue', operationId: 'enqueue', integration: 'aws' },
      ]),
    );
  });

  it('answers through a declared gateway response rather than the default one', async () => {
    const custom = await serve({
      functions,
      log,
      api: restApiSpec((body) => {
        (body['x-amazon-apigateway-gateway-responses'] as Record<string, Json>)[
          'MISSING_AUTHENTICATION_TOKEN'
        ] = {
          statusCode: '404',
          responseParameters: { 'gatewayresponse.header.X-Probe': 'method.request.header.x-probe' },
          responseTemplates: {
            'application/json': '{"message":"No route","type":"$context.error.responseType"}',
          },
        };
      }),
    });
    try {
      const response = await fetch(`${custom.url}/nowhere`, { headers: { 'X-Probe': 'p-1' } });

      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        message: 'No route',
        type: 'MISSING_AUTHENTICATION_TOKEN',
      });
      expect(response.headers.get('x-probe')).toBe('p-1');
    } finally {
      await custom.close();
    }
  });
});

describe('request validation', () => {
  it("rejects missing required query string and header parameters with 400 and API Gateway's message", async () => {
    const response = await fetch(`${api.url}/search`);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: 'Missing required request parameters: [q, X-Tenant]',
    });
    expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(functions.calls).toHaveLength(0);
  });

  it('counts an empty required parameter as missing', async () => {
    const response = await fetch(`${api.url}/search?q=`, { headers: { 'x-tenant': 't1' } });

    expect(await response.json()).toEqual({ message: 'Missing required request parameters: [q]' });
  });

  it('passes a request with its required parameters on', async () => {
    const response = await fetch(`${api.url}/search?q=lamp`, { headers: { 'x-tenant': 't1' } });

    expect(response.status).toBe(200);
    expect(functions.calls).toHaveLength(1);
  });

  it('rejects a body its model refuses with the BAD_REQUEST_BODY template, as valid JSON', async () => {
    const response = await postJson('/items', `{"name":5,"it's":"x"}`);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: 'Invalid request body',
      errors: [
        {
          path: '',
          message:
            '[object instance has properties which are not allowed by the schema: ["it\'s"], ' +
            'instance type (integer) does not match any allowed primitive type (allowed: ["string"])]',
        },
      ],
    });
    expect(functions.calls).toHaveLength(0);
  });

  it('lists every missing required property in one message', async () => {
    const response = await postJson('/items', '{}');

    expect(await response.json()).toMatchObject({
      errors: [{ message: '[object has missing required properties (["name"])]' }],
    });
  });

  it('rejects malformed JSON as an invalid body, not a server error', async () => {
    const response = await postJson('/items', '{"name":');

    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; errors: { message: string }[] };
    expect(body.message).toBe('Invalid request body');
    expect(body.errors[0]?.message).toMatch(/^\[Invalid JSON: .+\]$/);
  });

  it('rejects a missing body the operation requires', async () => {
    const response = await fetch(`${api.url}/items`, { method: 'POST' });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: 'Invalid request body' });
  });

  it('validates a body sent without Content-Type against the application/json model', async () => {
    const response = await rawRequest(`${api.url}/items`, {
      method: 'POST',
      body: Buffer.from('{"nope":1}'),
    });

    expect(response.status).toBe(400);
    expect(functions.calls).toHaveLength(0);
  });

  it('passes a body of a content type without a model through unvalidated, as API Gateway does', async () => {
    const response = await fetch(`${api.url}/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'not json at all',
    });

    expect(response.status).toBe(200);
    expect(functions.lastEvent.body).toBe('not json at all');
  });

  it('refuses a content type without a model with 415 when the integration never passes through', async () => {
    const response = await fetch(`${api.url}/strict`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'hello',
    });

    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ message: 'Unsupported Media Type' });
  });

  it('hands a valid body to the function unchanged', async () => {
    const body = '{ "name": "Lamp \u00e9\u{1F4A1}", "tags": ["a"] }';

    const response = await postJson('/items', body);

    expect(response.status).toBe(200);
    expect(functions.lastEvent).toMatchObject({ body, isBase64Encoded: false });
  });

  it('answers 413 to a body over 10 MB', async () => {
    const response = await rawRequest(`${api.url}/uploads`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
    expect(functions.calls).toHaveLength(0);
  });
});

describe('the proxy event', () => {
  it('carries headers with their names as sent, last value single and every value multi', async () => {
    await rawRequest(`${api.url}/items`, {
      headers: { 'X-Multi': ['a', 'b'], 'User-Agent': 'jest-agent' },
    });

    const event = functions.lastEvent;
    expect(event.headers['X-Multi']).toBe('b');
    expect(event.multiValueHeaders['X-Multi']).toEqual(['a', 'b']);
    expect(event.headers['User-Agent']).toBe('jest-agent');
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(event.headers['X-Forwarded-Proto']).toBe('http');
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('carries the query string decoded, last value single and every value multi', async () => {
    await fetch(`${api.url}/items?tag=a&tag=b&q=red%20lamp&flag`);

    expect(functions.lastEvent.queryStringParameters).toEqual({
      tag: 'b',
      q: 'red lamp',
      flag: '',
    });
    expect(functions.lastEvent.multiValueQueryStringParameters).toEqual({
      tag: ['a', 'b'],
      q: ['red lamp'],
      flag: [''],
    });
  });

  it('takes query parameters named like Object.prototype members as plain parameters', async () => {
    // Found by the end-to-end property test: `?constructor=0` once crashed the gateway.
    const response = await fetch(`${api.url}/items?constructor=0&valueOf=1&__proto__=2`);

    expect(response.status).toBe(200);
    expect(functions.lastEvent.multiValueQueryStringParameters).toEqual({
      constructor: ['0'],
      valueOf: ['1'],
      ['__proto__']: ['2'],
    });
  });

  it('sets to null what the request does not have', async () => {
    await fetch(`${api.url}/items`);

    expect(functions.lastEvent).toMatchObject({
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
  });

  it('describes the request in requestContext as API Gateway does', async () => {
    const response = await fetch(`${api.url}/items/42`, {
      headers: { 'User-Agent': 'jest-agent' },
    });

    const { requestContext } = functions.lastEvent;
    expect(requestContext).toMatchObject({
      accountId: ACCOUNT_ID,
      apiId: 'abcdef1234',
      stage: STAGE,
      requestId: response.headers.get('x-amzn-requestid'),
      extendedRequestId: response.headers.get('x-amz-apigw-id'),
      path: `/${STAGE}/items/42`,
      resourcePath: '/items/{id}',
      httpMethod: 'GET',
      protocol: 'HTTP/1.1',
      domainName: '127.0.0.1',
      identity: { sourceIp: '127.0.0.1', userAgent: 'jest-agent', user: null, caller: null },
    });
    expect(requestContext.resourceId).toMatch(/^[0-9a-z]{6}$/);
    expect(requestContext.requestTime).toMatch(
      /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/,
    );
    expect(Math.abs(requestContext.requestTimeEpoch - Date.now())).toBeLessThan(60_000);
  });

  it('sends a body of a binary media type base64-encoded', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]);

    await fetch(`${api.url}/uploads`, {
      method: 'POST',
      headers: { 'Content-Type': 'image/png' },
      body: bytes,
    });

    expect(functions.lastEvent.isBase64Encoded).toBe(true);
    expect(Buffer.from(functions.lastEvent.body ?? '', 'base64')).toEqual(bytes);
  });
});

describe('the proxy response', () => {
  it('maps statusCode and merges headers with multiValueHeaders', async () => {
    functions.reply = () =>
      Promise.resolve(
        proxyResult({
          statusCode: 201,
          headers: { Location: '/items/42', 'Set-Cookie': 'a=1' },
          multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
          body: '{"id":"42"}',
        }),
      );

    const response = await postJson('/items', '{"name":"Lamp"}');

    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/items/42');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('{"id":"42"}');
  });

  it('decodes a base64 body whose Content-Type is a binary media type', async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x10]);
    functions.reply = () =>
      Promise.resolve(
        proxyResult({
          statusCode: 200,
          headers: { 'Content-Type': 'image/jpeg' },
          body: bytes.toString('base64'),
          isBase64Encoded: true,
        }),
      );

    const response = await fetch(`${api.url}/files/photo.jpg`);

    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('sends a base64 body as text when no binary media type matches, as API Gateway does, and warns', async () => {
    functions.reply = () =>
      Promise.resolve(
        proxyResult({
          statusCode: 200,
          headers: { 'Content-Type': 'text/plain' },
          body: Buffer.from('hello').toString('base64'),
          isBase64Encoded: true,
        }),
      );

    const response = await fetch(`${api.url}/files/hello.txt`, {
      headers: { Accept: 'text/plain' },
    });

    expect(await response.text()).toBe('aGVsbG8=');
    expect(log.at('warn').join('\n')).toMatch(/serveFile.*isBase64Encoded/);
  });

  it('answers 502 Internal server error when the function fails, and logs why', async () => {
    functions.reply = () =>
      Promise.resolve({
        payload: JSON.stringify({ errorType: 'TypeError', errorMessage: 'boom' }),
        functionError: 'Unhandled',
      });

    const response = await fetch(`${api.url}/items`);

    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(log.at('error').join('\n')).toMatch(/e2e-listItems.*TypeError: boom/);
  });

  it.each([
    ['a payload that is not JSON', 'not json'],
    ['a payload that is not an object', '[]'],
    ['a statusCode that is not a status', '{"statusCode":"abc","body":""}'],
    ['a missing statusCode', '{"body":"x"}'],
    ['a body that is not a string', '{"statusCode":200,"body":{"a":1}}'],
    ['a header that is not a string', '{"statusCode":200,"headers":{"X-Count":1}}'],
    ['multiValueHeaders that are not lists', '{"statusCode":200,"multiValueHeaders":{"X":"a"}}'],
  ])('answers 502 to a malformed proxy response: %s', async (_, payload) => {
    functions.reply = () => Promise.resolve({ payload });

    const response = await fetch(`${api.url}/items`);

    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    expect(log.at('error').join('\n')).toMatch(/Malformed Lambda proxy response/);
  });

  it('takes a statusCode written as a string, as AWS blueprints return it', async () => {
    functions.reply = () => Promise.resolve(proxyResult({ statusCode: '404', body: '' }));

    const response = await fetch(`${api.url}/items`);

    expect(response.status).toBe(404);
  });

  it('answers 502 when the invocation itself fails', async () => {
    functions.reply = () => Promise.reject(new Error('runtime unavailable'));

    const response = await fetch(`${api.url}/items`);

    expect(response.status).toBe(502);
    expect(log.at('error').join('\n')).toMatch(/runtime unavailable/);
  });

  it("answers 500 through DEFAULT_5XX, with its CORS headers, when Lambda throttles the invocation (Lambda's 429 is not passed on)", async () => {
    functions.reply = () => Promise.reject(throttled('ConcurrentInvocationLimitExceeded'));

    const response = await fetch(`${api.url}/items`);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(log.at('error').join('\n')).toMatch(
      /Lambda invocation failed with status: 429 \(TooManyRequestsException: Rate Exceeded\.\)/,
    );
  });

  /** GET /items on a gateway whose integration gives up after 50 ms on a function that never answers. */
  async function timedOut(): Promise<{ status: number; body: unknown; invoker: RecordingInvoker }> {
    const invoker = new RecordingInvoker();
    invoker.reply = () => new Promise(() => undefined);
    const impatient = await serve({ functions: invoker, log, integrationTimeoutMs: 50 });
    try {
      const response = await fetch(`${impatient.url}/items`);
      return { status: response.status, body: await response.json(), invoker };
    } finally {
      await impatient.close();
    }
  }

  it('withdraws the invocation when it gives up at the integration timeout', async () => {
    const { status, invoker } = await timedOut();

    expect(status).toBe(504);
    expect(invoker.calls[0]?.signal?.aborted).toBe(true);
  });

  it('answers 504 through DEFAULT_5XX when the function outlasts the integration timeout', async () => {
    const { status, body } = await timedOut();

    expect(status).toBe(504);
    // The document's DEFAULT_5XX template writes its own message for every 5XX.
    expect(body).toEqual({ message: 'Internal server error' });
    expect(log.at('error').join('\n')).toMatch(/timed out after 50 ms/);
  });
});

describe('mock integrations', () => {
  it('answers the CORS preflight from the mock integration, with the allowed origin', async () => {
    const response = await fetch(`${api.url}/items/42`, {
      method: 'OPTIONS',
      headers: { Origin: ALLOWED_ORIGIN, 'Access-Control-Request-Method': 'PUT' },
    });

    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': ALLOWED_ORIGIN,
      'access-control-allow-methods': 'GET,PUT,DELETE,OPTIONS',
      'access-control-allow-headers':
        'Content-Type,If-Match,Authorization,X-Amz-Date,X-Amz-Security-Token,X-Api-Key',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    expect(await response.text()).toBe('');
    expect(functions.calls).toHaveLength(0);
  });
});

describe('aws service integrations', () => {
  it('sends the rendered request template to the service path, signed as the integration role, with the mapped headers', async () => {
    await postJson('/queue', JSON.stringify({ body: 'Milk & eggs, 2€' }));

    expect(services.calls).toEqual([
      {
        service: 'sqs',
        method: 'POST',
        url: `/${ACCOUNT_ID}/inbox`,
        headers: {
          accept: 'application/json',
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: Buffer.from('Action=SendMessage&MessageBody=Milk+%26+eggs%2C+2%E2%82%AC'),
        roleArn: INTEGRATION_ROLE,
      },
    ]);
    expect(functions.calls).toHaveLength(0);
  });

  it("answers with the integration response the service's 2xx status selects, rendered on the service's answer, with its headers", async () => {
    const response = await postJson('/queue', JSON.stringify({ body: 'hello' }));

    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await response.json()).toEqual({ messageId: '5fea7756-0ea4-451a-a703-a558b933e274' });
  });

  it("maps a 4xx of the service to its integration response, in the API's error shape with CORS, and logs what the service said", async () => {
    services.reply = () =>
      Promise.resolve({
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"Error":{"Code":"AccessDenied","Message":"not authorized"}}'),
      });

    const response = await postJson('/queue', JSON.stringify({ body: 'hello' }));

    expect(response.status).toBe(500);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(await response.json()).toEqual({ message: 'The message could not be queued' });
    expect(log.at('warn')).toEqual([expect.stringMatching(/POST \/queue .*403.*AccessDenied/)]);
  });

  it('maps a 5xx of the service to its own integration response', async () => {
    services.reply = () => Promise.resolve({ status: 503, headers: {}, body: Buffer.from('') });

    const response = await postJson('/queue', JSON.stringify({ body: 'hello' }));

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'The queue is unavailable' });
  });

  it('answers 500 through DEFAULT_5XX, without calling anything, when the service cannot be reached', async () => {
    services.reply = () => Promise.reject(new Error('connect ECONNREFUSED'));

    const response = await postJson('/queue', JSON.stringify({ body: 'hello' }));

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    expect(log.at('error')).toEqual([expect.stringContaining('ECONNREFUSED')]);
  });

  it('validates the body before the integration runs', async () => {
    const response = await postJson('/queue', JSON.stringify({ body: '' }));

    expect(response.status).toBe(400);
    expect(services.calls).toHaveLength(0);
  });

  it('refuses a media type without a template with 415 when the integration never passes through', async () => {
    const response = await fetch(`${api.url}/queue`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'hello',
    });

    expect(response.status).toBe(415);
    expect(services.calls).toHaveLength(0);
  });

  it('refuses at creation a template it cannot run, naming the route', () => {
    const api = restApiSpec((body) => {
      const paths = body.paths as Record<string, Record<string, Record<string, Json>>>;
      const queue = paths['/queue']?.post;
      if (queue) queue['x-amazon-apigateway-integration'] = sendMessageIntegration('#include("x")');
    });

    expect(() =>
      createApiGateway({ api, functions, log, region: REGION, accountId: ACCOUNT_ID }),
    ).toThrow(/POST \/queue.*#include is not supported/);
  });
});

describe('access log', () => {
  it('writes one info line per request with method, path, status and duration', async () => {
    await fetch(`${api.url}/items?limit=5`);

    const lines = log.lines.filter(({ source }) => source === 'api');

    expect(lines.map(({ level }) => level)).toEqual(['info']);
    expect(lines[0]?.message).toMatch(/^GET \/items 200 \d+\.\d ms$/);
  });

  it('shows the line at the default log level, as `npm start` prints it', async () => {
    const printed: string[] = [];
    const served = await serve({
      functions,
      log: createLog({ sink: (line) => printed.push(line) }),
    });
    try {
      await fetch(`${served.url}/items/missing-route/deeper`, { method: 'DELETE' });
    } finally {
      await served.close();
    }

    expect(printed).toEqual([
      expect.stringMatching(/^api +DELETE \/items\/missing-route\/deeper 4\d\d \d+\.\d ms$/),
    ]);
  });

  it('is left out at the warn level (--quiet)', async () => {
    const printed: string[] = [];
    const served = await serve({
      functions,
      log: createLog({ level: 'warn', sink: (line) => printed.push(line) }),
    });
    try {
      await fetch(`${served.url}/items`);
    } finally {
      await served.close();
    }

    expect(printed).toEqual([]);
  });
});
