/**
 * The local HTTP API (API Gateway v2) of the fixture stack, booted whole: its routes invoke the
 * stack's functions (the fixture's function answers `{received: event}`, a result without
 * statusCode) with the payload format 2.0 event, CORS comes from its cors_configuration, and a
 * route whose function has no aws_lambda_permission for it answers 500.
 */
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog } from '../../../src/log';
import { startLocalCloud } from '../../../src/local-cloud';
import type { LocalCloud } from '../../../src/local-cloud';
import { copyFixtureStack } from '../../support/fixture-stack';
import { rawRequest } from '../../support/raw-request';

interface V2Event {
  version: string;
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  requestContext: Record<string, unknown> & { http: Record<string, unknown>; requestId: string };
  body?: string;
  isBase64Encoded: boolean;
}

let stackDir: string;
let dataDir: string;
let cloud: LocalCloud;
const lines: string[] = [];

beforeAll(async () => {
  stackDir = await copyFixtureStack();
  dataDir = mkdtempSync(join(tmpdir(), 'http-api-'));
  cloud = await startLocalCloud({
    stackDir,
    dataDir,
    ports: { web: 0, api: 0, httpApi: 0, aws: 0 },
    log: createLog({ level: 'info', sink: (line) => lines.push(line) }),
  });
}, 60000);

afterAll(async () => {
  await cloud?.stop();
  rmSync(stackDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const url = (path: string): string => `${cloud.endpoints.httpApi}${path}`;

async function eventOf(path: string, headers: Record<string, string | string[]> = {}) {
  const answer = await rawRequest(url(path), { headers });
  expect(answer.status).toBe(200);
  return { answer, event: (JSON.parse(answer.body.toString()) as { received: V2Event }).received };
}

describe('a route of the HTTP API', () => {
  it('invokes its function with a 2.0 event for the route, its path parameters and its raw path', async () => {
    const { event } = await eventOf('/items/lamp-1');

    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /items/{id}',
      rawPath: '/items/lamp-1',
      rawQueryString: '',
      pathParameters: { id: 'lamp-1' },
      isBase64Encoded: false,
    });
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('body');
  });

  it('lower-cases header names and joins repeated headers and query parameters with commas', async () => {
    const { event } = await eventOf('/items/lamp-1?tag=a&tag=b&limit=5', {
      'X-Tenant': ['north', 'south'],
      Cookie: 'theme=dark; session=abc',
    });

    expect(event.headers).toMatchObject({ 'x-tenant': 'north,south' });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.cookies).toEqual(['theme=dark', 'session=abc']);
    expect(event.rawQueryString).toBe('tag=a&tag=b&limit=5');
    expect(event.queryStringParameters).toEqual({ tag: 'a,b', limit: '5' });
  });

  it('describes the request in requestContext as AWS does, its requestId also the apigw-requestid header', async () => {
    const { answer, event } = await eventOf('/items/lamp-1', { 'User-Agent': 'curl/8.5.0' });
    const [api] = cloud.topology.httpApis;

    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: api?.id,
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: {
        method: 'GET',
        path: '/items/lamp-1',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'curl/8.5.0',
      },
      routeKey: 'GET /items/{id}',
      stage: '$default',
    });
    expect(event.requestContext.time).toMatch(
      /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/,
    );
    expect(typeof event.requestContext.timeEpoch).toBe('number');
    expect(answer.headers['apigw-requestid']).toBe(event.requestContext.requestId);
  });

  it('answers a result without statusCode as a 200 application/json with the result as body', async () => {
    const { answer } = await eventOf('/items/lamp-1');

    expect(answer.headers['content-type']).toBe('application/json');
  });
});

describe('its access log', () => {
  it('prints one line per request by default: method, path, status and duration', async () => {
    await rawRequest(url('/items/logged-1?x=1'), {});

    expect(lines.join('\n')).toMatch(/http-api\s+GET \/items\/logged-1 200 [\d.]+ ms/);
  });
});

describe('what the HTTP API answers itself', () => {
  it('answers a path no route has with 404 {"message":"Not Found"}', async () => {
    const answer = await rawRequest(url('/nowhere'), {});

    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body.toString())).toEqual({ message: 'Not Found' });
  });

  it('answers a method the path has no route for with 404 too', async () => {
    const answer = await rawRequest(url('/items/lamp-1'), { method: 'DELETE' });

    expect(answer.status).toBe(404);
  });

  it('answers 500 {"message":"Internal Server Error"} for a route whose function it may not invoke, and said so at boot', async () => {
    const answer = await rawRequest(url('/items'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from('{"name":"Lamp"}'),
    });

    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body.toString())).toEqual({ message: 'Internal Server Error' });
    expect(lines.join('\n')).toMatch(
      /HTTP API \S+items-http-api POST \/items → function \S+create-item/,
    );
  });

  it('answers a body over 10 MB with 413', async () => {
    const answer = await rawRequest(url('/items'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61),
    });

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body.toString())).toEqual({ message: 'Request Entity Too Large' });
  });

  it('refuses a request addressed to another host name, as every port does', async () => {
    const answer = await rawRequest(url('/items/lamp-1'), { headers: { Host: 'evil.example' } });

    expect(answer.status).not.toBe(200);
  });
});

describe('the HTTP API’s built-in CORS', () => {
  it('answers a preflight from the website itself, with the configured methods, headers and max age', async () => {
    const answer = await rawRequest(url('/items/lamp-1'), {
      method: 'OPTIONS',
      headers: { Origin: cloud.endpoints.web, 'Access-Control-Request-Method': 'GET' },
    });

    expect(answer.status).toBe(204);
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': cloud.endpoints.web,
      'access-control-allow-methods': 'GET',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
    });
  });

  it('answers a preflight from another origin without allowing it', async () => {
    const answer = await rawRequest(url('/items/lamp-1'), {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });

    expect(answer.status).toBe(204);
    expect(answer.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('adds the allowed origin and the exposed headers to a route’s answer to the website', async () => {
    const answer = await rawRequest(url('/items/lamp-1'), {
      headers: { Origin: cloud.endpoints.web },
    });

    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': cloud.endpoints.web,
      'access-control-expose-headers': 'etag',
    });
  });
});

describe('its port', () => {
  it('is listed as httpApi in endpoints.json', () => {
    const written = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as Record<
      string,
      unknown
    >;

    expect(written.httpApi).toBe(cloud.endpoints.httpApi);
    expect(cloud.endpoints.httpApi).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
