import { existsSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLog } from '../../../src/log';
import { QueueService } from '../../../src/services/sqs/queue-service';
import type { QueueSpec } from '../../../src/stack/topology';
import { queueArn, queueSpec as fixtureQueue } from '../../support/queue-fixtures';

/**
 * What the local SQS acknowledged is in its journal before the call returns. Each spec makes a
 * change on a first service and never stops it, as a crash would leave it; a second service
 * opening the same journal must see the change. Time is the services' injectable clock.
 */

const ENDPOINT = 'http://127.0.0.1:4566';
const ACCOUNT = '000000000000';

let directory: string;
let clockOffsetMs = 0;
const clock = (): number => Date.now() + clockOffsetMs;
const advance = (seconds: number): void => {
  clockOffsetMs += seconds * 1000;
};

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'queue-journal-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const spec = (name: string, settings: Partial<QueueSpec> = {}): QueueSpec =>
  fixtureQueue(name, ENDPOINT, settings);

/** A service on `journal`; `legacyStateFile` as local-cloud passes it. */
function open(journal: string, queues: QueueSpec[], legacyStateFile?: string): QueueService {
  return new QueueService({
    queues,
    accountId: ACCOUNT,
    region: 'us-east-1',
    endpoint: ENDPOINT,
    journalFile: join(directory, journal),
    ...(legacyStateFile ? { legacyStateFile } : {}),
    log: silentLog,
    now: clock,
  });
}

