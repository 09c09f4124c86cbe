/**
 * The AWS JSON 1.1 protocol as CloudWatch Logs speaks it (`X-Amz-Target: Logs_20140328.<Op>`):
 * errors are `{"__type":"<Code>","message":…}` with status 400, times are epoch milliseconds, and
 * a log group is named by `logGroupName` or by `logGroupIdentifier` (its name or ARN).
 */
import { AwsError, validationMessage } from '../aws-error';
import type { AwsResponse } from '../edge/types';
import type { JsonObject } from '../../json';
import { logGroupArn } from '../../model/arns';

export const LOGS_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** An error the SDK raises as `<code>` (ResourceNotFoundException, InvalidParameterException…). */
export class LogsError extends AwsError {}

export const invalidParameter = (message: string): LogsError =>
  new LogsError('InvalidParameterException', message);

/** A parameter that breaks its constraint, as CloudWatch Logs refuses it. */
export const validationFailure = (
  value: string | null,
  field: string,
  constraint: string,
): LogsError => invalidParameter(validationMessage(field, value, constraint));

export const noSuchGroup = (): LogsError =>
  new LogsError('ResourceNotFoundException', 'The specified log group does not exist.');

export function jsonResponse(body: unknown): AwsResponse {
  return {
    status: 200,
    headers: { 'content-type': LOGS_CONTENT_TYPE },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: LogsError): AwsResponse {
  return {
    status: error.status,
    headers: { 'content-type': LOGS_CONTENT_TYPE },
    body: JSON.stringify({ __type: error.code, message: error.message }),
  };
}

/** A string parameter, if given. */
export function text(input: JsonObject, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`${name} must be a string`);
  return value;
}

/** A whole-number parameter within [min, max], if given. */
export function whole(
  input: JsonObject,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function flag(input: JsonObject, name: string): boolean {
  return input[name] === true;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` or a name → the name. */
export function groupNameOf(identifier: string): string {
  const arn = /^arn:aws[a-z-]*:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(identifier);
  return arn?.[1] ?? identifier;
}

/** The log group a request names, by logGroupName or logGroupIdentifier (not both). */
export function requestedGroup(input: JsonObject): string {
  const name = text(input, 'logGroupName');
  const identifier = text(input, 'logGroupIdentifier');
  if (name !== undefined && identifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  const group = name ?? (identifier !== undefined ? groupNameOf(identifier) : undefined);
  if (group === undefined || group === '') {
    throw invalidParameter('Either logGroupName or logGroupIdentifier is required');
  }
  return group;
}

/** Where the ARNs of a region's log groups start. */
export interface LogsWhere {
  region: string;
  accountId: string;
}

export const groupArn = logGroupArn;
