/**
 * What the local SQS writes to its journal: one record per acknowledged change, and the same
 * records, one per queue and one per live message, as the snapshot a compaction leaves. Replaying
 * them in order rebuilds the queues. Records name queues by name and messages by id, and carry
 * the values a change produced (the receive count after a receive, not "one more"), so that
 * applying a record is the same whether it is new or replayed.
 */
import { z } from 'zod';
import type { QueueSpec } from '../../stack/topology';
import type { QueueExtras, StoredMessage } from './types';

/** A FIFO queue remembers a deduplication id for five minutes, also after its message is gone. */
export interface DeduplicationEntry {
  id: string;
  messageId: string;
  expiresAt: number;
}

export type QueueRecord =
  /** Created at run time, or its attributes changed; in a snapshot, with its deduplication ids. */
  | {
      type: 'queue';
      name: string;
      runtime: boolean;
      spec: QueueSpec;
      extras: QueueExtras;
      deduplication?: DeduplicationEntry[];
    }
  | { type: 'queue-deleted'; name: string }
  /** Sent (or, in a snapshot, live) with everything the message is at that point. */
  | { type: 'sent'; queue: string; message: StoredMessage }
  | {
      type: 'received';
      queue: string;
      id: string;
      receiptHandle: string;
      visibleAt: number;
      receiveCount: number;
      firstReceivedAt: number;
    }
  /** Deleted by a client, or gone past the retention period. */
  | { type: 'deleted'; queue: string; ids: string[] }
  | { type: 'visibility'; queue: string; id: string; visibleAt: number }
  | { type: 'purged'; queue: string }
  /** Moved to the dead-letter queue `to` at `at`, on the receive that found it over-received. */
  | { type: 'moved'; queue: string; to: string; id: string; at: number }
  /** The last FIFO sequence number handed out (snapshots: the messages may all be gone). */
  | { type: 'sequence'; value: number };

const attributeValue = z.object({
  DataType: z.string(),
  StringValue: z.string().optional(),
  BinaryValue: z.string().optional(),
});

const storedMessage = z.object({
  id: z.string(),
  body: z.string(),
  md5OfBody: z.string(),
  messageAttributes: z.record(z.string(), attributeValue),
  md5OfMessageAttributes: z.string().optional(),
  systemAttributes: z.record(z.string(), z.string()),
  senderId: z.string(),
  sentAt: z.number(),
  visibleAt: z.number(),
  receiveCount: z.number(),
  firstReceivedAt: z.number().optional(),
  receiptHandle: z.string().optional(),
  groupId: z.string().optional(),
  deduplicationId: z.string().optional(),
  sequenceNumber: z.string().optional(),
});

// The spec is the stack model's own shape, written by this service: its presence is checked,
// its fields are not re-validated here.
const queueSpec = z.custom<QueueSpec>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string',
);

const record = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('queue'),
    name: z.string(),
    runtime: z.boolean(),
    spec: queueSpec,
    extras: z.object({
      contentBasedDeduplication: z.boolean(),
      createdAt: z.number(),
      lastModifiedAt: z.number(),
      tags: z.record(z.string(), z.string()).optional(),
      sqsManagedSse: z.boolean().optional(),
      kmsMasterKeyId: z.string().optional(),
      kmsDataKeyReusePeriodSeconds: z.number().optional(),
    }),
    deduplication: z
      .array(z.object({ id: z.string(), messageId: z.string(), expiresAt: z.number() }))
      .optional(),
  }),
  z.object({ type: z.literal('queue-deleted'), name: z.string() }),
  z.object({ type: z.literal('sent'), queue: z.string(), message: storedMessage }),
  z.object({
    type: z.literal('received'),
    queue: z.string(),
    id: z.string(),
    receiptHandle: z.string(),
    visibleAt: z.number(),
    receiveCount: z.number(),
    firstReceivedAt: z.number(),
  }),
  z.object({ type: z.literal('deleted'), queue: z.string(), ids: z.array(z.string()) }),
  z.object({
    type: z.literal('visibility'),
    queue: z.string(),
    id: z.string(),
    visibleAt: z.number(),
  }),
  z.object({ type: z.literal('purged'), queue: z.string() }),
  z.object({
    type: z.literal('moved'),
    queue: z.string(),
    to: z.string(),
    id: z.string(),
    at: z.number(),
  }),
  z.object({ type: z.literal('sequence'), value: z.number() }),
]);

/** A replayed line, checked; a line that is not a record stops the replay with what is wrong. */
export function parseQueueRecord(value: unknown): QueueRecord {
  const parsed = record.safeParse(value);
  if (!parsed.success) throw new Error(`not a queue journal record: ${parsed.error.message}`);
  return parsed.data;
}
