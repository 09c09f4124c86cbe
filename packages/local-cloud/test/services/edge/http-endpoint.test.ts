/**
 * A port of the local cloud under clients that misbehave: too slow, too large, not HTTP, addressed
 * to another name, too many. Each is cut off or refused in the port's own error shape, while a
 * request that arrived whole may take as long to answer as its service needs. And a port as it
 * stops: requests being answered finish, nothing new starts, only what outlasts the bound is cut.
 */
import { Agent, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { eventually } from '@serverless-week/test-support';
import { openEndpoint } from '../../../src/services/edge/http-endpoint';
import type { HttpEndpoint } from '../../../src/services/edge/http-endpoint';
import type { EndpointLimits } from '../../../src/services/edge/endpoint-limits';
import {
  awsErrorShape,
  corsJsonErrorShape,
  plainErrorShape,
} from '../../../src/services/edge/error-answers';
import type { ErrorShape } from '../../../src/services/edge/error-answers';

/** Small limits, so that what a client is cut off for happens within a test. */
const LIMITS: EndpointLimits = {
  headersTimeoutMs: 300,
  requestTimeoutMs: 600,
  keepAliveTimeoutMs: 300,
  maxConnections: 4,
};
/** As the API words its errors: JSON `{message}` with the website's CORS origin. */
const ORIGIN = 'http://127.0.0.1:3000';
const apiShape: ErrorShape = ({ status, message }) => ({
  status,
  headers: [
    ['Content-Type', 'application/json'],
    ['Access-Control-Allow-Origin', ORIGIN],
  ],
  body: JSON.stringify({ message }),
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function parse(raw: string): RawAnswer {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

function open(endpoint: HttpEndpoint): Promise<Socket> {
  const { hostname, port } = new URL(endpoint.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `bytes` and reads everything until the port closes the connection. */
async function exchange(endpoint: HttpEndpoint, bytes: string | Buffer): Promise<RawAnswer> {
  const socket = await open(endpoint);
  return new Promise((resolve, reject) => {
    let raw = '';
    socket.on('data', (chunk: Buffer) => (raw += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(parse(raw)));
    socket.write(bytes);
  });
}

const endpoints: HttpEndpoint[] = [];

async function endpointWith(shape: ErrorShape, limits: Partial<EndpointLimits> = LIMITS) {
  const endpoint = await openEndpoint('127.0.0.1', 0, 'test', { limits, errorShape: shape });
  endpoints.push(endpoint);
  return endpoint;
}

/** A service that reads the whole body and says how long it was. */
async function counting(shape: ErrorShape = apiShape): Promise<HttpEndpoint> {
  const endpoint = await endpointWith(shape);
  endpoint.attach((request, response) => {
    let size = 0;
    request.on('data', (chunk: Buffer) => (size += chunk.length));
    request.on('end', () => response.end(`received ${size} bytes`));
  });
  return endpoint;
}

afterAll(async () => {
  await Promise.all(endpoints.map((endpoint) => endpoint.close(0)));
});

const host = (endpoint: HttpEndpoint): string => new URL(endpoint.url).host;

describe('a client that sends too slowly', () => {
  it('is cut off with 408 when its body stops short of its Content-Length', async () => {
    // Given a port whose clients have 600 ms to send a request
    const endpoint = await counting();

    // When a client promises 100 bytes and sends 3
    const answer = await exchange(
      endpoint,
      `POST /items HTTP/1.1\r\nHost: ${host(endpoint)}\r\nContent-Length: 100\r\n\r\nabc`,
    );

    // Then the port answers 408 in its shape, with the API's CORS header, and closes
    expect(answer.status).toBe(408);
    expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(JSON.parse(answer.body)).toEqual({
      message:
        'The request did not arrive in time: its headers within 0.3 s, all of it within 0.6 s',
    });
  }, 10_000);

  it('is cut off with 408 when its headers never end', async () => {
    const endpoint = await counting();

    const answer = await exchange(endpoint, `GET /items HTTP/1.1\r\nHost: ${host(endpoint)}\r\n`);

    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({ message: expect.any(String) as unknown });
  }, 10_000);
});

describe('a request that arrived whole', () => {
  it('is answered however long its service takes, past the time to receive it', async () => {
    // Given a service that answers after four times the request timeout, as a long poll does
    const endpoint = await endpointWith(apiShape);
    endpoint.attach((_request, response) => {
      setTimeout(() => response.end('late, and fine'), LIMITS.requestTimeoutMs * 4);
    });

    // When a client asks
    const response = await fetch(`${endpoint.url}/long-poll`);

    // Then it gets the answer
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('late, and fine');
  }, 10_000);

  it('takes a 15 MB body at loopback speed', async () => {
    const endpoint = await endpointWith(apiShape, {});
    endpoint.attach((request, response) => {
      let size = 0;
      request.on('data', (chunk: Buffer) => (size += chunk.length));
      request.on('end', () => response.end(`received ${size} bytes`));
    });

    const response = await fetch(`${endpoint.url}/upload`, {
      method: 'PUT',
      body: Buffer.alloc(15 * 1024 * 1024, 7),
    });

    expect(await response.text()).toBe(`received ${15 * 1024 * 1024} bytes`);
  });
});

describe('what Node refuses itself, answered in the port’s shape', () => {
  it('answers headers too large with 431, JSON and CORS on the API', async () => {
    const endpoint = await counting();

    const answer = await exchange(
      endpoint,
      `GET /items HTTP/1.1\r\nHost: ${host(endpoint)}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );

    expect(answer.status).toBe(431);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(JSON.parse(answer.body)).toEqual({
      message: "The request's headers are larger than 16384 bytes",
    });
  });

  it('answers bytes that are not HTTP with 400, JSON and CORS on the API', async () => {
    const endpoint = await counting();

    const answer = await exchange(endpoint, 'HELLO THERE\r\n\r\n');

    expect(answer.status).toBe(400);
    expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(JSON.parse(answer.body)).toMatchObject({
      message: expect.stringMatching(/^The request is not valid HTTP\/1\.1/) as unknown,
    });
  });

  it('answers an Expect it cannot meet with 417 in the port’s shape', async () => {
    const endpoint = await counting();

    const answer = await exchange(
      endpoint,
      `GET /items HTTP/1.1\r\nHost: ${host(endpoint)}\r\nExpect: 200-ok\r\nConnection: close\r\n\r\n`,
    );

    expect(answer.status).toBe(417);
    expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('words them as an AWS error on the AWS port', async () => {
    const endpoint = await counting(awsErrorShape);

    const answer = await exchange(
      endpoint,
      `PUT /bucket/key HTTP/1.1\r\nHost: ${host(endpoint)}\r\nContent-Length: 10\r\n\r\nab`,
    );

    expect(answer.status).toBe(408);
    expect(answer.headers['content-type']).toBe('application/xml');
    expect(answer.body).toMatch(/<Error><Code>RequestTimeout<\/Code><Message>The request did not/);
  }, 10_000);

  it('words them in plain text on the website port', async () => {
    const endpoint = await counting(plainErrorShape);

    const answer = await exchange(endpoint, 'HELLO THERE\r\n\r\n');

    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.body).toMatch(/^400 Bad Request: The request is not valid HTTP\/1\.1/);
  });

  it('uses the shape its service brought once attached', async () => {
    const endpoint = await endpointWith(plainErrorShape);
    endpoint.attach((_request, response) => response.end(), apiShape);

    const answer = await exchange(endpoint, 'HELLO THERE\r\n\r\n');

    expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
  });
});

describe('a port whose service is not attached yet', () => {
  it('answers 503 with Retry-After in the port’s shape, with CORS on the API', async () => {
    // Given a port that is open and whose service is still booting
    const endpoint = await endpointWith(corsJsonErrorShape(ORIGIN));

    // When the website asks it for something
    const answer = await exchange(
      endpoint,
      `GET /items HTTP/1.1\r\nHost: ${host(endpoint)}\r\nOrigin: ${ORIGIN}\r\nConnection: close\r\n\r\n`,
    );

    // Then it says to come back, in words the page can read
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(JSON.parse(answer.body)).toEqual({ message: 'The local cloud is starting' });
  });

  it('answers 503 as an AWS error on the AWS port', async () => {
    const endpoint = await endpointWith(awsErrorShape);

    const answer = await exchange(
      endpoint,
      `GET /bucket HTTP/1.1\r\nHost: ${host(endpoint)}\r\nConnection: close\r\n\r\n`,
    );

    expect(answer.status).toBe(503);
    expect(answer.body).toMatch(/<Error><Code>ServiceUnavailable<\/Code>/);
  });
});

describe('a request addressed to a name that is not this machine (DNS rebinding)', () => {
  it('is refused with 403 in the port’s shape, before its service sees it', async () => {
    // Given a port whose service counts what reaches it
    const endpoint = await endpointWith(apiShape);
    let reached = 0;
    endpoint.attach((_request, response) => {
      reached += 1;
      response.end();
    });

    // When a page whose name now resolves to 127.0.0.1 calls it
    const answer = await exchange(
      endpoint,
      `GET /items HTTP/1.1\r\nHost: evil.example:${new URL(endpoint.url).port}\r\nConnection: close\r\n\r\n`,
    );

    // Then the port refuses it, and the service never saw it
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(JSON.parse(answer.body)).toEqual({
      message: `Host "evil.example:${new URL(endpoint.url).port}" is refused: this port answers only requests addressed to 127.0.0.1, localhost or another loopback name (a defence against DNS rebinding)`,
    });
    expect(reached).toBe(0);
  });

  it('refuses a request without a Host header, in the port’s shape', async () => {
    const endpoint = await counting();

    const answer = await exchange(endpoint, 'GET /items HTTP/1.0\r\n\r\n');

    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({
      message: expect.stringMatching(/^A request without a Host header is refused/) as unknown,
    });
  });

  it('answers the same request addressed to localhost', async () => {
    const endpoint = await counting();

    const answer = await exchange(
      endpoint,
      `GET /items HTTP/1.1\r\nHost: localhost:${new URL(endpoint.url).port}\r\nConnection: close\r\n\r\n`,
    );

    expect(answer.status).toBe(200);
    expect(answer.body).toBe('received 0 bytes');
  });
});

describe('connections', () => {
  it('closes a connection beyond its limit at once, and serves again once one is free', async () => {
    // Given a port that takes 4 connections, all 4 open and mid-request
    const endpoint = await counting();
    const held = await Promise.all([1, 2, 3, 4].map(() => open(endpoint)));
    for (const socket of held) socket.write(`GET / HTTP/1.1\r\nHost: ${host(endpoint)}\r\n`);
    const request = `GET / HTTP/1.1\r\nHost: ${host(endpoint)}\r\nConnection: close\r\n\r\n`;

    // When a fifth client connects, it is closed without an answer
    const fifth = await open(endpoint);
    const refused = await new Promise<string>((resolve) => {
      let raw = '';
      fifth.on('data', (chunk: Buffer) => (raw += chunk.toString('latin1')));
      fifth.on('error', () => resolve(raw));
      fifth.on('close', () => resolve(raw));
      fifth.write(request);
    });
    expect(refused).toBe('');

    // Then, once a held connection is gone, a new client is answered
    held[0]?.destroy();
    const answered = await eventually(
      async () => {
        const answer = await exchange(endpoint, request).catch(() => undefined);
        return answer?.status === 200 ? answer : undefined;
      },
      { timeoutMs: 5000, intervalMs: 20, what: 'a free connection' },
    );
    expect(answered.body).toBe('received 0 bytes');
    for (const socket of held) socket.destroy();
  }, 10_000);

  it('closes a kept-alive connection that stays idle past its keep-alive timeout', async () => {
    // Given a client whose first request was answered on a kept-alive connection
    const endpoint = await counting();
    const socket = await open(endpoint);
    const closed = new Promise<string>((resolve) => {
      let raw = '';
      socket.on('data', (chunk: Buffer) => (raw += chunk.toString('latin1')));
      socket.on('close', () => resolve(raw));
    });

    // When it sends nothing more
    socket.write(`GET / HTTP/1.1\r\nHost: ${host(endpoint)}\r\n\r\n`);

    // Then the port closes the connection after answering
    expect(parse(await closed).status).toBe(200);
  }, 10_000);
});

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A GET through `agent`, resolved with the answer or rejected with the connection's error. */
function get(url: string, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** A handler that answers each request only when the spec says so. */
function heldAnswers(): {
  handler: (request: IncomingMessage, response: ServerResponse) => void;
  arrived: () => Promise<void>;
  release: (body: string) => void;
} {
  const waiting: ServerResponse[] = [];
  let onArrival: () => void = () => undefined;
  return {
    handler: (_request, response) => {
      waiting.push(response);
      onArrival();
    },
    arrived: () =>
      waiting.length > 0
        ? Promise.resolve()
        : new Promise((resolve) => {
            onArrival = resolve;
          }),
    release: (body) => {
      const response = waiting.shift();
      response?.writeHead(200, { 'content-type': 'text/plain' });
      response?.end(body);
    },
  };
}

describe('a graceful stop', () => {
  it('lets a request being answered finish when it closes, then closes its connection', async () => {
    // Given a request the handler has not answered yet
    const endpoint = await endpointWith(apiShape, {});
    const held = heldAnswers();
    endpoint.attach(held.handler);
    const agent = new Agent({ keepAlive: true });
    const answer = get(`${endpoint.url}/slow`, agent);
    await held.arrived();

    // When the port closes, and the handler answers afterwards
    const closed = endpoint.close();
    held.release('finished');

    // Then the client gets the whole answer, told the connection closes, and close() resolves
    expect(await answer).toMatchObject({ status: 200, body: 'finished' });
    expect((await answer).headers.connection).toBe('close');
    await closed;
    agent.destroy();
  });

  it('refuses new connections once it has begun to close', async () => {
    // Given a port closing while a request is still being answered
    const endpoint = await endpointWith(apiShape, {});
    const held = heldAnswers();
    endpoint.attach(held.handler);
    const first = get(`${endpoint.url}/slow`);
    await held.arrived();
    const closed = endpoint.close();

    // When another client connects
    const refused = get(`${endpoint.url}/new`).catch((error: unknown) => error);

    // Then the connection is refused, and the first request still gets its answer
    expect(await refused).toMatchObject({ code: 'ECONNREFUSED' });
    held.release('done');
    expect(await first).toMatchObject({ status: 200, body: 'done' });
    await closed;
  });

  it('cuts a request that outlasts the bound', async () => {
    // Given a request that is never answered
    const endpoint = await endpointWith(apiShape, {});
    const held = heldAnswers();
    endpoint.attach(held.handler);
    const stuck = get(`${endpoint.url}/stuck`).catch((error: unknown) => error);
    await held.arrived();

    // When the port closes with a bound of 20 ms
    await endpoint.close(20);

    // Then the client sees its connection reset
    expect(await stuck).toMatchObject({ code: 'ECONNRESET' });
  });

  it('answers 503 to the requests it does not admit while stopping, and serves those it admits', async () => {
    // Given a port that has stopped accepting all but requests marked as coming from inside
    const endpoint = await endpointWith(apiShape, {});
    endpoint.attach((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('served');
    });
    endpoint.stopAccepting((request) => request.url === '/from-inside');

    // When one request of each kind arrives
    const outside = await get(`${endpoint.url}/from-outside`);
    const inside = await get(`${endpoint.url}/from-inside`);

    // Then the outsider is told the cloud is stopping and the insider is served
    expect(outside.status).toBe(503);
    expect(JSON.parse(outside.body)).toEqual({ message: 'The local cloud is stopping' });
    expect(inside).toMatchObject({ status: 200, body: 'served' });
  });

  it('closes an idle keep-alive connection as soon as it stops accepting', async () => {
    // Given a client holding an idle keep-alive connection
    const endpoint = await endpointWith(apiShape, {});
    endpoint.attach((_request, response) => {
      response.end('ok');
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await get(`${endpoint.url}/`, agent);
    const [socket] = Object.values(agent.freeSockets).flat();
    if (!socket) throw new Error('the agent kept no idle connection');
    const socketClosed = new Promise((resolve) => socket.once('close', resolve));

    // When the port stops accepting
    endpoint.stopAccepting();

    // Then that connection is closed (rather than left to its keep-alive timeout)
    await socketClosed;
    expect(socket.destroyed).toBe(true);
    agent.destroy();
  });
});
