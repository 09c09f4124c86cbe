/**
 * The four ports of the real stack's local cloud under clients a laptop can meet: a page whose
 * name was rebound to 127.0.0.1, a client that sends slowly, one whose headers are too large. Each
 * is refused or cut off in its port's shape (the API's JSON `{message}` with the website's CORS
 * origin), while what legitimately takes long (a long poll, a 15 MB upload) still works. The
 * cloud runs with short limits (2 s for headers, 12 s for a whole request: enough for a 15 MB upload on a loaded machine) so that this is quick.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_ADMIN_CREDENTIALS, MAX_REQUEST_BODY_BYTES } from '@serverless-week/local-cloud';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

const LIMITS = { headersTimeoutMs: 2000, requestTimeoutMs: 12_000 };

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ overrides: { limits: LIMITS } });
}, 60000);

afterAll(async () => {
  await cloud?.dispose();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET with headers fetch will not send (Host) or that are too large for the port. */
function get(url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** Writes `bytes` on a connection and reads until the port closes it. */
function raw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

describe('a page whose name was rebound to 127.0.0.1', () => {
  const rebound = (url: string): string => `evil.example:${new URL(url).port}`;

  it('is refused by the API, in JSON with the website’s CORS origin', async () => {
    const answer = await get(`${cloud.endpoints.api}/items`, {
      host: rebound(cloud.endpoints.api),
    });

    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBe(cloud.endpoints.web);
    expect(JSON.parse(answer.body)).toEqual({
      message: `Host "${rebound(cloud.endpoints.api)}" is refused: this port answers only requests addressed to 127.0.0.1, localhost or another loopback name (a defence against DNS rebinding)`,
    });
  });

  it('is refused by the HTTP API, in its JSON {message}', async () => {
    const answer = await get(`${cloud.endpoints.httpApi}/items`, {
      host: rebound(cloud.endpoints.httpApi),
    });

    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({
      message: `Host "${rebound(cloud.endpoints.httpApi)}" is refused: this port answers only requests addressed to 127.0.0.1, localhost or another loopback name (a defence against DNS rebinding)`,
    });
  });

  it('is refused by the AWS endpoint, as an AWS error', async () => {
    const answer = await get(`${cloud.endpoints.aws}/_local-cloud/health`, {
      host: rebound(cloud.endpoints.aws),
    });

    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toBe('application/xml');
    expect(answer.body).toContain('<Code>AccessDenied</Code>');
  });

  it('is refused by the website, in plain text', async () => {
    const answer = await get(`${cloud.endpoints.web}/`, { host: rebound(cloud.endpoints.web) });

    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.body).not.toContain('<html');
  });

  it('leaves the website answering its own name, localhost', async () => {
    const answer = await get(`${cloud.endpoints.web}/`, {
      host: `localhost:${new URL(cloud.endpoints.web).port}`,
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<html');
  });
});

describe('a client the API port refuses itself', () => {
  it('gets 431 in JSON with the website’s CORS origin when its headers are too large', async () => {
    const host = new URL(cloud.endpoints.api).host;

    const answer = await raw(
      cloud.endpoints.api,
      `GET /items HTTP/1.1\r\nHost: ${host}\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );

    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(answer).toContain(`Access-Control-Allow-Origin: ${cloud.endpoints.web}\r\n`);
    expect(answer).toContain('{"message":"The request\'s headers are larger than 16384 bytes"}');
  });

  it('gets 408 in JSON with the website’s CORS origin when its body stops short', async () => {
    const host = new URL(cloud.endpoints.api).host;

    const answer = await raw(
      cloud.endpoints.api,
      `POST /items HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`,
    );

    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer).toContain(`Access-Control-Allow-Origin: ${cloud.endpoints.web}\r\n`);
    expect(answer).toContain(
      '{"message":"The request did not arrive in time: its headers within 2 s, all of it within 12 s"}',
    );
  }, 30_000);
});

describe('a body larger than any AWS service but S3 takes', () => {
  it('is refused with 413 in DynamoDB’s shape when its Content-Length says so', async () => {
    // Given the administrator's DynamoDB client
    const dynamodb = new DynamoDBClient({
      endpoint: cloud.endpoints.aws,
      region: cloud.topology.region,
      credentials: DEFAULT_ADMIN_CREDENTIALS,
    });

    // When it puts an item larger than the edge reads
    const put = dynamodb.send(
      new PutItemCommand({
        TableName: cloud.topology.tables[0]?.name,
        Item: {
          pk: { S: 'large' },
          sk: { S: 'large' },
          blob: { S: 'x'.repeat(MAX_REQUEST_BODY_BYTES + 1) },
        },
      }),
    );

    // Then the SDK raises DynamoDB's named error for it, with status 413
    await expect(put).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      $metadata: { httpStatusCode: 413 },
    });
    dynamodb.destroy();
  }, 30_000);

  it('is refused with 413 when a chunked body without a length grows past the limit', async () => {
    // Given a chunked DynamoDB request, whose length nothing declares
    const host = new URL(cloud.endpoints.aws).host;
    const chunk = 'x'.repeat(1024 * 1024);
    const chunks = Math.ceil(MAX_REQUEST_BODY_BYTES / chunk.length) + 1;
    const body = `${chunk.length.toString(16)}\r\n${chunk}\r\n`.repeat(chunks) + '0\r\n\r\n';

    // When it is sent whole
    const answer = await raw(
      cloud.endpoints.aws,
      `POST / HTTP/1.1\r\nHost: ${host}\r\nX-Amz-Target: DynamoDB_20120810.PutItem\r\n` +
        'Content-Type: application/x-amz-json-1.0\r\nTransfer-Encoding: chunked\r\n' +
        `Authorization: AWS4-HMAC-SHA256 Credential=test/20261204/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00\r\nConnection: close\r\n\r\n${body}`,
    );

    // Then the port answers 413 in DynamoDB's shape rather than keep the body
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('"__type":"RequestEntityTooLargeException"');
  }, 30_000);
});

describe('what takes long on purpose', () => {
  it('answers a long poll that waits longer than a request may take to arrive', async () => {
    // Given an SQS client and an empty queue
    const sqs = new SQSClient({
      endpoint: cloud.endpoints.aws,
      region: cloud.topology.region,
      credentials: DEFAULT_ADMIN_CREDENTIALS,
    });
    const dlq = cloud.topology.queues.find((queue) => queue.name.endsWith('-audit-dlq'));

    // When it waits 15 s for a message (the port gives 12 s to receive a request)
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq?.url, WaitTimeSeconds: 15 }),
    );

    // Then SQS answers when the wait is over: no message, no error
    expect(received.Messages ?? []).toEqual([]);
    sqs.destroy();
  }, 30_000);

  it('takes a 15 MB upload through the pre-signed URL', async () => {
    const created = await cloud.post('/items', { name: 'A large upload' });
    const { id } = (await created.json()) as { id: string };

    const put = await cloud.uploadImage(id, Buffer.alloc(15 * 1024 * 1024, 1));

    expect(put.status).toBe(200);
  }, 30_000);
});
