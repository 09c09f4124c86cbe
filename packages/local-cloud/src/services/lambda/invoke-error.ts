/**
 * What the Lambda API answers when it refuses an invocation before the function runs: the
 * exception type (`x-amzn-errortype`), its status and its body fields, as the SDK reads them.
 * In-process callers (API Gateway, Step Functions, the pollers) get it as a rejection, so none of
 * them can mistake a refusal for the function's own answer.
 */

export class InvokeError extends Error {
  constructor(
    readonly statusCode: number,
    readonly type: string,
    message: string,
    /** Body fields besides `Type` and `message` (a throttle's `Reason`). */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = type;
  }

  /** The body Lambda sends: `{Type, message, ...fields}`. */
  get body(): string {
    return JSON.stringify({ Type: 'User', message: this.message, ...this.fields });
  }
}

/** The function does not exist. */
export class FunctionNotFoundError extends InvokeError {
  constructor(readonly functionArn: string) {
    super(404, 'ResourceNotFoundException', `Function not found: ${functionArn}`);
  }
}

export type ThrottleReason =
  'ConcurrentInvocationLimitExceeded' | 'ReservedFunctionConcurrentInvocationLimitExceeded';

/** Lambda's 429 at a concurrency limit (the message is Lambda's own: "Rate Exceeded."). */
export function throttled(reason: ThrottleReason): InvokeError {
  return new InvokeError(429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: reason });
}

/** A synchronous request over its quota. */
export function requestTooLarge(limitBytes: number): InvokeError {
  return new InvokeError(
    413,
    'RequestEntityTooLargeException',
    `Request must be smaller than ${limitBytes} bytes for the InvokeFunction operation`,
  );
}

/** An asynchronous (Event) request over its quota: Lambda names the size it got. */
export function eventTooLarge(sizeBytes: number, limitBytes: number): InvokeError {
  return new InvokeError(
    413,
    'RequestEntityTooLargeException',
    `${sizeBytes} byte payload is too large for the Event invocation type (limit ${limitBytes} bytes)`,
  );
}
