/**
 * Lambda's REST-JSON answers: a JSON body, or a refusal with the exception type in
 * `x-amzn-errortype` and a `{Type, message}` body, as the SDKs and Terraform's provider read them.
 */
import { validationMessage } from '../aws-error';
import type { AwsResponse } from '../edge/types';
import { InvokeError } from './invoke-error';

const JSON_TYPE = { 'content-type': 'application/json' };

export function json(status: number, body: unknown): AwsResponse {
  return { status, headers: JSON_TYPE, body: JSON.stringify(body) };
}

/** No body: DeleteFunction, RemovePermission and the like answer 204. */
export function noContent(): AwsResponse {
  return { status: 204, headers: {} };
}

export function refusal(refused: InvokeError, requestId?: string): AwsResponse {
  return {
    status: refused.statusCode,
    headers: {
      ...JSON_TYPE,
      'x-amzn-errortype': refused.type,
      ...(requestId ? { 'x-amzn-requestid': requestId } : {}),
    },
    body: refused.body,
  };
}

/** A refusal thrown by an operation's checks, answered by the router. */
export class LambdaRefusal extends InvokeError {}

export function lambdaError(status: number, type: string, message: string): LambdaRefusal {
  return new LambdaRefusal(status, type, message);
}

export function invalidParameter(message: string): LambdaRefusal {
  return lambdaError(400, 'InvalidParameterValueException', message);
}

export function resourceNotFound(message: string): LambdaRefusal {
  return lambdaError(404, 'ResourceNotFoundException', message);
}

export function resourceConflict(message: string): LambdaRefusal {
  return lambdaError(409, 'ResourceConflictException', message);
}

/** Lambda's model validation: `1 validation error detected: Value '…' at '…' failed to …`. */
export function validationError(value: unknown, field: string, constraint: string): LambdaRefusal {
  // A value the request did not carry reads `Value null at …`, unquoted, as AWS writes it.
  const shown =
    value === null || value === undefined
      ? null
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  return lambdaError(400, 'ValidationException', validationMessage(field, shown, constraint));
}

/** The function does not exist, named by its full ARN as Lambda names it. */
export function functionNotFound(functionArn: string): LambdaRefusal {
  return resourceNotFound(`Function not found: ${functionArn}`);
}
