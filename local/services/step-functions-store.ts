/**
 * Where Step Functions keeps its executions between boots: one JSON snapshot, rewritten whole
 * (through a temporary file and a rename, so a killed runtime leaves the previous snapshot, never
 * half of one) when an execution starts or ends.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HistoryEvent } from './step-functions-history';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** Epoch milliseconds. */
  startDate: number;
  stopDate?: number;
  /** The input as given (JSON text). */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
}

interface Snapshot {
  version: 1;
  executions: ExecutionRecord[];
}

export function loadExecutions(file: string): ExecutionRecord[] {
  if (!existsSync(file)) return [];
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Partial<Snapshot>;
  return snapshot.executions ?? [];
}

export function saveExecutions(file: string, executions: ExecutionRecord[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const snapshot: Snapshot = { version: 1, executions };
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot));
  renameSync(temporary, file);
}
