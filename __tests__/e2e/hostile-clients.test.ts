/**
 * The ports of the real stack's local cloud under clients a laptop can meet: a client that sends
 * slowly, one whose headers are too large. Each is cut off or refused in its port's shape (the
 * API's JSON `{message}` with the website's CORS origin), while what legitimately takes long (a
 * long poll, a 15 MB upload) still works. The cloud runs with short limits (2 s for headers, 8 s
 * for a whole request) so that this is quick.
 */
import { connect } from 'node:net';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../local/credentials';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

const LIMITS = { headersTimeoutMs: 2000, requestTimeoutMs: 8000 };

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ overrides: { limits: LIMITS } });
}, 60000);

afterAll(async () => {
  await cloud?.dispose();
});

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
      '{"message":"The request did not arrive in time: its headers within 2 s, all of it within 8 s"}',
    );
  }, 20_000);
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

    // When it waits 10 s for a message (the port gives 8 s to receive a request)
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq?.url, WaitTimeSeconds: 10 }),
    );

    // Then SQS answers when the wait is over: no message, no error
    expect(received.Messages ?? []).toEqual([]);
    sqs.destroy();
  }, 20_000);

  it('takes a 15 MB upload through the pre-signed URL', async () => {
    const created = await cloud.post('/items', { name: 'A large upload' });
    const { id } = (await created.json()) as { id: string };

    const put = await cloud.uploadImage(id, Buffer.alloc(15 * 1024 * 1024, 1));

    expect(put.status).toBe(200);
  }, 20_000);
});
