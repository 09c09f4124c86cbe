import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { silentLog } from '../../../src/log';
import { QueueService } from '../../../src/services/sqs/queue-service';
import { FIXTURE_ACCOUNT, FIXTURE_REGION, queueSpec } from '../../support/queue-fixtures';
import { CRASH_QUEUE } from '../../support/queue-service-process';

/**
 * Acknowledged means durable, for SQS: the queue service runs in a process of its own, a load of
 * sends, receives and deletes goes through the real SQSClient, and the process is killed
 * (SIGKILL) at a random moment of it. A new service opening the same journal must hold every
 * message whose send was acknowledged and not deleted, none whose delete was acknowledged, and
 * receive counts no lower than the last receive acknowledged (the count that sends a message to
 * its dead-letter queue).
 */

const WORKERS = 4;
/** A receive hands messages out for longer than the spec lasts: only their receiver acts on them. */
const HELD_SECONDS = 120;
/** Far enough ahead for every in-flight message to be visible again, within the retention. */
const LATER_MS = 13 * 60 * 60 * 1000;

interface Ledger {
  /** Acknowledged sends, by message id. */
  sent: Set<string>;
  /** Deletes asked for (acknowledged or cut off by the kill). */
  deleteAsked: Set<string>;
  /** Acknowledged deletes. */
  deleted: Set<string>;
  /** The highest ApproximateReceiveCount an acknowledged receive answered, by message id. */
  receiveCounts: Map<string, number>;
  acknowledged: number;
}

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'queue-crash-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** Starts the queue service in a child process; resolves with it and its endpoint. */
async function startQueueProcess(
  journalFile: string,
): Promise<{ child: ChildProcess; endpoint: string }> {
  const script = join(__dirname, '../../support/queue-service-process.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, journalFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout ?? process.stdin });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the queue process exited (${code})`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { endpoint: string }).endpoint));
  });
  return { child, endpoint };
}

/** One client's loop: send, send a batch, receive, delete half of it and release the rest. */
async function work(
  sqs: SQSClient,
  queueUrl: string,
  worker: number,
  ledger: Ledger,
  killed: () => boolean,
): Promise<void> {
  const remember = (messages: Message[]): void => {
    for (const { MessageId: id, Attributes: attributes } of messages) {
      const count = Number(attributes?.ApproximateReceiveCount);
      if (id) ledger.receiveCounts.set(id, Math.max(count, ledger.receiveCounts.get(id) ?? 0));
    }
  };
  for (let round = 0; !killed(); round++) {
    try {
      const one = await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `${worker}/${round}` }),
      );
      if (one.MessageId) ledger.sent.add(one.MessageId);
      ledger.acknowledged++;

      const batch = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: [1, 2, 3].map((n) => ({ Id: `m${n}`, MessageBody: `${worker}/${round}/${n}` })),
        }),
      );
      for (const entry of batch.Successful ?? [])
        if (entry.MessageId) ledger.sent.add(entry.MessageId);
      ledger.acknowledged++;

      const { Messages: received = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: HELD_SECONDS,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      remember(received);
      ledger.acknowledged++;

      const [first, ...rest] = received;
      const toDelete = rest.filter((_, index) => index % 2 === 0);
      const toRelease = rest.filter((_, index) => index % 2 === 1);
      if (first?.MessageId) {
        ledger.deleteAsked.add(first.MessageId);
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first.ReceiptHandle }),
        );
        ledger.deleted.add(first.MessageId);
        ledger.acknowledged++;
      }
      if (toDelete.length > 0) {
        for (const message of toDelete)
          if (message.MessageId) ledger.deleteAsked.add(message.MessageId);
        const deleted = await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: toDelete.map((message, index) => ({
              Id: `d${index}`,
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
        for (const entry of deleted.Successful ?? []) {
          const id = toDelete[Number(entry.Id?.slice(1))]?.MessageId;
          if (id) ledger.deleted.add(id);
        }
        ledger.acknowledged++;
      }
      // Released messages come back at once: the next receive counts one more.
      for (const message of toRelease) {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          }),
        );
        ledger.acknowledged++;
      }
    } catch (error) {
      // After the kill, requests fail: they were not acknowledged. Before it, nothing may fail.
      if (killed()) return;
      throw error;
    }
  }
}

/** Every message a service holds, with the receive count it has stored for it. */
async function everyMessage(queues: QueueService): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (;;) {
    const batch = await queues.receive(CRASH_QUEUE, {
      maxMessages: 10,
      visibilityTimeoutSeconds: 43200,
      waitTimeSeconds: 0,
    });
    if (batch.length === 0) return found;
    // This receive counted one more.
    for (const message of batch)
      found.set(message.messageId, Number(message.attributes.ApproximateReceiveCount) - 1);
  }
}

it('keeps every acknowledged send, delete and receive count when its process is killed (SIGKILL) under load', async () => {
  // Given the queue service in a process of its own, under a load of four clients
  const journalFile = join(directory, 'sqs.journal');
  const { child, endpoint } = await startQueueProcess(journalFile);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const sqs = new SQSClient({
    region: FIXTURE_REGION,
    endpoint,
    credentials: DEFAULT_ADMIN_CREDENTIALS,
    // A request cut off by the kill must fail, not be retried against the dead process.
    maxAttempts: 1,
  });
  const queueUrl = `${endpoint}/${FIXTURE_ACCOUNT}/${CRASH_QUEUE}`;
  const ledger: Ledger = {
    sent: new Set(),
    deleteAsked: new Set(),
    deleted: new Set(),
    receiveCounts: new Map(),
    acknowledged: 0,
  };
  let killed = false;
  const load = Array.from({ length: WORKERS }, (_, worker) =>
    work(sqs, queueUrl, worker, ledger, () => killed),
  );

  // When it is killed after a random number of acknowledged operations, requests in flight
  const killAfter = 150 + Math.floor(Math.random() * 350);
  const failed = Promise.all(load).then(() => {
    throw new Error('the load stopped before the kill');
  });
  while (ledger.acknowledged < killAfter) {
    await Promise.race([new Promise((resolve) => setImmediate(resolve)), failed]);
  }
  killed = true;
  child.kill('SIGKILL');
  await exited;
  await Promise.all(load);
  sqs.destroy();

  // And a new service opens the same journal, later, when every message is visible again
  const reopened = new QueueService({
    queues: [queueSpec(CRASH_QUEUE, endpoint)],
    accountId: FIXTURE_ACCOUNT,
    region: FIXTURE_REGION,
    endpoint,
    journalFile,
    log: silentLog,
    now: () => Date.now() + LATER_MS,
  });
  const held = await everyMessage(reopened);
  await reopened.stop();

  // Then no acknowledged send is lost, no acknowledged delete undone, no receive count reset
  const lost = [...ledger.sent].filter((id) => !held.has(id) && !ledger.deleteAsked.has(id));
  const resurrected = [...ledger.deleted].filter((id) => held.has(id));
  const countsReset = [...ledger.receiveCounts].filter(
    ([id, count]) => held.has(id) && (held.get(id) ?? 0) < count,
  );
  expect({ lost, resurrected, countsReset }).toEqual({
    lost: [],
    resurrected: [],
    countsReset: [],
  });
  // (and the load was real: it had sent, deleted and received before the kill)
  expect(ledger.sent.size).toBeGreaterThan(50);
  expect(ledger.deleted.size).toBeGreaterThan(10);
  expect(ledger.receiveCounts.size).toBeGreaterThan(10);
}, 60000);
