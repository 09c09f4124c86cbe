/**
 * The AWS JSON 1.0 protocol as Step Functions speaks it: errors are `{"__type":
 * "com.amazonaws.sfn#<Code>","message":…}` with status 400 (the SDK turns the code into its
 * exception class), dates are epoch seconds, list operations page with an opaque nextToken.
 */
import { AwsError } from '../aws-error';
import type { AwsResponse } from '../edge/types';
import { opaqueTokens, page as pageOf } from '../pagination';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** An error the SDK receives as `<code>` (ExecutionDoesNotExist, InvalidArn…). */
export class StepFunctionsError extends AwsError {}

export function jsonResponse(body: unknown, status = 200): AwsResponse {
  return {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: StepFunctionsError): AwsResponse {
  // AWS answers its request validation's errors from the framework's namespace, not the service's.
  const namespace =
    error.code === 'ValidationException' ? 'com.amazon.coral.validate' : 'com.amazonaws.sfn';
  return jsonResponse(
    { __type: `${namespace}#${error.code}`, message: error.message },
    error.status,
  );
}

export const epochSeconds = (milliseconds: number): number => milliseconds / 1000;

const tokens = opaqueTokens(
  (token) => new StepFunctionsError('InvalidToken', `Invalid Token: '${token}'`),
);

/** A page of `items` from a token handed out earlier, and the token of the next page. */
export function page<T>(
  items: T[],
  maxResults: unknown,
  nextToken: unknown,
): { items: T[]; nextToken?: string } {
  const size = typeof maxResults === 'number' && maxResults > 0 ? Math.min(maxResults, 1000) : 1000;
  const token = typeof nextToken === 'string' ? nextToken : undefined;
  const { items: slice, next } = pageOf(items, token, size, tokens);
  return { items: slice, ...(next !== undefined ? { nextToken: next } : {}) };
}
