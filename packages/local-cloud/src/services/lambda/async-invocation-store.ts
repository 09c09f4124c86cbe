/**
 * Lambda's queue of asynchronous invocations, on disk: an invocation is journaled before
 * `invokeAsync` returns (so before S3 answers the PUT or SNS the Publish that caused it), each
 * failed or throttled attempt records its count and when the next one is due, and the outcome
 * closes the record. Reopened after a crash or a stop, the store gives back what was still open.
 */
import { Journal } from '../../persistence/journal';
import { isObject } from '../../json';

/** What a finished attempt answered, kept for the destination record of a later outcome. */
export interface AttemptResult {
  statusCode: number;
  functionError?: string;
  payload: string;
}

export interface StoredInvocation {
  /** The request id, kept across retries as Lambda does. */
  id: string;
  functionName: string;
  invokedFunctionArn: string;
  /** The event as JSON text. */
  event: string;
  /** Epoch ms: the event's age counts from here. */
  queuedAt: number;
  /** Attempts that ran the function. */
  attempts: number;
  /** Attempts Lambda refused (throttles): retried with backoff, not counted as attempts. */
  throttles: number;
  /** Epoch ms of the next attempt. */
  nextAttemptAt: number;
  lastResult?: AttemptResult;
}

export type AsyncOutcome = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'Dropped';

type AsyncRecord =
  | { op: 'queued'; invocation: StoredInvocation }
  | {
      op: 'retry';
      id: string;
      attempts: number;
      throttles: number;
      nextAttemptAt: number;
      lastResult?: AttemptResult;
    }
  | { op: 'done'; id: string; outcome: AsyncOutcome };

/** Rewrite the journal once it holds this many records more than the open invocations need. */
const COMPACT_AFTER_RECORDS = 1000;

function isAttemptResult(value: unknown): value is AttemptResult {
  return (
    isObject(value) &&
    typeof value.statusCode === 'number' &&
    typeof value.payload === 'string' &&
    (value.functionError === undefined || typeof value.functionError === 'string')
  );
}

function isInvocation(value: unknown): value is StoredInvocation {
  return (
    isObject(value) &&
    ['id', 'functionName', 'invokedFunctionArn', 'event'].every(
      (key) => typeof value[key] === 'string',
    ) &&
    ['queuedAt', 'attempts', 'throttles', 'nextAttemptAt'].every(
      (key) => typeof value[key] === 'number',
    ) &&
    (value.lastResult === undefined || isAttemptResult(value.lastResult))
  );
}

function parseRecord(value: unknown): AsyncRecord {
  if (isObject(value)) {
    if (value.op === 'queued' && isInvocation(value.invocation)) return value as AsyncRecord;
    if (
      value.op === 'retry' &&
      typeof value.id === 'string' &&
      typeof value.attempts === 'number' &&
      typeof value.throttles === 'number' &&
      typeof value.nextAttemptAt === 'number' &&
      (value.lastResult === undefined || isAttemptResult(value.lastResult))
    ) {
      return value as AsyncRecord;
    }
    if (value.op === 'done' && typeof value.id === 'string' && typeof value.outcome === 'string') {
      return value as AsyncRecord;
    }
  }
  throw new Error(`not an asynchronous invocation record: ${JSON.stringify(value)}`);
}

export class AsyncInvocationStore {
  private readonly open = new Map<string, StoredInvocation>();

  private constructor(private readonly journal: Journal<AsyncRecord>) {}

  /**
   * Opens (or creates) the store; `pending` is what was queued and never finished, `repaired`
   * whether a torn last record (never acknowledged) was cut off.
   */
  static open(file: string): {
    store: AsyncInvocationStore;
    pending: StoredInvocation[];
    repaired: boolean;
  } {
    const { journal, records, repaired } = Journal.open(file, { parse: parseRecord });
    const store = new AsyncInvocationStore(journal);
    for (const record of records) store.apply(record);
    if (records.length > store.open.size) store.compact();
    return {
      store,
      pending: [...store.open.values()].map((invocation) => ({ ...invocation })),
      repaired,
    };
  }

  /** Invocations queued and not finished. */
  get size(): number {
    return this.open.size;
  }

  /** Journals a new invocation; when it returns, the invocation survives a crash. */
  add(invocation: StoredInvocation): void {
    this.write({ op: 'queued', invocation: { ...invocation } });
  }

  /** Records the attempts so far and when the next one is due. */
  retry(invocation: StoredInvocation): void {
    const { id, attempts, throttles, nextAttemptAt, lastResult } = invocation;
    this.write({
      op: 'retry',
      id,
      attempts,
      throttles,
      nextAttemptAt,
      ...(lastResult ? { lastResult } : {}),
    });
  }

  /** Closes the invocation's record: it will not run again. */
  done(id: string, outcome: AsyncOutcome): void {
    this.write({ op: 'done', id, outcome });
  }

  close(): void {
    this.journal.close();
  }

  private write(record: AsyncRecord): void {
    this.journal.append(record);
    this.apply(record);
    if (this.journal.length > COMPACT_AFTER_RECORDS + 2 * this.open.size) this.compact();
  }

  private apply(record: AsyncRecord): void {
    switch (record.op) {
      case 'queued':
        this.open.set(record.invocation.id, { ...record.invocation });
        return;
      case 'retry': {
        const invocation = this.open.get(record.id);
        if (!invocation) return;
        invocation.attempts = record.attempts;
        invocation.throttles = record.throttles;
        invocation.nextAttemptAt = record.nextAttemptAt;
        if (record.lastResult) invocation.lastResult = record.lastResult;
        return;
      }
      case 'done':
        this.open.delete(record.id);
        return;
    }
  }

  /** Rewrites the journal as one record per open invocation. */
  private compact(): void {
    this.journal.compact(
      [...this.open.values()].map((invocation) => ({ op: 'queued' as const, invocation })),
    );
  }
}
