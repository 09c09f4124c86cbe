/**
 * Queue attributes as SQS names them (CreateQueue, SetQueueAttributes, GetQueueAttributes):
 * reading them into a QueueSpec and writing a QueueSpec back out as strings.
 */
import type { PolicyDocument, QueueSpec } from '../../stack/topology';
import { invalidAttributeName, invalidAttributeValue } from './sqs-errors';
import type { QueueCounts, QueueExtras } from './types';

const SETTABLE = new Set([
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'Policy',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'ContentBasedDeduplication',
  'SqsManagedSseEnabled',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);

const READABLE = [
  'Policy',
  'VisibilityTimeout',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
  'ApproximateNumberOfMessagesDelayed',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'SqsManagedSseEnabled',
] as const;

function integer(name: string, value: string, min: number, max: number): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(parsed >= min && parsed <= max))
    throw invalidAttributeValue(`Invalid value for the parameter ${name}.`);
  return parsed;
}

function redrive(value: string): QueueSpec['redrive'] {
  if (value === '') return undefined;
  try {
    const parsed = JSON.parse(value) as {
      deadLetterTargetArn?: unknown;
      maxReceiveCount?: unknown;
    };
    const count = Number(parsed.maxReceiveCount);
    if (
      typeof parsed.deadLetterTargetArn === 'string' &&
      parsed.deadLetterTargetArn.startsWith('arn:') &&
      Number.isInteger(count) &&
      count >= 1 &&
      count <= 1000
    )
      return { deadLetterTargetArn: parsed.deadLetterTargetArn, maxReceiveCount: count };
  } catch {
    // answered below
  }
  throw invalidAttributeValue(`Value ${value} for parameter RedrivePolicy is invalid.`);
}

function policy(value: string): PolicyDocument | undefined {
  if (value === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as PolicyDocument;
  } catch {
    // answered below
  }
  throw invalidAttributeValue('Invalid value for the parameter Policy.');
}

function boolean(name: string, value: string): boolean {
  if (value !== 'true' && value !== 'false')
    throw invalidAttributeValue(`Invalid value for the parameter ${name}.`);
  return value === 'true';
}

/**
 * Applies attributes to a copy of the spec. `FifoQueue` is only accepted at creation (where
 * the caller has already checked it against the name). Unknown names and out-of-range values
 * answer as SQS does; attributes this emulation has no use for (KMS…) are accepted and ignored.
 */
export function applyQueueAttributes(
  spec: QueueSpec,
  extras: QueueExtras,
  attributes: Record<string, string>,
  creating: boolean,
): { spec: QueueSpec; extras: QueueExtras } {
  const next = { ...spec };
  const nextExtras = { ...extras };
  for (const [name, raw] of Object.entries(attributes)) {
    const value = String(raw);
    if (name === 'FifoQueue' && creating) {
      next.fifo = boolean(name, value);
      continue;
    }
    if (!SETTABLE.has(name)) throw invalidAttributeName(name);
    switch (name) {
      case 'DelaySeconds':
        next.delaySeconds = integer(name, value, 0, 900);
        break;
      case 'MaximumMessageSize':
        next.maxMessageSize = integer(name, value, 1024, 1048576);
        break;
      case 'MessageRetentionPeriod':
        next.messageRetentionSeconds = integer(name, value, 60, 1209600);
        break;
      case 'ReceiveMessageWaitTimeSeconds':
        next.receiveWaitTimeSeconds = integer(name, value, 0, 20);
        break;
      case 'VisibilityTimeout':
        next.visibilityTimeoutSeconds = integer(name, value, 0, 43200);
        break;
      case 'RedrivePolicy':
        next.redrive = redrive(value);
        break;
      case 'Policy':
        next.policy = policy(value);
        break;
      case 'ContentBasedDeduplication':
        nextExtras.contentBasedDeduplication = boolean(name, value);
        break;
      default:
        break;
    }
  }
  return { spec: next, extras: nextExtras };
}

/** The attributes CreateQueue compares to decide whether an existing queue is "the same". */
export function sameAttributes(
  spec: QueueSpec,
  extras: QueueExtras,
  attributes: Record<string, string>,
): boolean {
  const current = queueAttributes(spec, extras, { visible: 0, inFlight: 0, delayed: 0 }, ['All']);
  return Object.entries(attributes).every(([name, value]) => {
    if (name === 'RedrivePolicy' || name === 'Policy') {
      const mine = current[name];
      if (!mine) return value === '';
      try {
        return JSON.stringify(JSON.parse(String(value))) === JSON.stringify(JSON.parse(mine));
      } catch {
        return false;
      }
    }
    return !(name in current) || current[name] === String(value);
  });
}

/** GetQueueAttributes: the requested names (or All), unknown names rejected. */
export function queueAttributes(
  spec: QueueSpec,
  extras: QueueExtras,
  counts: QueueCounts,
  names: string[],
): Record<string, string> {
  const all: Record<string, string | undefined> = {
    Policy: spec.policy ? JSON.stringify(spec.policy) : undefined,
    VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
    MaximumMessageSize: String(spec.maxMessageSize),
    MessageRetentionPeriod: String(spec.messageRetentionSeconds),
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    CreatedTimestamp: String(Math.floor(extras.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(extras.lastModifiedAt / 1000)),
    QueueArn: spec.arn,
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    DelaySeconds: String(spec.delaySeconds),
    ReceiveMessageWaitTimeSeconds: String(spec.receiveWaitTimeSeconds),
    RedrivePolicy: spec.redrive
      ? JSON.stringify({
          deadLetterTargetArn: spec.redrive.deadLetterTargetArn,
          maxReceiveCount: spec.redrive.maxReceiveCount,
        })
      : undefined,
    FifoQueue: spec.fifo ? 'true' : undefined,
    ContentBasedDeduplication: spec.fifo ? String(extras.contentBasedDeduplication) : undefined,
    DeduplicationScope: spec.fifo ? 'queue' : undefined,
    FifoThroughputLimit: spec.fifo ? 'perQueue' : undefined,
    SqsManagedSseEnabled: 'true',
  };
  const wanted = names.includes('All') ? READABLE : names;
  const out: Record<string, string> = {};
  for (const name of wanted) {
    if (!(READABLE as readonly string[]).includes(name)) throw invalidAttributeName(name);
    const value = all[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
