/**
 * The audit trail: auditConsumer (SQS batches from the audit queue, raw message delivery) writes
 * to the audit table on dynalite; listAudit (GET /audit) reads it back newest first.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { is } from '@serverless-week/test-support';
import type { ApiGatewayHandler } from '../../handlers/lib/api-handler';
import type { AuditEntry } from '../../handlers/lib/audit-log';
import type { EventEnvelope } from '../../handlers/lib/event-envelope';
import { apiGatewayEvent, CORS_HEADERS, jsonBody } from '../support/api-gateway-event';
import { lambdaContext, sqsEvent } from '../support/lambda-events';
import type { SqsMessage } from '../support/lambda-events';
import { APP_ENV, pause, startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

type AuditConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

let app: TestApp;
let consume: AuditConsumer;
let listAudit: ApiGatewayHandler;

beforeAll(async () => {
  app = await startTestApp();
  consume = (await import('../../handlers/audit-consumer')).handler;
  listAudit = (await import('../../handlers/list-audit')).handler;
});

afterAll(() => app?.stop());

const QUEUE = 'test-audit-queue';

function envelope(type = 'item.created'): EventEnvelope {
  const id = `${type}-${randomUUID()}`;
  return { id, type, occurredAt: new Date().toISOString(), detail: { id, name: 'Lamp' } };
}

const message = (event: EventEnvelope, extra: Partial<SqsMessage> = {}): SqsMessage => ({
  body: JSON.stringify(event),
  ...extra,
});

function deliver(...messages: SqsMessage[]): Promise<SQSBatchResponse> {
  return consume(sqsEvent(QUEUE, messages), lambdaContext('auditConsumer'));
}

async function storedRow(id: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await app.dynamo.documents.send(
    new GetCommand({ TableName: APP_ENV.AUDIT_TABLE, Key: { id } }),
  );
  return Item;
}

async function listed(limit?: number): Promise<AuditEntry[]> {
  const query = limit === undefined ? undefined : { limit: String(limit) };
  const result = await listAudit(
    apiGatewayEvent('listAudit', { query }),
    lambdaContext('listAudit'),
  );
  expect(result.statusCode).toBe(200);
  return jsonBody<{ entries: AuditEntry[] }>(result).entries;
}

describe('audit consumer', () => {
  it('given a batch of events, when it is consumed, then each is stored with its receipt time and a 90-day expiry', async () => {
    const events = [envelope('item.created'), envelope('image.processed')];
    const before = Date.now();

    const response = await deliver(...events.map((event) => message(event)));

    expect(response).toEqual({ batchItemFailures: [] });
    for (const event of events) {
      const row = await storedRow(event.id);
      const receivedAt = String(row?.receivedAt);
      expect(row).toEqual({
        ...event,
        receivedAt: is.any(String),
        stream: 'events',
        receivedKey: `${receivedAt}#${event.id}`,
        expiresAt: Math.floor(Date.parse(receivedAt) / 1000) + 90 * 24 * 3600,
      });
      expect(Date.parse(receivedAt)).toBeGreaterThanOrEqual(before - 1);
    }
  });

  it('given a message redelivered by SQS, when it is consumed again, then there is still one entry, as first stored', async () => {
    const event = envelope();
    const first = message(event, { messageId: randomUUID() });
    await deliver(first);
    const stored = await storedRow(event.id);
    await pause(3);

    const response = await deliver({ ...first, receiveCount: 2 });

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await storedRow(event.id)).toEqual(stored);
    expect((await listed(100)).filter((entry) => entry.id === event.id)).toHaveLength(1);
  });

  it('given the same event twice in one batch (published twice), when consumed, then it is stored once', async () => {
    const event = envelope();

    const response = await deliver(message(event), message(event));

    expect(response).toEqual({ batchItemFailures: [] });
    expect((await listed(100)).filter((entry) => entry.id === event.id)).toHaveLength(1);
  });

  it.each([
    { case: 'a body that is not JSON', body: 'item.created: Lamp' },
    { case: 'JSON that is not an envelope', body: JSON.stringify({ id: 'x', detail: {} }) },
    {
      case: 'an envelope whose detail is not an object',
      body: JSON.stringify({ ...envelope(), detail: 'text' }),
    },
  ])(
    'given $case among good messages, when the batch is consumed, then only it is reported as a failure and the good ones are stored',
    async ({ body }) => {
      const before = envelope();
      const after = envelope();
      const poison: SqsMessage = { body, messageId: randomUUID() };

      const response = await deliver(message(before), poison, message(after));

      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
      expect(await storedRow(before.id)).toMatchObject(before);
      expect(await storedRow(after.id)).toMatchObject(after);
    },
  );
});

describe('GET /audit (listAudit)', () => {
  it('given events received one after another, when listed, then the newest come first, as API entries', async () => {
    const events = [envelope('item.created'), envelope('item.updated'), envelope('item.deleted')];
    for (const event of events) {
      await deliver(message(event));
      await pause(3); // distinct receipt times
    }

    const entries = await listed(3);

    expect(entries).toEqual(
      [...events].reverse().map((event) => ({ ...event, receivedAt: is.any(String) })),
    );
  });

  it('given more entries than the limit, when listed with limit=2, then exactly the two newest come back', async () => {
    const events = [envelope(), envelope(), envelope()];
    for (const event of events) {
      await deliver(message(event));
      await pause(3);
    }

    const entries = await listed(2);

    expect(entries.map((entry) => entry.id)).toEqual([events[2]?.id, events[1]?.id]);
  });

  it('given any request, when listed, then the response carries the CORS headers', async () => {
    const result = await listAudit(apiGatewayEvent('listAudit'), lambdaContext('listAudit'));

    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject(CORS_HEADERS);
  });

  it.each(['0', '101', 'ten'])(
    'given limit=%s, when listed, then it answers 400 with the CORS headers',
    async (limit) => {
      const result = await listAudit(
        apiGatewayEvent('listAudit', { query: { limit } }),
        lambdaContext('listAudit'),
      );

      expect(result.statusCode).toBe(400);
      expect(result.headers).toMatchObject(CORS_HEADERS);
      expect(jsonBody(result)).toEqual({
        message: is.any(String),
        errors: [is.objectContaining({ path: 'query.limit' })],
      });
    },
  );
});
