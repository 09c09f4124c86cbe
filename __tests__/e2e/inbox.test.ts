/**
 * The inbox on the real stack: GET /messages hands messages out with receipts, and only the
 * client's DELETE /messages/{receipt} deletes one. Whatever happens to an answer on its way (the
 * gateway gives up at 29 s, the client is throttled, or vanishes), no message is lost.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_ADMIN_CREDENTIALS } from '@serverless-week/local-cloud';
import { eventually } from '@serverless-week/test-support';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

let cloud: TestCloud;
let sqs: SQSClient;
let inboxUrl: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  const inbox = cloud.topology.queues.find((queue) => queue.name.endsWith('-inbox'));
  if (!inbox) throw new Error('the stack has no inbox queue');
  inboxUrl = inbox.url;
  sqs = new SQSClient({
    endpoint: cloud.endpoints.aws,
    region: cloud.topology.region,
    credentials: DEFAULT_ADMIN_CREDENTIALS,
  });
}, 60000);

afterAll(async () => {
  sqs?.destroy();
  await cloud?.dispose();
});

interface Received {
  messages: { id: string; body: string; receipt: string }[];
  visibilityTimeout: number;
}

const receive = (max: number): Promise<Response> =>
  cloud.api(`/messages?max=${max}`, { headers: { origin: cloud.endpoints.web } });

const acknowledge = (receipt: string): Promise<Response> =>
  cloud.api(`/messages/${receipt}`, {
    method: 'DELETE',
    headers: { origin: cloud.endpoints.web },
  });

/** Messages in the inbox queue, visible or received and not yet acknowledged. */
async function messagesLeft(): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: inboxUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

it('given a burst of receives beyond the concurrency limit and a client that vanished, when what arrives is acknowledged, then every message sent is received as sent and none is left', async () => {
  // Given messages in the inbox, bodies a client must get back byte for byte
  const run = Date.now();
  const sent = Array.from(
    { length: 24 },
    (_, index) => `burst ${run} #${index}: "quoted", ünïcödé, emoji 📬, tab\tend`,
  );
  for (const body of sent) {
    const response = await cloud.post('/messages', { body });
    expect(response.status).toBe(202);
  }

  // And a client that received some and vanished without acknowledging them
  const vanished = await receive(3);
  expect(vanished.status).toBe(200);
  const lost = ((await vanished.json()) as Received).messages;
  expect(lost).toHaveLength(3);

  // When a burst of receives, far more than the function's two sandboxes, arrives at once, and
  // each message an answer carries is acknowledged (an answer that is an error carries none)
  const received = new Map<string, string>();
  const acknowledgements: number[] = [];
  const take = async (answer: Response): Promise<void> => {
    if (answer.status !== 200) return;
    for (const message of ((await answer.json()) as Received).messages) {
      received.set(message.id, message.body);
      acknowledgements.push((await acknowledge(message.receipt)).status);
    }
  };
  const burst = await Promise.all(Array.from({ length: 16 }, () => receive(2)));
  for (const answer of burst) await take(answer);

  // Then, receiving on until the queue is empty (the vanished client's messages come back after
  // their visibility timeout), every message sent was received exactly as sent
  await eventually(
    async () => {
      await take(await receive(10));
      return (await messagesLeft()) === 0 ? true : undefined;
    },
    { timeoutMs: 90000, intervalMs: 500, what: 'every message to be received and acknowledged' },
  );
  const bodies = [...received.values()].filter((body) => body.startsWith(`burst ${run} `));
  expect(new Set(bodies)).toEqual(new Set(sent));
  expect(lost.every((message) => received.get(message.id) === message.body)).toBe(true);
  expect(acknowledgements.filter((status) => status !== 204)).toEqual([]);
}, 150000);

it('given a receipt this inbox never issued, when it is acknowledged, then it answers 404 with a JSON message, not 500', async () => {
  const forged = Buffer.from('not-a-receipt-handle').toString('base64url');

  const response = await acknowledge(forged);

  expect(response.status).toBe(404);
  expect(response.headers.get('access-control-allow-origin')).toBe(cloud.endpoints.web);
  expect(await response.json()).toEqual({ message: expect.any(String) as string });
});

it('given a received message, when it is acknowledged, then it is gone from the queue', async () => {
  const body = `acknowledged once ${Date.now()}`;
  await cloud.post('/messages', { body });
  const message = await eventually(async () => {
    const answer = (await (await receive(10)).json()) as Received;
    return answer.messages.find((candidate) => candidate.body === body);
  });

  const response = await acknowledge(message.receipt);

  expect(response.status).toBe(204);
  expect(await messagesLeft()).toBe(0);
});

describe('POST /messages, API Gateway straight to SQS with no function', () => {
  it('queues the posted body as the message GET /messages hands out, and answers 202 with its id and CORS', async () => {
    const body = `integration ${Date.now()}: a & b = "c" 100% ✓`;

    const sent = await cloud.post('/messages', { body }, { Origin: cloud.endpoints.web });

    expect(sent.status).toBe(202);
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(sent.headers.get('access-control-allow-origin')).toBe(cloud.endpoints.web);
    const { messageId } = (await sent.json()) as { messageId: string };
    const received = await eventually(
      async () => {
        const page = (await (await receive(10)).json()) as Received;
        return page.messages.find((message) => message.id === messageId);
      },
      { what: 'the sent message' },
    );
    expect(received.body).toBe(body);
    expect((await acknowledge(received.receipt)).status).toBe(204);
  });

  it('answers an invalid body with 400 in the API error shape, with CORS, and queues nothing', async () => {
    const before = await messagesLeft();

    const response = await cloud.post('/messages', { body: '' }, { Origin: cloud.endpoints.web });

    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe(cloud.endpoints.web);
    expect(await response.json()).toEqual(
      expect.objectContaining({ message: 'Invalid request body' }),
    );
    expect(await messagesLeft()).toBe(before);
  });
});
