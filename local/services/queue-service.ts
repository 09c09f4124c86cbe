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
 * Persistence: with a stateFile, every change is written (debounced by 100 ms, and on stop) and
 * read back at construction. Messages of a stack queue are restored into the stack's queue of
 * the same name (whose settings are the stack's current ones); queues created at run time are
 * restored with their saved settings; a stack queue no longer in the stack is dropped with its
 * messages. A stack queue deleted at run time comes back at the next boot.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { LocalLog } from '../log';
import type { QueueSpec } from '../stack/topology';
import type { EdgeService } from './edge-service';
import { buffered } from './edge-service';
import { md5OfBody, md5OfMessageAttributes } from './message-md5';
import {
  invalidParameterValue,
  messageNotInflight,
  missingParameter,
  queueDoesNotExist,
  queueNameExists,
  receiptHandleIsInvalid,
} from './sqs-errors';
import { handleSqsRequest } from './sqs-protocol';
import {
  validateDelaySeconds,
  validateMessage,
  validateVisibilityTimeout,
} from './sqs-message-validation';
import type { QueueCounts, QueueExtras } from './sqs-queue-attributes';
import { applyQueueAttributes, queueAttributes, sameAttributes } from './sqs-queue-attributes';
import type { QueueState, StoredMessage, StoredQueue } from './sqs-state-file';
import { readQueueState, writeQueueState } from './sqs-state-file';

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** base64 */
  BinaryValue?: string;
}

export interface SendOptions {
  body: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  delaySeconds?: number;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  senderId?: string;
  /** System attributes such as AWSTraceHeader. */
  systemAttributes?: Record<string, string>;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  /** SentTimestamp, ApproximateReceiveCount, ApproximateFirstReceiveTimestamp, SenderId (and
   * MessageGroupId, MessageDeduplicationId, SequenceNumber on FIFO queues). */
  attributes: Record<string, string>;
  messageAttributes: Record<string, MessageAttributeValue>;
  md5OfMessageAttributes?: string;
}

export interface QueueServiceOptions {
  queues: QueueSpec[];
  accountId: string;
  region: string;
  /** base URL of the AWS endpoint, for QueueUrls of queues created at run time */
  endpoint: string;
  /** JSON snapshot; absent = memory only */
  stateFile?: string;
  log: LocalLog;
  now?: () => number;
}

export interface SendResult {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  /** FIFO queues only. */
  sequenceNumber?: string;
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

const PERSIST_DELAY_MS = 100;
const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
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

export class QueueService implements EdgeService {
  readonly signingName = 'sqs';
  readonly handle: EdgeService['handle'];

  private readonly queues = new Map<string, LiveQueue>();
  private readonly now: () => number;
  private readonly log: LocalLog;
  private sequence = 0;
  private persistTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: QueueServiceOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log;
    const created = this.now();
    for (const spec of options.queues) {
      this.queues.set(spec.name, this.liveQueue({ ...spec }, created, false));
    }
    if (options.stateFile) this.restore(options.stateFile);
    this.handle = buffered((request) => handleSqsRequest(this, request, this.log));
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
    const { spec } = queue;
    validateMessage(message.body, message.messageAttributes, spec.maxMessageSize);
    if (message.delaySeconds !== undefined) {
      validateDelaySeconds(message.delaySeconds);
      if (spec.fifo)
        throw invalidParameterValue(
          `Value ${message.delaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`,
        );
    }
    const now = this.now();
    const attributes = message.messageAttributes ?? {};
    const attributesMd5 = md5OfMessageAttributes(attributes);
    const md5 = md5OfBody(message.body);

    let deduplicationId: string | undefined;
    if (spec.fifo) {
      if (!message.messageGroupId) throw missingParameter('MessageGroupId');
      deduplicationId = message.messageDeduplicationId;
      if (!deduplicationId) {
        if (!queue.extras.contentBasedDeduplication)
          throw invalidParameterValue(
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        deduplicationId = createHash('sha256').update(message.body).digest('hex');
      }
      for (const [id, entry] of queue.deduplication)
        if (entry.expiresAt <= now) queue.deduplication.delete(id);
      const duplicate = queue.deduplication.get(deduplicationId);
      if (duplicate) {
        return {
          messageId: duplicate.messageId,
          md5OfBody: md5,
          md5OfMessageAttributes: attributesMd5,
        };
      }
    } else if (message.messageDeduplicationId) {
      throw invalidParameterValue(
        `Value ${message.messageDeduplicationId} for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.`,
      );
    }

    const id = randomUUID();
    const delay = message.delaySeconds ?? spec.delaySeconds;
    const stored: StoredMessage = {
      id,
      body: message.body,
      md5OfBody: md5,
      // A copy: the caller keeps its object, the queue keeps what was sent.
      messageAttributes: structuredClone(attributes),
      md5OfMessageAttributes: attributesMd5,
      systemAttributes: { ...message.systemAttributes },
      senderId: message.senderId ?? this.options.accountId,
      sentAt: now,
      visibleAt: now + delay * 1000,
      receiveCount: 0,
    };
    if (message.messageGroupId) stored.groupId = message.messageGroupId;
    if (spec.fifo && deduplicationId) {
      stored.deduplicationId = deduplicationId;
      stored.sequenceNumber = String(++this.sequence).padStart(20, '0');
      queue.deduplication.set(deduplicationId, {
        messageId: id,
        expiresAt: now + DEDUPLICATION_WINDOW_MS,
      });
    }
    queue.messages.push(stored);
    this.changed(queue);
    return {
      messageId: id,
      md5OfBody: md5,
      md5OfMessageAttributes: attributesMd5,
      ...(stored.sequenceNumber ? { sequenceNumber: stored.sequenceNumber } : {}),
    };
  }

