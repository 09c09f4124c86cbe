/**
 * What a sandbox's worker (lambda-worker.ts) and the runtime tell each other. Types only: the
 * worker is compiled on its own and cannot import runtime code.
 */

/** Lambda's shape of a function error, as the Invoke API returns it. */
export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** Fixed for the life of a sandbox. */
export interface SandboxWorkerData {
  /** The extracted deployment package (LAMBDA_TASK_ROOT). */
  codeDir: string;
  /** `index.handler` */
  handler: string;
  functionName: string;
  memoryMb: number;
  logGroupName: string;
  logStreamName: string;
  logFormat: 'JSON' | 'Text';
}

export interface InvokeMessage {
  type: 'invoke';
  requestId: string;
  /** The event as JSON text: the handler gets a fresh parse, as from Lambda's runtime API. */
  event: string;
  invokedFunctionArn: string;
  /** Epoch ms when the invocation times out, for getRemainingTimeInMillis(). */
  deadline: number;
}

export type WorkerMessage =
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'ready' }
  | { type: 'initError'; error: ErrorPayload }
  | { type: 'result'; requestId: string; payload: string; memoryUsedMb: number }
  | { type: 'error'; requestId: string; error: ErrorPayload; memoryUsedMb: number };
