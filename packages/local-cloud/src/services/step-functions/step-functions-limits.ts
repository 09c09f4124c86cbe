/**
 * Step Functions' payload quota: the input or output of an execution, a state or a task is at
 * most 256 KiB of UTF-8. The API refuses a larger input with a ValidationException worded as
 * AWS words it; a state or task that produces a larger one fails the execution with
 * States.DataLimitExceeded (see workflow-runner.ts).
 */
import { StepFunctionsError } from './step-functions-protocol';

export const MAX_PAYLOAD_BYTES = 262144;

/** Bytes of a JSON value as Step Functions measures it: its JSON text in UTF-8. */
export function payloadBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? 'null');
}

/** Refuses a request field (input, output) over the quota, as AWS's request validation does. */
export function checkPayloadField(field: string, value: string | undefined): void {
  if (value === undefined || Buffer.byteLength(value) <= MAX_PAYLOAD_BYTES) return;
  throw new StepFunctionsError(
    'ValidationException',
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: ` +
      `Member must have size less than or equal to ${MAX_PAYLOAD_BYTES} bytes in UTF-8 encoding`,
  );
}

/** The cause of States.DataLimitExceeded, naming the state (or the task's resource). */
export function dataLimitExceededCause(stateOrTask: string): string {
  return `The state/task '${stateOrTask}' returned a result with a size exceeding the maximum number of bytes service limit.`;
}
