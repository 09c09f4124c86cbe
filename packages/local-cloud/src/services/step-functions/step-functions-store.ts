/**
 * Where Step Functions keeps its executions between boots: a journal (src/persistence/
 * journal.ts) with a record when an execution starts and one per history event, appended as it
 * happens. What an execution writes is its own events, never the history of the others, and an
 * execution is durable as far as its last event. How an execution ended (status, output, error,
 * cause, stop date) is read from its last event, so the history is the one source of truth. At
 * boot the journal is compacted to one record per execution.
 */
import { rmSync } from 'node:fs';
import { z } from 'zod';
import { Journal } from '../../persistence/journal';
import type { Json } from '../../json';
import { readLegacyExecutions } from './step-functions-legacy-state';
import type { ExecutionRecord, ExecutionStatus, HistoryEvent } from './types';

/** What identifies an execution; the rest is in its events. */
type ExecutionHeader = Pick<ExecutionRecord, 'executionArn' | 'stateMachineArn' | 'name'> & {
  startDate: number;
};

type StoreRecord =
  | ({ type: 'started' } & ExecutionHeader)
  | { type: 'event'; executionArn: string; event: HistoryEvent }
  /** A whole execution, as a compaction writes it. */
  | ({ type: 'execution'; events: HistoryEvent[] } & ExecutionHeader);

const historyEvent = z.custom<HistoryEvent>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    typeof (value as { id?: unknown }).id === 'number',
);
const header = {
  executionArn: z.string(),
  stateMachineArn: z.string(),
  name: z.string(),
  startDate: z.number(),
};
const storeRecord = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), ...header }),
  z.object({ type: z.literal('event'), executionArn: z.string(), event: historyEvent }),
  z.object({ type: z.literal('execution'), ...header, events: z.array(historyEvent) }),
]);

function parseStoreRecord(value: unknown): StoreRecord {
  const parsed = storeRecord.safeParse(value);
  if (!parsed.success) throw new Error(`not an execution journal record: ${parsed.error.message}`);
  return parsed.data;
}

const TERMINAL: Record<string, { status: ExecutionStatus; details: string }> = {
  ExecutionSucceeded: { status: 'SUCCEEDED', details: 'executionSucceededEventDetails' },
  ExecutionFailed: { status: 'FAILED', details: 'executionFailedEventDetails' },
  ExecutionTimedOut: { status: 'TIMED_OUT', details: 'executionTimedOutEventDetails' },
  ExecutionAborted: { status: 'ABORTED', details: 'executionAbortedEventDetails' },
};

const text = (value: Json | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * An execution as its events tell it; undefined without its ExecutionStarted event (a start cut
 * off by a crash, never acknowledged).
 */
export function executionFromEvents(
  execution: ExecutionHeader,
  events: HistoryEvent[],
): ExecutionRecord | undefined {
  const input = text(events[0]?.executionStartedEventDetails?.input);
  if (events[0]?.type !== 'ExecutionStarted' || input === undefined) return undefined;
  const record: ExecutionRecord = { ...execution, status: 'RUNNING', input, events };
  const last = events[events.length - 1];
  const end = last ? TERMINAL[last.type] : undefined;
  if (!last || !end) return record;
  const details = last[end.details as `${string}EventDetails`] ?? {};
  record.status = end.status;
  record.stopDate = Math.round(last.timestamp * 1000);
  const output = text(details.output);
  const error = text(details.error);
  const cause = text(details.cause);
  if (end.status === 'SUCCEEDED' && output !== undefined) record.output = output;
  if (error !== undefined) record.error = error;
  if (cause !== undefined) record.cause = cause;
  return record;
}

export class ExecutionStore {
  private constructor(private readonly journal: Journal<StoreRecord>) {}

  /**
   * Opens the journal at `file` and gives back the executions it holds. A snapshot an earlier
   * version wrote (`legacyFile`) is read into a journal that is still empty, then removed.
   */
  static open(
    file: string,
    legacyFile?: string,
  ): { store: ExecutionStore; executions: ExecutionRecord[]; repaired: boolean } {
    const { journal, records, repaired } = Journal.open(file, { parse: parseStoreRecord });
    const store = new ExecutionStore(journal);
    if (records.length === 0 && legacyFile) {
      const executions = readLegacyExecutions(legacyFile);
      if (executions.length > 0) {
        store.compact(executions);
        rmSync(legacyFile, { force: true });
      }
      return { store, executions, repaired };
    }
    const found = new Map<string, { execution: ExecutionHeader; events: HistoryEvent[] }>();
    for (const record of records) {
      if (record.type === 'event') {
        found.get(record.executionArn)?.events.push(record.event);
        continue;
      }
      const { executionArn, stateMachineArn, name, startDate } = record;
      found.set(executionArn, {
        execution: { executionArn, stateMachineArn, name, startDate },
        events: record.type === 'execution' ? record.events : [],
      });
    }
    const executions = [...found.values()]
      .map(({ execution, events }) => executionFromEvents(execution, events))
      .filter((execution): execution is ExecutionRecord => execution !== undefined);
    return { store, executions, repaired };
  }

  /** Records a new execution; its events follow, ExecutionStarted first. */
  started(execution: ExecutionRecord): void {
    const { executionArn, stateMachineArn, name, startDate } = execution;
    this.journal.append({ type: 'started', executionArn, stateMachineArn, name, startDate });
  }

  event(executionArn: string, event: HistoryEvent): void {
    this.journal.append({ type: 'event', executionArn, event });
  }

  /** Rewrites the journal as one record per execution. */
  compact(executions: ExecutionRecord[]): void {
    this.journal.compact(
      executions.map(({ executionArn, stateMachineArn, name, startDate, events }) => ({
        type: 'execution',
        executionArn,
        stateMachineArn,
        name,
        startDate,
        events,
      })),
    );
  }

  close(): void {
    this.journal.close();
  }
}
