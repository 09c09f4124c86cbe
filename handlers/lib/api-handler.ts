import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { ApiEdge, ApiResponse } from './api-edge';
import type { operations } from './api-types';
import {
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  StaleVersionError,
  UnsupportedMediaTypeError,
} from './errors';
import { httpApiEdge, isHttpApiEvent } from './http-api-edge';
import { logger } from './logger';
import { createRequestValidator, locateOperation } from './request-validator';
import type { RawRequest } from './request-validator';
import { restApiEdge } from './rest-api-edge';

/**
 * The edge of every API function: validate the request against the OpenAPI operation, call the
 * domain, shape the response with CORS headers, and turn domain errors into status codes. Nothing
 * below this layer knows about HTTP. Two edges feed it: the REST API's proxy events (payload
 * format 1.0) and the HTTP API's (2.0), each answered in its own format.
 */

export type OperationId = keyof operations;
type Operation<Op extends OperationId> = operations[Op];
type Responses<Op extends OperationId> = Operation<Op>['responses'];
type SuccessStatus<Op extends OperationId> = Extract<keyof Responses<Op>, 200 | 201 | 202 | 204>;
type JsonContent<R> = R extends { content: { 'application/json': infer Body } } ? Body : undefined;

export type ApiResult<Op extends OperationId> = {
  [Status in SuccessStatus<Op>]: {
    statusCode: Status;
    body: JsonContent<Responses<Op>[Status]>;
    headers?: Record<string, string>;
  };
}[SuccessStatus<Op>];

type Parameters<Op extends OperationId, In extends 'path' | 'query' | 'header'> = NonNullable<
  Operation<Op>['parameters'][In]
>;

export interface ApiRequest<Op extends OperationId> {
  path: Parameters<Op, 'path'>;
  /** Parameters the document gives a default always arrive with it: see `defaulted`. */
  query: Parameters<Op, 'query'>;
  header: Parameters<Op, 'header'>;
  body: Operation<Op> extends { requestBody: { content: { 'application/json': infer Body } } }
    ? Body
    : undefined;
}

export interface ApiHandlerOptions {
  /** The website origin allowed to call the API (the CORS contract of every response). */
  allowedOrigin: string;
}

/** A function behind both APIs: each event is answered in its own payload format. */
export interface ApiGatewayHandler {
  (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult>;
  (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2>;
}

/**
 * A query parameter the OpenAPI document gives a default: the validator has applied it, so its
 * absence is a bug in the document, not in the request.
 */
export function defaulted<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`Query parameter ${name} has no default in the API`);
  return value;
}

/**
 * The response headers the document declares for an operation (Location, ETag…): a page reads
 * them only once CORS exposes them.
 */
function declaredResponseHeaders(operationId: OperationId): string[] {
  const { operation } = locateOperation(operationId);
  const headers = Object.values(operation.responses ?? {}).flatMap((response) =>
    Object.keys(response.headers ?? {}),
  );
  return [...new Set(headers)];
}

function corsHeaders(allowedOrigin: string, exposed: string[]): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': allowedOrigin,
    ...(exposed.length > 0 ? { 'Access-Control-Expose-Headers': exposed.join(', ') } : {}),
    Vary: 'Origin',
  };
}

function json(statusCode: number, body: unknown, headers: Record<string, string>): ApiResponse {
  if (statusCode === 204) return { statusCode, headers, body: '' };
  return {
    statusCode,
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}

function errorResponse(error: unknown, headers: Record<string, string>): ApiResponse {
  if (error instanceof InvalidRequestError) {
    const errors = error.errors.length > 0 ? { errors: error.errors } : {};
    return json(400, { message: error.message, ...errors }, headers);
  }
  if (error instanceof NotFoundError) return json(404, { message: error.message }, headers);
  if (error instanceof ConflictError) return json(409, { message: error.message }, headers);
  if (error instanceof StaleVersionError) return json(412, { message: error.message }, headers);
  if (error instanceof UnsupportedMediaTypeError) {
    return json(415, { message: error.message }, headers);
  }
  logger.error('Unhandled error', { error: error as Error });
  return json(500, { message: 'Internal server error' }, headers);
}

export function apiHandler<Op extends OperationId>(
  operationId: Op,
  options: ApiHandlerOptions,
  handle: (request: ApiRequest<Op>) => Promise<ApiResult<Op>>,
): ApiGatewayHandler {
  const validate = createRequestValidator(operationId);
  const cors = corsHeaders(options.allowedOrigin, declaredResponseHeaders(operationId));
  logger.appendKeys({ operation: operationId });

  /** The one domain call, whichever edge the request came through. */
  const answer = async (raw: RawRequest): Promise<ApiResponse> => {
    try {
      const request = validate(raw) as ApiRequest<Op>;
      const result = await handle(request);
      return json(result.statusCode, result.body, { ...cors, ...result.headers });
    } catch (error) {
      return errorResponse(error, cors);
    }
  };
  const through = async <Event, Result>(
    edge: ApiEdge<Event, Result>,
    event: Event,
  ): Promise<Result> => edge.response(await answer(edge.request(event)));

  const handler = (
    event: APIGatewayProxyEvent | APIGatewayProxyEventV2,
    context: Context,
  ): Promise<APIGatewayProxyResult | APIGatewayProxyStructuredResultV2> => {
    logger.addContext(context);
    return isHttpApiEvent(event) ? through(httpApiEdge, event) : through(restApiEdge, event);
  };
  return handler as ApiGatewayHandler;
}
