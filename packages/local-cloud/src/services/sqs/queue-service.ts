/**
 * The local SQS: the stack's queues (and any created at run time), reached by SDK clients
 * through the AWS JSON 1.0 protocol (see sqs-protocol.ts) and by the rest of the local cloud
 * in process (event source mappings, SNS fan-out).
 *
 * Semantics follow SQS: a received message stays invisible for its visibility timeout; delays
 * (queue default or per message) hold new messages back; messages older than the retention
 * period disappear; a message about to be received more than maxReceiveCount times moves to the
 * dead-letter queue instead (on receive, as AWS does), keeping its id, body and attributes; FIFO
 * queues deliver a group's messages in order, one batch in flight per group, and drop
 * duplicates within five minutes.
 *
 * Persistence: with a journalFile, every change is appended to the journal (src/persistence/
 * journal.ts) before the call returns, so what SQS acknowledged (a send, a receive with its
 * count and handle, a delete, a visibility change…) survives the process being killed; the
 * journal is replayed at construction and compacted to the live state at boot and whenever it
 * has grown well past it. Messages of a stack queue are restored into the stack's queue of the
 * same name (whose settings are the stack's current ones); queues created at run time are
 * restored with their saved settings; a stack queue no longer in the stack is dropped with its
 * messages. A stack queue deleted at run time comes back, empty, at the next boot.
 */
