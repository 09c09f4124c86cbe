/**
 * The JSON snapshot the local SQS keeps between runs. Written whole (to a temporary file, then
 * renamed over the old one, so a crash mid-write leaves the previous snapshot intact).
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { QueueSpec } from '../stack/topology';
import type { MessageAttributeValue } from './queue-service';

export interface StoredMessage {
  id: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  md5OfMessageAttributes?: string;
  /** System attributes set by the sender or SQS (AWSTraceHeader, DeadLetterQueueSourceArn). */
  systemAttributes: Record<string, string>;
  senderId: string;
  /** ms since the epoch, on the service's clock */
  sentAt: number;
  /** Before it: delayed (never received) or in flight (received). */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The handle of the latest receive; older handles are stale. */
  receiptHandle?: string;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
}

export interface StoredQueue {
  name: string;
  /** Created through CreateQueue, not by the stack: restored from its saved spec. */
  runtime: boolean;
  spec: QueueSpec;
  contentBasedDeduplication: boolean;
  createdAt: number;
  lastModifiedAt: number;
  messages: StoredMessage[];
  deduplication: { id: string; messageId: string; expiresAt: number }[];
}

export interface QueueState {
  version: 1;
  sequence: number;
  queues: StoredQueue[];
}

/** The saved state, or undefined when there is none or it cannot be read (reported). */
export function readQueueState(
  path: string,
  report: (message: string) => void,
): QueueState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      report(`cannot read ${path}: ${(error as Error).message}; starting empty`);
    return undefined;
  }
  try {
    const state = JSON.parse(text) as Partial<QueueState>;
    if (state.version !== 1 || !Array.isArray(state.queues)) throw new Error('unknown format');
    return { version: 1, sequence: Number(state.sequence) || 0, queues: state.queues };
  } catch (error) {
    report(`ignoring ${path}: ${(error as Error).message}`);
    return undefined;
  }
}

/** Writes a serialised QueueState. */
export async function writeQueueState(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