  /** Long polling: waits up to waitTimeSeconds for at least one message, resolving as soon as one is available. */
  async receive(
    queueRef: string,
    options: { maxMessages: number; visibilityTimeoutSeconds?: number; waitTimeSeconds?: number },
  ): Promise<ReceivedMessage[]> {
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
    const index = queue.messages.findIndex(
      (message) => message.id === messageId && message.receiptHandle === receiptHandle,
    );
    // A stale handle (the message was received again since) is accepted without deleting, as
    // SQS documents; so is the handle of a message already gone.
    if (index < 0) return;
    queue.messages.splice(index, 1);
    this.changed(queue);
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
    message.visibleAt = now + visibilityTimeoutSeconds * 1000;
    this.changed(queue);
  }

  counts(queueRef: string): QueueCounts {
    const queue = this.require(queueRef);
    this.expire(queue);
    const now = this.now();
    const counts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of queue.messages) {
      if (message.visibleAt <= now) counts.visible++;
      else if (message.receiptHandle) counts.inFlight++;
      else counts.delayed++;
    }
    return counts;
  }

  purge(queueRef: string): void {
    const queue = this.require(queueRef);
    queue.messages = [];
    this.changed(queue);
  }

  // ----- queues ----------------------------------------------------------------------------------

  /** CreateQueue: idempotent for the same attributes; QueueNameExists for different ones. */
  createQueue(name: string, attributes: Record<string, string> = {}): QueueSpec {
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
    const { accountId, region, endpoint } = this.options;
    const base: QueueSpec = {
      address: `created at run time: ${name}`,
      name,
      arn: `arn:aws:sqs:${region}:${accountId}:${name}`,
      url: `${endpoint.replace(/\/+$/, '')}/${accountId}/${name}`,
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
      { contentBasedDeduplication: false, createdAt: now, lastModifiedAt: now },
      attributes,
      true,
    );
    const queue = this.liveQueue(applied.spec, now, true);
    queue.extras = applied.extras;
    this.queues.set(name, queue);
    this.log.write('info', 'sqs', `created queue ${name}`);
    this.schedulePersist();
    return queue.spec;
  }

  deleteQueue(queueRef: string): void {
    const queue = this.require(queueRef);
    this.queues.delete(queue.spec.name);
    this.wake(queue);
    this.log.write('info', 'sqs', `deleted queue ${queue.spec.name}`);
    this.schedulePersist();
  }

  getAttributes(queueRef: string, names: string[]): Record<string, string> {
    const queue = this.require(queueRef);
    return queueAttributes(queue.spec, queue.extras, this.counts(queueRef), names);
  }

  setAttributes(queueRef: string, attributes: Record<string, string>): void {
    const queue = this.require(queueRef);
    const applied = applyQueueAttributes(queue.spec, queue.extras, attributes, false);
    queue.spec = applied.spec;
    queue.extras = { ...applied.extras, lastModifiedAt: this.now() };
    this.changed(queue);
  }

  /** Queues whose redrive policy targets this one. */
  deadLetterSourceQueues(queueRef: string): QueueSpec[] {
    const target = this.require(queueRef).spec.arn;
    return this.list().filter((spec) => spec.redrive?.deadLetterTargetArn === target);
  }

