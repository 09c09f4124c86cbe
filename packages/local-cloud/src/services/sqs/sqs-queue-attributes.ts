/**
 * Queue attributes as SQS names them (CreateQueue, SetQueueAttributes, GetQueueAttributes):
 * reading them into a QueueSpec and writing a QueueSpec back out as strings.
 */
import type { PolicyDocument, QueueSpec } from '../../stack/topology';
import { isObject } from '../../json';
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
  'RedriveAllowPolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
] as const;

/** SQS's default data key reuse period for a queue encrypted with a KMS key. */
const DEFAULT_KMS_DATA_KEY_REUSE_SECONDS = 300;

const REDRIVE_PERMISSIONS = ['allowAll', 'denyAll', 'byQueue'] as const;
/** The most source queues a byQueue redrive allow policy may name. */
const MAX_SOURCE_QUEUES = 10;

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

/**
 * A dead-letter queue's RedriveAllowPolicy: which source queues may use it. `byQueue` needs 1 to
 * 10 source queue ARNs, the other permissions none.
 */
function redriveAllow(value: string): QueueSpec['redriveAllow'] {
  if (value === '') return undefined;
  const invalid = (reason: string) =>
    invalidAttributeValue(
      `Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: ${reason}`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalid('Invalid JSON.');
  }
  if (!isObject(parsed)) throw invalid('Invalid JSON.');
  const permission = parsed.redrivePermission;
  if (!REDRIVE_PERMISSIONS.some((known) => known === permission)) {
    throw invalid("Amazon SQS can't parse the redrivePermission value.");
  }
  const sources = parsed.sourceQueueArns;
  if (permission !== 'byQueue') {
    if (sources !== undefined) {
      throw invalid('Only byQueue redrivePermission may specify sourceQueueArns.');
    }
    return { redrivePermission: permission as 'allowAll' | 'denyAll' };
  }
  if (
    !Array.isArray(sources) ||
    sources.length === 0 ||
    !sources.every((arn) => typeof arn === 'string' && arn.startsWith('arn:'))
  ) {
    throw invalid('byQueue redrivePermission requires sourceQueueArns.');
  }
  if (sources.length > MAX_SOURCE_QUEUES) {
    throw invalid(`sourceQueueArns can contain at most ${MAX_SOURCE_QUEUES} queue ARNs.`);
  }
  return { redrivePermission: 'byQueue', sourceQueueArns: sources as string[] };
}

/** A statement SQS takes: an object whose Effect is Allow or Deny. */
const isStatement = (statement: unknown): boolean =>
  isObject(statement) && (statement.Effect === 'Allow' || statement.Effect === 'Deny');

/** A queue policy: a JSON object with at least one statement (SQS reads no other document). */
function policy(value: string): PolicyDocument | undefined {
  if (value === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    const statements = isObject(parsed) ? [parsed.Statement ?? []].flat() : [];
    if (isObject(parsed) && statements.length > 0 && statements.every(isStatement)) return parsed;
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
 * answer as SQS does; the encryption settings are kept and read back (nothing is encrypted locally).
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
      case 'RedriveAllowPolicy':
        next.redriveAllow = redriveAllow(value);
        break;
      case 'ContentBasedDeduplication':
        nextExtras.contentBasedDeduplication = boolean(name, value);
        break;
      default:
        applyEncryption(nextExtras, name, value);
        break;
    }
  }
  return { spec: next, extras: nextExtras };
}

/**
 * Server-side encryption, as SQS keeps it: SSE-SQS (the default of a new queue) or a KMS key, one
 * or the other; the data key reuse period belongs to a KMS-encrypted queue.
 */
function applyEncryption(extras: QueueExtras, name: string, value: string): void {
  switch (name) {
    case 'SqsManagedSseEnabled':
      extras.sqsManagedSse = boolean(name, value);
      if (extras.sqsManagedSse) delete extras.kmsMasterKeyId;
      break;
    case 'KmsMasterKeyId':
      if (value === '') delete extras.kmsMasterKeyId;
      else {
        extras.kmsMasterKeyId = value;
        extras.sqsManagedSse = false;
      }
      break;
    case 'KmsDataKeyReusePeriodSeconds':
      extras.kmsDataKeyReusePeriodSeconds = integer(name, value, 60, 86400);
      break;
    default:
      // DeduplicationScope, FifoThroughputLimit: high throughput is not emulated.
      break;
  }
}

function encryptionAttributes(extras: QueueExtras): Record<string, string | undefined> {
  const kms = extras.kmsMasterKeyId;
  return {
    KmsMasterKeyId: kms,
    KmsDataKeyReusePeriodSeconds:
      kms === undefined
        ? undefined
        : String(extras.kmsDataKeyReusePeriodSeconds ?? DEFAULT_KMS_DATA_KEY_REUSE_SECONDS),
    SqsManagedSseEnabled: String(kms === undefined && extras.sqsManagedSse !== false),
  };
}

/** The attributes CreateQueue compares to decide whether an existing queue is "the same". */
export function sameAttributes(
  spec: QueueSpec,
  extras: QueueExtras,
  attributes: Record<string, string>,
): boolean {
  const current = queueAttributes(spec, extras, { visible: 0, inFlight: 0, delayed: 0 }, ['All']);
  return Object.entries(attributes).every(([name, value]) => {
    if (name === 'RedrivePolicy' || name === 'RedriveAllowPolicy' || name === 'Policy') {
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
    RedriveAllowPolicy: spec.redriveAllow ? JSON.stringify(spec.redriveAllow) : undefined,
    FifoQueue: spec.fifo ? 'true' : undefined,
    ContentBasedDeduplication: spec.fifo ? String(extras.contentBasedDeduplication) : undefined,
    DeduplicationScope: spec.fifo ? 'queue' : undefined,
    FifoThroughputLimit: spec.fifo ? 'perQueue' : undefined,
    ...encryptionAttributes(extras),
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
