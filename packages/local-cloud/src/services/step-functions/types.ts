/**
 * The shapes the Step Functions service's modules share: an execution as the store keeps it and
 * the service describes it, and the history events it is told by. This module imports nothing of
 * this folder's, so that imports here only point down (the store and the legacy snapshot reader
 * both use ExecutionRecord without importing each other).
 */
import type { Json } from '../../json';

/** One event, shaped as the JSON protocol carries it (timestamp in epoch seconds). */
export type HistoryEvent = {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
} & { [details: `${string}EventDetails`]: { [key: string]: Json } };

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
