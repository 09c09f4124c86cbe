/**
 * The shapes the local SQS's modules share: a message and its attributes as sent, kept and
 * received, what a queue has beyond its QueueSpec, and what the wire protocol asks of the queues.
 * Nothing here imports from this folder, so every module of it may import these without a circle.
 */
import type { QueueSpec } from '../../stack/topology';

/** A message attribute as SQS (and SNS) carry it. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** base64 */
  BinaryValue?: string;
}

/** A message as the queue keeps it (and its journal records it). */
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

/** What a queue has beyond its QueueSpec. */
export interface QueueExtras {
  contentBasedDeduplication: boolean;
  /** ms since the epoch */
  createdAt: number;
  lastModifiedAt: number;
  /** Set at run time (CreateQueue, TagQueue); absent when it has none. */
  tags?: Record<string, string>;
  /** SqsManagedSseEnabled as set (absent: SQS's default, on unless a KMS key is set). */
  sqsManagedSse?: boolean;
  kmsMasterKeyId?: string;
  kmsDataKeyReusePeriodSeconds?: number;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
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

export interface SendResult {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  /** FIFO queues only. */
  sequenceNumber?: string;
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

export interface ReceiveOptions {
  maxMessages: number;
  visibilityTimeoutSeconds?: number;
  waitTimeSeconds?: number;
}

/**
 * What the wire protocol (sqs-protocol.ts) asks of the queues; QueueService implements it. Queues
 * are named by ARN, URL (any host) or name; every method throws the SqsError AWS answers.
 */
export interface QueueOperations {
  readonly accountId: string;
  queue(ref: string): QueueSpec | undefined;
  list(prefix?: string): QueueSpec[];
  send(queueRef: string, message: SendOptions): SendResult;
  receive(queueRef: string, options: ReceiveOptions): Promise<ReceivedMessage[]>;
  deleteMessage(queueRef: string, receiptHandle: string): void;
  changeVisibility(queueRef: string, receiptHandle: string, visibilityTimeoutSeconds: number): void;
  counts(queueRef: string): QueueCounts;
  purge(queueRef: string): void;
  createQueue(
    name: string,
    attributes?: Record<string, string>,
    tags?: Record<string, string>,
  ): QueueSpec;
  deleteQueue(queueRef: string): void;
  getAttributes(queueRef: string, names: string[]): Record<string, string>;
  setAttributes(queueRef: string, attributes: Record<string, string>): void;
  deadLetterSourceQueues(queueRef: string): QueueSpec[];
  tagQueue(queueRef: string, tags: Record<string, string>): void;
  untagQueue(queueRef: string, keys: string[]): void;
  listTags(queueRef: string): Record<string, string>;
}