import { createHash, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { LocalLog } from '../../log';
import { Journal, TORN_TAIL } from '../../persistence/journal';
import type { QueueSpec } from '../../stack/topology';
import type { EdgeService } from '../edge/types';
import { buffered } from '../edge/edge-service';
import { md5OfBody, md5OfMessageAttributes } from './message-md5';
import {
  invalidParameterValue,
  messageNotInflight,
  missingParameter,
  queueDoesNotExist,
  queueNameExists,
  receiptHandleIsInvalid,
  serviceStopping,
} from './sqs-errors';
import type { SqsError } from './sqs-errors';
import { parseQueueRecord } from './sqs-journal-records';
import type { QueueRecord } from './sqs-journal-records';
import { readLegacyQueueState } from './sqs-legacy-state';
import { handleSqsRequest } from './sqs-protocol';
import {
  validateDelaySeconds,
  validateMessage,
  validateVisibilityTimeout,
} from './sqs-message-validation';
import { applyQueueAttributes, queueAttributes, sameAttributes } from './sqs-queue-attributes';
import type {
  MessageAttributeValue,
  QueueCounts,
  QueueExtras,
  QueueOperations,
  ReceivedMessage,
  ReceiveOptions,
  SendOptions,
  SendResult,
  StoredMessage,
} from './types';

export interface QueueServiceOptions {
  queues: QueueSpec[];
  accountId: string;
  region: string;
  /** base URL of the AWS endpoint, for QueueUrls of queues created at run time */
  endpoint: string;
  /** The journal of every acknowledged change; absent = memory only. */
  journalFile?: string;
  /**
   * The JSON snapshot earlier versions wrote (`sqs.json`): read into a journal that is still
   * empty, then removed.
   */
  legacyStateFile?: string;
  log: LocalLog;
  now?: () => number;
  /**
   * The model of resources, told of every queue created, changed or deleted (IAM reads queue
   * policies from it, the control plane's other services their queues).
   */
  resources?: QueueRegistry;
}

/** The part of the resource registry the queues write to. */
export interface QueueRegistry {
  get(kind: 'queues', key: string): QueueSpec | undefined;
  put(kind: 'queues', spec: QueueSpec): void;
  remove(kind: 'queues', key: string): unknown;
}

interface LiveQueue {
  spec: QueueSpec;
  extras: QueueExtras;
  runtime: boolean;
  /** In the order they were sent. */
  messages: StoredMessage[];
  deduplication: Map<string, { messageId: string; expiresAt: number }>;
  /** Long polls waiting for a change to this queue. */
  waiters: Set<() => void>;
}

const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
/**
 * The journal is compacted when it has grown past twice what the last compaction wrote, plus
 * this: the work of compacting stays proportional to what was appended since.
 */
const COMPACTION_SLACK_BYTES = 1024 * 1024;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function nameFromRef(ref: string): string {
  if (ref.startsWith('arn:')) return ref.split(':').pop() ?? '';
  if (/^https?:\/\//i.test(ref)) {
    try {
      return new URL(ref).pathname.split('/').filter(Boolean).pop() ?? '';
    } catch {
      return '';
    }
  }
  return ref;
}

/** The digests of a message's body and attributes, as a send answers them. */
interface MessageDigests {
  md5OfBody: string;
  md5OfMessageAttributes: string | undefined;
}

/** A parameter a standard queue or a FIFO queue does not take. */
function notForThisQueueType(parameter: string, value: unknown): SqsError {
  return invalidParameterValue(
    `Value ${String(value)} for parameter ${parameter} is invalid. Reason: The request include parameter that is not valid for this queue type.`,
  );
}

/** Refuses a send as SQS does: the message, its delay, then what its queue's type requires. */
function validateSend({ spec, extras }: LiveQueue, message: SendOptions): void {
  validateMessage(message.body, message.messageAttributes, spec.maxMessageSize);
  if (message.delaySeconds !== undefined) {
    validateDelaySeconds(message.delaySeconds);
    if (spec.fifo) throw notForThisQueueType('DelaySeconds', message.delaySeconds);
  }
  if (!spec.fifo) {
    if (message.messageDeduplicationId)
      throw notForThisQueueType('MessageDeduplicationId', message.messageDeduplicationId);
    return;
  }
  if (!message.messageGroupId) throw missingParameter('MessageGroupId');
  if (!message.messageDeduplicationId && !extras.contentBasedDeduplication)
    throw invalidParameterValue(
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
}

/** A FIFO message's deduplication id: the one sent, or (content-based) the SHA-256 of its body. */
function deduplicationIdOf(message: SendOptions): string {
  return message.messageDeduplicationId
    ? message.messageDeduplicationId
    : createHash('sha256').update(message.body).digest('hex');
}

/** The journal record of one kind. */
type RecordOf<T extends QueueRecord['type']> = Extract<QueueRecord, { type: T }>;
/** The records that change one queue's messages. */
type MessageRecord = Extract<QueueRecord, { queue: string }>;

/** The message takes the count, handle and visibility the receive gave it. */
function applyReceived(queue: LiveQueue, record: RecordOf<'received'>): void {
  const message = queue.messages.find((candidate) => candidate.id === record.id);
  if (!message) return;
  message.receiveCount = record.receiveCount;
  message.firstReceivedAt = record.firstReceivedAt;
  message.receiptHandle = record.receiptHandle;
  message.visibleAt = record.visibleAt;
}

export class QueueService implements EdgeService, QueueOperations {
  readonly signingName = 'sqs';
  readonly handle: EdgeService['handle'];

  private readonly queues = new Map<string, LiveQueue>();
  private readonly now: () => number;
  private readonly log: LocalLog;
  private sequence = 0;
  private journal: Journal<QueueRecord> | undefined;
  /** Bytes the journal held after it was last compacted. */
  private compactedSize = 0;
  private stopped = false;

  constructor(private readonly options: QueueServiceOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log;
    const created = this.now();
    for (const spec of options.queues) {
      this.queues.set(spec.name, this.liveQueue({ ...spec }, created, false));
    }
    if (options.journalFile) this.openJournal(options.journalFile, options.legacyStateFile);
    for (const queue of this.queues.values()) this.publish(queue.spec);
    this.handle = buffered(this.signingName, (request) =>
      handleSqsRequest(this, request, this.log),
    );
  }

  get accountId(): string {
    return this.options.accountId;
  }

  // ----- lookups ---------------------------------------------------------------------------------

  /** by ARN, URL (any host) or name */
  queue(ref: string): QueueSpec | undefined {
    return this.find(ref)?.spec;
  }

  /** QueueSpecs of every queue, in creation order, optionally only those whose name starts so. */
  list(prefix = ''): QueueSpec[] {
    return [...this.queues.values()]
      .filter((queue) => queue.spec.name.startsWith(prefix))
      .map((queue) => queue.spec);
  }

  private find(ref: string): LiveQueue | undefined {
    if (ref.startsWith('arn:')) {
      for (const queue of this.queues.values()) if (queue.spec.arn === ref) return queue;
    }
    return this.queues.get(nameFromRef(ref));
  }

  private require(ref: string): LiveQueue {
    const queue = this.find(ref);
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  // ----- messages --------------------------------------------------------------------------------

  send(queueRef: string, message: SendOptions): SendResult {
    const queue = this.require(queueRef);
    validateSend(queue, message);
    const now = this.now();
    const attributes = message.messageAttributes ?? {};
    const digests: MessageDigests = {
      md5OfBody: md5OfBody(message.body),
      md5OfMessageAttributes: md5OfMessageAttributes(attributes),
    };
    let deduplicationId: string | undefined;
    if (queue.spec.fifo) {
      deduplicationId = deduplicationIdOf(message);
      const duplicate = this.duplicateOf(queue, deduplicationId, now);
      // A duplicate within the window is acknowledged as the first send, and not stored again.
      if (duplicate) return { messageId: duplicate.messageId, ...digests };
    }
    const stored = this.storedMessage(queue, message, attributes, digests, deduplicationId, now);
    this.commit({ type: 'sent', queue: queue.spec.name, message: stored });
    return {
      messageId: stored.id,
      ...digests,
      ...(stored.sequenceNumber ? { sequenceNumber: stored.sequenceNumber } : {}),
    };
  }

  /** The live deduplication entry for the id, once the expired ones are forgotten. */
  private duplicateOf(
    queue: LiveQueue,
    deduplicationId: string,
    now: number,
  ): { messageId: string } | undefined {
    for (const [id, entry] of queue.deduplication)
      if (entry.expiresAt <= now) queue.deduplication.delete(id);
    return queue.deduplication.get(deduplicationId);
  }

  /** The message as the queue keeps it (and the journal records it) from the send on. */
  private storedMessage(
    { spec }: LiveQueue,
    message: SendOptions,
    attributes: Record<string, MessageAttributeValue>,
    digests: MessageDigests,
    deduplicationId: string | undefined,
    now: number,
  ): StoredMessage {
    const delay = message.delaySeconds ?? spec.delaySeconds;
    const stored: StoredMessage = {
      id: randomUUID(),
      body: message.body,
      md5OfBody: digests.md5OfBody,
      // A copy: the caller keeps its object, the queue keeps what was sent.
      messageAttributes: structuredClone(attributes),
      md5OfMessageAttributes: digests.md5OfMessageAttributes,
      systemAttributes: { ...message.systemAttributes },
      senderId: message.senderId ?? this.options.accountId,
      sentAt: now,
      visibleAt: now + delay * 1000,
      receiveCount: 0,
    };
    if (message.messageGroupId) stored.groupId = message.messageGroupId;
    if (spec.fifo && deduplicationId) {
      stored.deduplicationId = deduplicationId;
      stored.sequenceNumber = String(this.sequence + 1).padStart(20, '0');
    }
    return stored;
  }

  /** Long polling: waits up to waitTimeSeconds for at least one message, resolving as soon as one is available. */
  async receive(queueRef: string, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    let queue = this.require(queueRef);
    const { maxMessages } = options;
    if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > 10)
      throw invalidParameterValue(
        `Value ${maxMessages} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
      );
    const wait = options.waitTimeSeconds ?? queue.spec.receiveWaitTimeSeconds;
    if (!Number.isInteger(wait) || wait < 0 || wait > 20)
      throw invalidParameterValue(
        `Value ${wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
      );
    if (options.visibilityTimeoutSeconds !== undefined)
      validateVisibilityTimeout(options.visibilityTimeoutSeconds);
    // Real time, not the injectable clock: a long poll lasts as long as it does.
    const deadline = Date.now() + wait * 1000;
    if (this.stopped) {
      // Yield a turn of the event loop: a poller still looping after stop must not starve it.
      await new Promise((resolve) => setImmediate(resolve));
      return [];
    }
    for (;;) {
      if (this.stopped) return [];
      const messages = this.take(queue, maxMessages, options.visibilityTimeoutSeconds);
      if (messages.length > 0 || Date.now() >= deadline) return messages;
      await this.waitForChange(queue, deadline);
      const current = this.find(queue.spec.name);
      if (current !== queue) return [];
      queue = current;
    }
  }

  deleteMessage(queueRef: string, receiptHandle: string): void {
    const queue = this.require(queueRef);
    const messageId = this.parseHandle(queue, receiptHandle);
    const found = queue.messages.some(
      (message) => message.id === messageId && message.receiptHandle === receiptHandle,
    );
    // A stale handle (the message was received again since) is accepted without deleting, as
    // SQS documents; so is the handle of a message already gone.
    if (!found) return;
    this.commit({ type: 'deleted', queue: queue.spec.name, ids: [messageId] });
  }

  changeVisibility(
    queueRef: string,
    receiptHandle: string,
    visibilityTimeoutSeconds: number,
  ): void {
    const queue = this.require(queueRef);
    validateVisibilityTimeout(visibilityTimeoutSeconds);
    const messageId = this.parseHandle(queue, receiptHandle);
    const message = queue.messages.find(
      (candidate) => candidate.id === messageId && candidate.receiptHandle === receiptHandle,
    );
    if (!message)
      throw invalidParameterValue(
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    const now = this.now();
    if (message.visibleAt <= now) throw messageNotInflight();
    this.commit({
      type: 'visibility',
      queue: queue.spec.name,
      id: message.id,
      visibleAt: now + visibilityTimeoutSeconds * 1000,
    });
  }

  counts(queueRef: string): QueueCounts {
    const queue = this.require(queueRef);
    const now = this.now();
    const counts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of this.unexpired(queue)) {
      if (message.visibleAt <= now) counts.visible++;
      else if (message.receiptHandle) counts.inFlight++;
      else counts.delayed++;
    }
    return counts;
  }

  purge(queueRef: string): void {
    const queue = this.require(queueRef);
    this.commit({ type: 'purged', queue: queue.spec.name });
  }

  // ----- queues ----------------------------------------------------------------------------------

  /** CreateQueue: idempotent for the same attributes; QueueNameExists for different ones. */
  createQueue(
    name: string,
    attributes: Record<string, string> = {},
    tags: Record<string, string> = {},
  ): QueueSpec {
    if (typeof name !== 'string' || name === '') throw missingParameter('QueueName');
    const fifo = attributes.FifoQueue === 'true';
    const valid = fifo ? FIFO_QUEUE_NAME.test(name) : QUEUE_NAME.test(name);
    if (!valid)
      throw invalidParameterValue(
        fifo
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    const existing = this.queues.get(name);
    if (existing) {
      if (!sameAttributes(existing.spec, existing.extras, attributes)) throw queueNameExists(name);
      return existing.spec;
    }
    const { accountId, region } = this.options;
    const base: QueueSpec = {
      address: `arn:aws:sqs:${region}:${accountId}:${name}`,
      name,
      arn: `arn:aws:sqs:${region}:${accountId}:${name}`,
      url: this.urlOf(name),
      fifo,
      visibilityTimeoutSeconds: 30,
      messageRetentionSeconds: 345600,
      delaySeconds: 0,
      receiveWaitTimeSeconds: 0,
      maxMessageSize: 262144,
    };
    const now = this.now();
    const applied = applyQueueAttributes(
      base,
      {
        contentBasedDeduplication: false,
        createdAt: now,
        lastModifiedAt: now,
        ...(Object.keys(tags).length > 0 ? { tags } : {}),
      },
      attributes,
      true,
    );
    this.commit({ type: 'queue', name, runtime: true, ...applied });
    this.log.write('info', 'sqs', `created queue ${name}`);
    const { spec } = this.require(name);
    this.publish(spec);
    return spec;
  }

  deleteQueue(queueRef: string): void {
    const queue = this.require(queueRef);
    this.commit({ type: 'queue-deleted', name: queue.spec.name });
    this.options.resources?.remove('queues', queue.spec.arn);
    this.log.write('info', 'sqs', `deleted queue ${queue.spec.name}`);
  }

  getAttributes(queueRef: string, names: string[]): Record<string, string> {
    const queue = this.require(queueRef);
    return queueAttributes(queue.spec, queue.extras, this.counts(queueRef), names);
  }

  setAttributes(queueRef: string, attributes: Record<string, string>): void {
    const queue = this.require(queueRef);
    const applied = applyQueueAttributes(queue.spec, queue.extras, attributes, false);
    this.commit({
      type: 'queue',
      name: queue.spec.name,
      runtime: queue.runtime,
      spec: applied.spec,
      extras: { ...applied.extras, lastModifiedAt: this.now() },
    });
    this.publish(applied.spec);
  }

  /** Writes a queue's spec to the model of resources, unless it holds that spec already. */
  private publish(spec: QueueSpec): void {
    const resources = this.options.resources;
    if (!resources) return;
    const known = resources.get('queues', spec.arn);
    if (known && JSON.stringify(known) === JSON.stringify(spec)) return;
    resources.put('queues', spec);
  }

  // ----- tags ------------------------------------------------------------------------------------

  tagQueue(queueRef: string, tags: Record<string, string>): void {
    this.retag(queueRef, (current) => ({ ...current, ...tags }));
  }

  untagQueue(queueRef: string, keys: string[]): void {
    this.retag(queueRef, (current) =>
      Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key))),
    );
  }

  listTags(queueRef: string): Record<string, string> {
    return { ...this.require(queueRef).extras.tags };
  }

  /** The queue's tags changed, journaled with its other extras. */
  private retag(
    queueRef: string,
    change: (tags: Record<string, string>) => Record<string, string>,
  ): void {
    const queue = this.require(queueRef);
    const tags = change(queue.extras.tags ?? {});
    const { tags: _old, ...extras } = queue.extras;
    this.commit({
      type: 'queue',
      name: queue.spec.name,
      runtime: queue.runtime,
      spec: queue.spec,
      extras: Object.keys(tags).length > 0 ? { ...extras, tags } : extras,
    });
  }

  /** Queues whose redrive policy targets this one. */
  deadLetterSourceQueues(queueRef: string): QueueSpec[] {
    const target = this.require(queueRef).spec.arn;
    return this.list().filter((spec) => spec.redrive?.deadLetterTargetArn === target);
  }

  /**
   * Releases pending long polls (they answer with no messages) and closes the journal: a change
   * asked for after this is refused, never acknowledged and then lost.
   */
  stop(): Promise<void> {
    this.stopped = true;
    for (const queue of this.queues.values()) this.wake(queue);
    this.journal?.close();
    return Promise.resolve();
  }

  // ----- internals -------------------------------------------------------------------------------

  private liveQueue(spec: QueueSpec, createdAt: number, runtime: boolean): LiveQueue {
    return {
      spec,
      // The stack's queues do not say; accepting sends without a deduplication id is the
      // forgiving choice for a local emulation.
      extras: { contentBasedDeduplication: spec.fifo, createdAt, lastModifiedAt: createdAt },
      runtime,
      messages: [],
      deduplication: new Map(),
      waiters: new Set(),
    };
  }

  /** A run-time queue's URL on this boot's endpoint (the port may differ from the last boot). */
  private urlOf(name: string): string {
    return `${this.options.endpoint.replace(/\/+$/, '')}/${this.options.accountId}/${name}`;
  }

  private newHandle(queue: LiveQueue, message: StoredMessage): string {
    return Buffer.from(`${queue.spec.name}/${message.id}/${randomUUID()}`).toString('base64url');
  }

  /** The message id a handle names; ReceiptHandleIsInvalid when it is not one of ours. */
  private parseHandle(queue: LiveQueue, handle: string): string {
    if (typeof handle !== 'string' || handle === '') throw missingParameter('ReceiptHandle');
    const decoded = Buffer.from(handle, 'base64url').toString('utf8');
    const [name, messageId, nonce, ...rest] = decoded.split('/');
    const wellFormed =
      rest.length === 0 &&
      Buffer.from(decoded).toString('base64url') === handle &&
      name === queue.spec.name &&
      UUID.test(messageId ?? '') &&
      UUID.test(nonce ?? '');
    if (!wellFormed || !messageId) throw receiptHandleIsInvalid(handle);
    return messageId;
  }

  private unexpired(queue: LiveQueue): StoredMessage[] {
    const cutoff = this.now() - queue.spec.messageRetentionSeconds * 1000;
    return queue.messages.filter((message) => message.sentAt > cutoff);
  }

  /** Messages past the retention period are deleted when a receive comes across them. */
  private expire(queue: LiveQueue): void {
    const kept = new Set(this.unexpired(queue));
    const ids = queue.messages.filter((message) => !kept.has(message)).map(({ id }) => id);
    if (ids.length > 0) this.commit({ type: 'deleted', queue: queue.spec.name, ids });
  }

  /** Hands out up to `max` visible messages, moving over-received ones to the DLQ. */
  private take(queue: LiveQueue, max: number, visibilityTimeout?: number): ReceivedMessage[] {
    this.expire(queue);
    const now = this.now();
    const timeout = visibilityTimeout ?? queue.spec.visibilityTimeoutSeconds;
    const records: QueueRecord[] = [];
    const taken: StoredMessage[] = [];
    // FIFO: a group whose oldest message is not deliverable holds back the rest of the group.
    const heldGroups = new Set<string>();
    for (const message of queue.messages) {
      if (taken.length >= max) break;
      const group = queue.spec.fifo ? message.groupId : undefined;
      if (group !== undefined && heldGroups.has(group)) continue;
      if (message.visibleAt > now) {
        if (group !== undefined) heldGroups.add(group);
        continue;
      }
      const redrive = queue.spec.redrive;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        const move = this.deadLetterMove(queue, message, redrive, now);
        if (move) {
          records.push(move);
          continue;
        }
      }
      records.push({
        type: 'received',
        queue: queue.spec.name,
        id: message.id,
        receiptHandle: this.newHandle(queue, message),
        visibleAt: now + timeout * 1000,
        receiveCount: message.receiveCount + 1,
        firstReceivedAt: message.firstReceivedAt ?? now,
      });
      taken.push(message);
    }
    this.commit(...records);
    return taken.map((message) => this.toReceived(message));
  }

  /** The move of an over-received message to its DLQ, or undefined when there is no such queue. */
  private deadLetterMove(
    source: LiveQueue,
    message: StoredMessage,
    { deadLetterTargetArn: target, maxReceiveCount }: NonNullable<QueueSpec['redrive']>,
    now: number,
  ): QueueRecord | undefined {
    const dlq = this.find(target);
    if (!dlq || dlq === source) {
      this.log.write(
        'warn',
        'sqs',
        `queue ${source.spec.name}: dead-letter queue ${target} does not exist; message ${message.id} stays`,
      );
      return undefined;
    }
    // A dead-lettered message is a failure someone has to look at: said at WARN, with its reason.
    this.log.write(
      'warn',
      'sqs',
      `message ${message.id} dead-lettered from queue ${source.spec.name} to dead-letter queue ${dlq.spec.name}: received ${message.receiveCount} times, maxReceiveCount ${maxReceiveCount}`,
    );
    return { type: 'moved', queue: source.spec.name, to: dlq.spec.name, id: message.id, at: now };
  }

  private toReceived(message: StoredMessage): ReceivedMessage {
    const attributes: Record<string, string> = {
      SenderId: message.senderId,
      SentTimestamp: String(message.sentAt),
      ApproximateReceiveCount: String(message.receiveCount),
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      ...message.systemAttributes,
    };
    if (message.groupId) attributes.MessageGroupId = message.groupId;
    if (message.deduplicationId) attributes.MessageDeduplicationId = message.deduplicationId;
    if (message.sequenceNumber) attributes.SequenceNumber = message.sequenceNumber;
    return {
      messageId: message.id,
      receiptHandle: message.receiptHandle ?? '',
      body: message.body,
      md5OfBody: message.md5OfBody,
      attributes,
      messageAttributes: structuredClone(message.messageAttributes),
      ...(message.md5OfMessageAttributes
        ? { md5OfMessageAttributes: message.md5OfMessageAttributes }
        : {}),
    };
  }

  /** Resolves on the next change to the queue, when a held message may become visible, or at the deadline. */
  private waitForChange(queue: LiveQueue, deadline: number): Promise<void> {
    return new Promise((resolve) => {
      const now = this.now();
      let next = deadline - Date.now();
      for (const message of queue.messages)
        if (message.visibleAt > now) next = Math.min(next, message.visibleAt - now);
      const done = (): void => {
        clearTimeout(timer);
        queue.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, next));
      // Long polls must not keep a process alive that has nothing else to do.
      timer.unref();
      queue.waiters.add(done);
    });
  }

  private wake(queue: LiveQueue): void {
    for (const waiter of [...queue.waiters]) waiter();
  }

  // ----- changes: journaled, then applied ----------------------------------------------------------

  /**
   * Makes changes durable, then applies them: once this returns, they survive a crash, so the
   * caller may acknowledge them. Records written together survive together or, for a torn last
   * one, all but it (then it was never acknowledged).
   */
  private commit(...records: QueueRecord[]): void {
    if (records.length === 0) return;
    if (this.stopped) throw serviceStopping();
    this.journal?.appendAll(records);
    for (const record of records) this.apply(record, false);
    if (this.journal && this.journal.size > this.compactedSize * 2 + COMPACTION_SLACK_BYTES)
      this.compact();
  }

  /**
   * Applies one record to the queues. Replayed records apply as they did live, but for what a
   * boot decides anew: a stack queue keeps the stack's current settings, a stack queue the stack
   * no longer has is left out, and a stack queue deleted at run time comes back empty.
   */
  private apply(record: QueueRecord, replaying: boolean): void {
    switch (record.type) {
      case 'queue':
        this.applyQueue(record, replaying);
        return;
      case 'queue-deleted':
        this.applyQueueDeleted(record, replaying);
        return;
      case 'sequence':
        this.sequence = Math.max(this.sequence, record.value);
        return;
      default:
        this.applyToMessages(record);
    }
  }

  /** A queue created or changed (or, in a snapshot, as it was), with its deduplication ids. */
  private applyQueue(record: RecordOf<'queue'>, replaying: boolean): void {
    let queue = this.queues.get(record.name);
    if (!queue) {
      if (!record.runtime) return;
      const spec = replaying ? { ...record.spec, url: this.urlOf(record.name) } : record.spec;
      queue = this.liveQueue(spec, record.extras.createdAt, true);
      this.queues.set(record.name, queue);
    } else if (!replaying || queue.runtime) {
      queue.spec = replaying ? { ...record.spec, url: queue.spec.url } : record.spec;
    }
    queue.extras =
      replaying && !queue.runtime
        ? {
            ...record.extras,
            contentBasedDeduplication: queue.extras.contentBasedDeduplication,
          }
        : record.extras;
    if (record.deduplication)
      queue.deduplication = new Map(
        record.deduplication.map(({ id, messageId, expiresAt }) => [id, { messageId, expiresAt }]),
      );
    this.wake(queue);
  }

  /** Replayed, a stack queue's deletion only empties it: the stack's queues come back at boot. */
  private applyQueueDeleted(record: RecordOf<'queue-deleted'>, replaying: boolean): void {
    const queue = this.queues.get(record.name);
    if (!queue) return;
    if (replaying && !queue.runtime) {
      queue.messages = [];
      queue.deduplication.clear();
      return;
    }
    this.queues.delete(record.name);
    this.wake(queue);
  }

  /** A change to a queue's messages; a queue that is gone takes none. */
  private applyToMessages(record: MessageRecord): void {
    const queue = this.queues.get(record.queue);
    if (!queue) return;
    switch (record.type) {
      case 'sent':
        this.applySent(queue, record.message);
        break;
      case 'received':
        // A receive makes no message available: no long poll is woken.
        applyReceived(queue, record);
        return;
      case 'deleted': {
        const ids = new Set(record.ids);
        queue.messages = queue.messages.filter((message) => !ids.has(message.id));
        break;
      }
      case 'visibility': {
        const message = queue.messages.find((candidate) => candidate.id === record.id);
        if (message) message.visibleAt = record.visibleAt;
        break;
      }
      case 'purged':
        queue.messages = [];
        break;
      case 'moved':
        // What changes is the dead-letter queue's: it is the one woken.
        this.applyMoved(queue, record);
        return;
    }
    this.wake(queue);
  }

  /** A FIFO message's deduplication id holds for the window; its sequence number is used up. */
  private applySent(queue: LiveQueue, message: StoredMessage): void {
    queue.messages.push(message);
    if (message.deduplicationId)
      queue.deduplication.set(message.deduplicationId, {
        messageId: message.id,
        expiresAt: message.sentAt + DEDUPLICATION_WINDOW_MS,
      });
    if (message.sequenceNumber)
      this.sequence = Math.max(this.sequence, Number(message.sequenceNumber));
  }

  /** The message leaves its queue; it joins the dead-letter queue, when that still exists. */
  private applyMoved(queue: LiveQueue, record: RecordOf<'moved'>): void {
    const message = queue.messages.find((candidate) => candidate.id === record.id);
    if (!message) return;
    queue.messages = queue.messages.filter((candidate) => candidate !== message);
    const dlq = this.queues.get(record.to);
    if (!dlq) return;
    delete message.receiptHandle;
    message.visibleAt = record.at;
    message.systemAttributes = {
      ...message.systemAttributes,
      DeadLetterQueueSourceArn: queue.spec.arn,
    };
    dlq.messages.push(message);
    this.wake(dlq);
  }

  /** Records that rebuild the live state: the journal after a compaction. */
  private snapshot(): QueueRecord[] {
    const records: QueueRecord[] = [{ type: 'sequence', value: this.sequence }];
    for (const queue of this.queues.values()) {
      records.push({
        type: 'queue',
        name: queue.spec.name,
        runtime: queue.runtime,
        spec: queue.spec,
        extras: queue.extras,
        deduplication: [...queue.deduplication].map(([id, entry]) => ({ id, ...entry })),
      });
      for (const message of this.unexpired(queue))
        records.push({ type: 'sent', queue: queue.spec.name, message });
    }
    return records;
  }

  private compact(): void {
    if (!this.journal) return;
    this.journal.compact(this.snapshot());
    this.compactedSize = this.journal.size;
  }

  private openJournal(file: string, legacyFile: string | undefined): void {
    const { journal, records, repaired } = Journal.open(file, { parse: parseQueueRecord });
    if (repaired) this.log.write('warn', 'sqs', `${file}: ${TORN_TAIL}`);
    const legacy =
      records.length === 0 && legacyFile
        ? readLegacyQueueState(legacyFile, (message) => this.log.write('warn', 'sqs', message))
        : [];
    for (const record of records.length > 0 ? records : legacy) this.apply(record, true);
    this.journal = journal;
    // Boot starts from the live state: what was deleted, or belongs to queues that are gone,
    // is not replayed again next time.
    this.compact();
    if (legacyFile && legacy.length > 0) {
      rmSync(legacyFile, { force: true });
      this.log.write('info', 'sqs', `moved the messages of ${legacyFile} into ${file}`);
    }
    const restored = [...this.queues.values()].reduce(
      (total, queue) => total + queue.messages.length,
      0,
    );
    this.log.write('debug', 'sqs', `restored ${restored} messages from ${file}`);
  }
}