describe('a second service opening the journal of one that never stopped (as after a crash)', () => {
  it('has the messages whose sends were acknowledged', async () => {
    // Given two sends acknowledged by a service that then dies
    const crashed = open('sends.journal', [spec('orders')]);
    const first = crashed.send('orders', { body: 'one' });
    const second = crashed.send('orders', { body: 'two' });

    // When a new service opens its journal
    const reopened = open('sends.journal', [spec('orders')]);
    const messages = await reopened.receive('orders', { maxMessages: 10 });

    // Then both messages are there
    expect(messages.map((message) => message.body)).toEqual(['one', 'two']);
    expect(messages.map((message) => message.messageId)).toEqual([
      first.messageId,
      second.messageId,
    ]);
  });

  it('keeps a received message in flight, with its receive count and first-receive time', async () => {
    // Given a message received twice (the first receive's visibility ran out)
    const crashed = open('receives.journal', [spec('work')]);
    crashed.send('work', { body: 'job' });
    const [firstReceive] = await crashed.receive('work', {
      maxMessages: 1,
      visibilityTimeoutSeconds: 10,
    });
    advance(11);
    await crashed.receive('work', { maxMessages: 1, visibilityTimeoutSeconds: 10 });

    // When a new service opens the journal, the message still in flight
    const reopened = open('receives.journal', [spec('work')]);
    expect(reopened.counts('work')).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    advance(11);
    const [third] = await reopened.receive('work', { maxMessages: 1 });

    // Then its next receive is the third, and its first receive is the first one's
    expect(third?.attributes.ApproximateReceiveCount).toBe('3');
    expect(third?.attributes.ApproximateFirstReceiveTimestamp).toBe(
      firstReceive?.attributes.ApproximateFirstReceiveTimestamp,
    );
  });

  it('accepts the receipt handle of the last receive before the crash, and deletes with it', async () => {
    // Given a message received, its handle given out
    const crashed = open('handles.journal', [spec('handled')]);
    crashed.send('handled', { body: 'x' });
    const [received] = await crashed.receive('handled', { maxMessages: 1 });

    // When the consumer deletes it with that handle from a new service
    const reopened = open('handles.journal', [spec('handled')]);
    const before = reopened.counts('handled');
    reopened.deleteMessage('handled', received?.receiptHandle ?? '');

    // Then the message in flight is gone
    expect(before).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    expect(reopened.counts('handled')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('does not bring back deleted or purged messages', async () => {
    // Given a message deleted from one queue, and another queue purged
    const crashed = open('deletes.journal', [spec('done'), spec('purged')]);
    crashed.send('done', { body: 'deleted' });
    crashed.send('done', { body: 'kept' });
    const [received] = await crashed.receive('done', { maxMessages: 1 });
    crashed.deleteMessage('done', received?.receiptHandle ?? '');
    crashed.send('purged', { body: 'purged' });
    crashed.purge('purged');

    // When a new service opens the journal
    const reopened = open('deletes.journal', [spec('done'), spec('purged')]);

    // Then only the message never deleted is there
    const left = await reopened.receive('done', { maxMessages: 10 });
    expect(left.map((message) => message.body)).toEqual(['kept']);
    expect(reopened.counts('purged')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('keeps a visibility change: a message released at once is visible again', async () => {
    // Given a received message released with a visibility timeout of 0
    const crashed = open('visibility.journal', [spec('released')]);
    crashed.send('released', { body: 'x' });
    const [received] = await crashed.receive('released', {
      maxMessages: 1,
      visibilityTimeoutSeconds: 600,
    });
    crashed.changeVisibility('released', received?.receiptHandle ?? '', 0);

    // When a new service opens the journal, then the message is visible
    const reopened = open('visibility.journal', [spec('released')]);
    expect(reopened.counts('released')).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it('keeps a move to the dead-letter queue, the message counted as received there', async () => {
    // Given a message moved to the DLQ on its second receive (maxReceiveCount 1)
    const queues = [
      spec('jobs', { redrive: { deadLetterTargetArn: queueArn('jobs-dlq'), maxReceiveCount: 1 } }),
      spec('jobs-dlq'),
    ];
    const crashed = open('dead-letters.journal', queues);
    const sent = crashed.send('jobs', { body: 'poison' });
    await crashed.receive('jobs', { maxMessages: 1, visibilityTimeoutSeconds: 5 });
    advance(6);
    expect(await crashed.receive('jobs', { maxMessages: 1 })).toEqual([]);

    // When a new service opens the journal
    const reopened = open('dead-letters.journal', queues);
    const [dead] = await reopened.receive('jobs-dlq', { maxMessages: 1 });

    // Then the message is in the DLQ, not back in its queue
    expect(reopened.counts('jobs')).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(dead?.messageId).toBe(sent.messageId);
    expect(dead?.attributes.DeadLetterQueueSourceArn).toBe(queueArn('jobs'));
    expect(dead?.attributes.ApproximateReceiveCount).toBe('2');
  });

  it("keeps a FIFO queue's deduplication ids and goes on from its last sequence number", () => {
    // Given a FIFO message sent with a deduplication id, then deleted
    const queues = [spec('orders.fifo', { fifo: true })];
    const crashed = open('fifo.journal', queues);
    const sent = crashed.send('orders.fifo', {
      body: 'order 1',
      messageGroupId: 'customer-1',
      messageDeduplicationId: 'order-1',
    });
    crashed.purge('orders.fifo');

    // When a new service opens the journal and the same send is retried, then another made
    const reopened = open('fifo.journal', queues);
    const retried = reopened.send('orders.fifo', {
      body: 'order 1',
      messageGroupId: 'customer-1',
      messageDeduplicationId: 'order-1',
    });
    const next = reopened.send('orders.fifo', {
      body: 'order 2',
      messageGroupId: 'customer-1',
      messageDeduplicationId: 'order-2',
    });

    // Then the retry is recognised, and sequence numbers keep increasing
    expect(retried.messageId).toBe(sent.messageId);
    expect(reopened.counts('orders.fifo').visible).toBe(1);
    expect(BigInt(next.sequenceNumber ?? '0')).toBeGreaterThan(BigInt(sent.sequenceNumber ?? ''));
  });

  it('keeps queues created, changed and deleted at run time', () => {
    // Given a queue created and changed, and another created then deleted
    const crashed = open('queues.journal', []);
    crashed.createQueue('made', { VisibilityTimeout: '5' });
    crashed.setAttributes('made', { DelaySeconds: '7' });
    crashed.createQueue('doomed');
    crashed.deleteQueue('doomed');

    // When a new service opens the journal
    const reopened = open('queues.journal', []);

    // Then the first is there with both settings, and the second is not
    expect(reopened.getAttributes('made', ['VisibilityTimeout', 'DelaySeconds'])).toEqual({
      VisibilityTimeout: '5',
      DelaySeconds: '7',
    });
    expect(reopened.queue('doomed')).toBeUndefined();
  });

  it("keeps queues' tags: those of a queue created at run time, and of the stack's own", () => {
    // Given a queue created with tags and retagged, and a stack queue tagged
    const crashed = open('tags.journal', [spec('stacked')]);
    crashed.createQueue('tagged', {}, { team: 'blue', cost: 'low' });
    crashed.tagQueue('tagged', { cost: 'high' });
    crashed.untagQueue('tagged', ['team']);
    crashed.tagQueue('stacked', { owner: 'ops' });

    // When a new service opens the journal
    const reopened = open('tags.journal', [spec('stacked')]);

    // Then both queues have their tags as last changed
    expect(reopened.listTags('tagged')).toEqual({ cost: 'high' });
    expect(reopened.listTags('stacked')).toEqual({ owner: 'ops' });
  });
});

describe('the journal over time', () => {
  it('is compacted to what is live once it has grown: sent and deleted messages leave nothing', async () => {
    // Given ten messages kept, then four megabytes of messages sent, received and deleted
    const service = open('compacted.journal', [spec('kept'), spec('churn')]);
    for (let n = 0; n < 10; n++) service.send('kept', { body: `kept ${n}` });
    const body = 'x'.repeat(1000);
    for (let n = 0; n < 4000; n++) {
      service.send('churn', { body });
      const [received] = await service.receive('churn', { maxMessages: 1 });
      service.deleteMessage('churn', received?.receiptHandle ?? '');
    }

    // When its journal is measured and opened again
    const size = statSync(join(directory, 'compacted.journal')).size;
    const reopened = open('compacted.journal', [spec('kept'), spec('churn')]);

    // Then it holds far less than was written, and the live messages
    expect(size).toBeLessThan(1.5 * 1024 * 1024);
    expect(reopened.counts('kept').visible).toBe(10);
    expect(reopened.counts('churn').visible).toBe(0);
  });

  it('refuses a change once stopped, rather than acknowledge what it can no longer keep', async () => {
    const service = open('stopped.journal', [spec('late')]);
    await service.stop();
    expect(() => service.send('late', { body: 'too late' })).toThrow('The local cloud is stopping');
  });

  it('takes in the messages of the JSON snapshot earlier versions kept, once', () => {
    // Given the sqs.json an earlier version left, with one message waiting
    const legacy = join(directory, 'sqs.json');
    const legacyMessage = {
      id: '6f8f1f4e-9a1b-4c4f-8d52-0e6c1b7a9b10',
      body: 'from before',
      md5OfBody: '0c5a2b8d9a8c0f1e9f3f4b1d0a7b6c5e',
      messageAttributes: {},
      systemAttributes: {},
      senderId: ACCOUNT,
      sentAt: clock(),
      visibleAt: clock(),
      receiveCount: 0,
    };
    writeFileSync(
      legacy,
      JSON.stringify({
        version: 1,
        sequence: 0,
        queues: [
          {
            name: 'inbox',
            runtime: false,
            spec: spec('inbox'),
            contentBasedDeduplication: false,
            createdAt: clock(),
            lastModifiedAt: clock(),
            messages: [legacyMessage],
            deduplication: [],
          },
        ],
      }),
    );

    // When a service with a new journal starts on that data directory, then another
    const migrated = open('migrated.journal', [spec('inbox')], legacy);
    const again = open('migrated.journal', [spec('inbox')], legacy);

    // Then the message is in the journal, and the old file is gone
    expect(migrated.counts('inbox').visible).toBe(1);
    expect(again.counts('inbox').visible).toBe(1);
    expect(existsSync(legacy)).toBe(false);
  });
});
