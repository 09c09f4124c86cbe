/**
 * The shapes the Lambda service's modules share (the runtime, the Invoke API, the asynchronous
 * invoker), in a module that imports nothing of this folder's, so that imports here only point
 * down: function-runtime uses invoke-api and async-invoker, never the other way round.
 */
import type { FunctionSpec } from '../../stack/topology';

/** What an invocation that ran answers; a refused one rejects with an InvokeError instead. */
export interface InvokeResult {
  statusCode: number;
  /** JSON text as Lambda returns it */
  payload: string;
  functionError?: 'Unhandled';
  /** last 4 KB of the invocation's log lines */
  logTail: string;
  durationMs: number;
}

/** How an invocation names its function; Lambda hands the handler that ARN. */
export interface InvokeTarget {
  requestId: string;
  invokedFunctionArn: string;
}

export interface AsyncDestinations {
  /** Delivers the record of `source`'s invocation; Lambda does so with the function's role. */
  deliver(destinationArn: string, record: unknown, source: FunctionSpec): Promise<void>;
}

/** Where Lambda sends a function's lines: its log group, the stream of the runtime instance. */
export interface FunctionLogSink {
  append(fn: FunctionSpec, stream: string, line: string): void;
}
