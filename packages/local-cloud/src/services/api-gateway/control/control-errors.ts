/**
 * API Gateway's control-plane errors (REST API and HTTP API alike): the HTTP status, the error
 * type in `x-amzn-ErrorType` (which the SDKs read), and `{"message": …}` as the body.
 */
import { AwsError } from '../../aws-error';
import type { AwsResponse } from '../../edge/types';

export type ApiGatewayErrorCode =
  | 'BadRequestException'
  | 'NotFoundException'
  | 'ConflictException'
  | 'TooManyRequestsException'
  | 'LimitExceededException'
  | 'UnauthorizedException';

const STATUS: Record<ApiGatewayErrorCode, number> = {
  BadRequestException: 400,
  NotFoundException: 404,
  ConflictException: 409,
  TooManyRequestsException: 429,
  LimitExceededException: 429,
  UnauthorizedException: 401,
};

/** An error a handler throws: the service answers it in AWS's shape. */
export class ApiGatewayError extends AwsError {
  declare readonly code: ApiGatewayErrorCode;

  constructor(code: ApiGatewayErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}

export const badRequest = (message: string): ApiGatewayError =>
  new ApiGatewayError('BadRequestException', message);

export const notFound = (message: string): ApiGatewayError =>
  new ApiGatewayError('NotFoundException', message);

export const conflict = (message: string): ApiGatewayError =>
  new ApiGatewayError('ConflictException', message);

/** The answer to an error a handler threw. */
export function errorAnswer(error: ApiGatewayError): AwsResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': error.code },
    body: JSON.stringify({ message: error.message }),
  };
}

/** A JSON answer (API Gateway answers 201 to a create, 202 to a delete, 200 otherwise). */
export function jsonAnswer(status: number, body?: unknown): AwsResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}