  /** Persists the state and releases pending long polls (they answer with no messages). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const queue of this.queues.values()) this.wake(queue);
    await this.flush();
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

  private expire(queue: LiveQueue): void {
    const cutoff = this.now() - queue.spec.messageRetentionSeconds * 1000;
    const kept = queue.messages.filter((message) => message.sentAt > cutoff);
    if (kept.length !== queue.messages.length) {
      queue.messages = kept;
      this.schedulePersist();
    }
  }

  /** Hands out up to `max` visible messages, moving over-received ones to the DLQ. */
  private take(queue: LiveQueue, max: number, visibilityTimeout?: number): ReceivedMessage[] {
    this.expire(queue);
    const now = this.now();
    const timeout = visibilityTimeout ?? queue.spec.visibilityTimeoutSeconds;
    const received: ReceivedMessage[] = [];
    // FIFO: a group whose oldest message is not deliverable holds back the rest of the group.
    const heldGroups = new Set<string>();
    let changed = false;
    for (const message of [...queue.messages]) {
      if (received.length >= max) break;
      const group = queue.spec.fifo ? message.groupId : undefined;
      if (group !== undefined && heldGroups.has(group)) continue;
      if (message.visibleAt > now) {
        if (group !== undefined) heldGroups.add(group);
        continue;
      }
      const redrive = queue.spec.redrive;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        if (this.moveToDeadLetterQueue(queue, message, redrive.deadLetterTargetArn)) {
          changed = true;
          continue;
        }
      }
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.receiptHandle = this.newHandle(queue, message);
      message.visibleAt = now + timeout * 1000;
      changed = true;
      received.push(this.toReceived(message));
    }
    if (changed) this.schedulePersist();
    return received;
  }

  private moveToDeadLetterQueue(
    source: LiveQueue,
    message: StoredMessage,
    target: string,
  ): boolean {
    const dlq = this.find(target);
    if (!dlq || dlq === source) {
      this.log.write(
        'warn',
        'sqs',
        `queue ${source.spec.name}: dead-letter queue ${target} does not exist; message ${message.id} stays`,
      );
      return false;
    }
    source.messages.splice(source.messages.indexOf(message), 1);
    delete message.receiptHandle;
    message.visibleAt = this.now();
    message.systemAttributes = {
      ...message.systemAttributes,
      DeadLetterQueueSourceArn: source.spec.arn,
    };
    dlq.messages.push(message);
    this.log.write(
      'info',
      'sqs',
      `message ${message.id} moved from ${source.spec.name} to ${dlq.spec.name} after ${message.receiveCount} receives`,
    );
    this.changed(dlq);
    return true;
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

  private changed(queue: LiveQueue): void {
    this.wake(queue);
    this.schedulePersist();
  }

  // ----- persistence -----------------------------------------------------------------------------

  private restore(stateFile: string): void {
    const state = readQueueState(stateFile, (message) => this.log.write('warn', 'sqs', message));
    if (!state) return;
    this.sequence = state.sequence;
    let restored = 0;
    for (const saved of state.queues) {
      let queue = this.queues.get(saved.name);
      if (!queue && saved.runtime) {
        const { accountId, endpoint } = this.options;
        const spec = {
          ...saved.spec,
          url: `${endpoint.replace(/\/+$/, '')}/${accountId}/${saved.name}`,
        };
        queue = this.liveQueue(spec, saved.createdAt, true);
        this.queues.set(saved.name, queue);
      }
      if (!queue) continue;
      queue.extras = {
        contentBasedDeduplication: queue.runtime
          ? saved.contentBasedDeduplication
          : queue.extras.contentBasedDeduplication,
        createdAt: saved.createdAt,
        lastModifiedAt: saved.lastModifiedAt,
      };
      queue.messages = saved.messages;
      queue.deduplication = new Map(
        saved.deduplication.map(({ id, messageId, expiresAt }) => [id, { messageId, expiresAt }]),
      );
      restored += saved.messages.length;
    }
    this.log.write('debug', 'sqs', `restored ${restored} messages from ${stateFile}`);
  }

  private snapshot(): QueueState {
    const queues: StoredQueue[] = [...this.queues.values()].map((queue) => ({
      name: queue.spec.name,
      runtime: queue.runtime,
      spec: queue.spec,
      contentBasedDeduplication: queue.extras.contentBasedDeduplication,
      createdAt: queue.extras.createdAt,
      lastModifiedAt: queue.extras.lastModifiedAt,
      messages: queue.messages,
      deduplication: [...queue.deduplication].map(([id, entry]) => ({ id, ...entry })),
    }));
    return { version: 1, sequence: this.sequence, queues };
  }

  private schedulePersist(): void {
    if (!this.options.stateFile || this.persistTimer || this.stopped) return;
    this.persistTimer = setTimeout(() => void this.flush(), PERSIST_DELAY_MS);
    this.persistTimer.unref();
  }

  private flush(): Promise<void> {
    const { stateFile } = this.options;
    if (!stateFile) return this.writing;
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    // Serialised now; writes run one after the other, so the last one wins.
    const text = JSON.stringify(this.snapshot());
    this.writing = this.writing
      .then(() => writeQueueState(stateFile, text))
      .catch((error: unknown) =>
        this.log.write('error', 'sqs', `cannot save ${stateFile}: ${(error as Error).message}`),
      );
    return this.writing;
  }
}
