/**
 * The JSON snapshot earlier versions of the local Step Functions kept (`stepfunctions.json`,
 * rewritten whole on every start and end of an execution), read once into the journal.
 */
import { readFileSync } from 'node:fs';
import type { ExecutionRecord } from './types';

/** The executions of a legacy snapshot; none when there is no file or it cannot be read. */
export function readLegacyExecutions(file: string): ExecutionRecord[] {
  try {
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as { executions?: unknown };
    return Array.isArray(snapshot.executions) ? (snapshot.executions as ExecutionRecord[]) : [];
  } catch {
    return [];
  }
}
