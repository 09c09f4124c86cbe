/**
 * The JSON snapshot earlier versions of the local SQS kept (`sqs.json`, rewritten every 100 ms),
 * read once as the journal records that rebuild the same queues, so that a data directory
 * written by them keeps its messages on the first boot with the journal.
 */
import { readFileSync } from 'node:fs';
import type { QueueSpec } from '../../stack/topology';
import { parseQueueRecord } from './sqs-journal-records';
import type { QueueRecord } from './sqs-journal-records';
import type { StoredMessage } from './types';

interface LegacyQueue {
  name: string;
  runtime: boolean;
  spec: QueueSpec;
  contentBasedDeduplication: boolean;
  createdAt: number;
  lastModifiedAt: number;
  messages: StoredMessage[];
  deduplication: { id: string; messageId: string; expiresAt: number }[];
}

/**
 * The records of a legacy snapshot; none when there is no file, or when it cannot be read
 * (reported: the queues then start empty, as that version did).
 */
export function readLegacyQueueState(
  path: string,
  report: (message: string) => void,
): QueueRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      report(`cannot read ${path}: ${(error as Error).message}; starting empty`);
    return [];
  }
  let state: { version?: unknown; sequence?: unknown; queues?: unknown };
  try {
    state = JSON.parse(text) as typeof state;
    if (state.version !== 1 || !Array.isArray(state.queues)) throw new Error('unknown format');
  } catch (error) {
    report(`ignoring ${path}: ${(error as Error).message}`);
    return [];
  }
  const records: QueueRecord[] = [{ type: 'sequence', value: Number(state.sequence) || 0 }];
  for (const queue of state.queues as LegacyQueue[]) {
    if (!Array.isArray(queue.messages)) continue;
    records.push({
      type: 'queue',
      name: queue.name,
      runtime: queue.runtime,
      spec: queue.spec,
      extras: {
        contentBasedDeduplication: queue.contentBasedDeduplication,
        createdAt: queue.createdAt,
        lastModifiedAt: queue.lastModifiedAt,
      },
      deduplication: queue.deduplication,
    });
    for (const message of queue.messages)
      records.push({ type: 'sent', queue: queue.name, message });
  }
  try {
    // Checked as replay will check them once they are in the journal.
    return records.map(parseQueueRecord);
  } catch (error) {
    report(`ignoring ${path}: ${(error as Error).message}`);
    return [];
  }
}
