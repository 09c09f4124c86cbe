/**
 * How a query-protocol service (IAM, STS, SNS) answers a request: it reads the `Action` and the
 * parameters, runs the action, and answers its result in the protocol's envelope, or the error
 * it threw (one of the service's own) in the protocol's error document; anything else is a fault
 * of the emulator, left to the edge.
 */
import { randomUUID } from 'node:crypto';
import type { AwsError } from './aws-error';
import { queryErrorAnswer, queryHeaders, queryResponse, readParams } from './aws-query';
import type { Params } from './aws-query';
import { buffered } from './edge/edge-service';
import type { AwsRequest, AwsResponse, EdgeService } from './edge/types';

export interface QueryService {
  /** The XML namespace of the service's answers. */
  namespace: string;
  /** The service's own errors, which it answers to the caller. */
  isOwnError(error: unknown): error is AwsError;
  /** The action's result (the inside of `<ActionResult>`), or undefined for an action with none. */
  run(action: string, params: Params, request: AwsRequest): string | undefined;
}

export function queryAnswer(service: QueryService, request: AwsRequest): AwsResponse {
  const requestId = randomUUID();
  const params = readParams(request);
  const action = params.get('Action') ?? '';
  try {
    const result = service.run(action, params, request);
    return {
      status: 200,
      headers: queryHeaders(requestId),
      body: queryResponse(service.namespace, action, result, requestId),
    };
  } catch (error) {
    if (service.isOwnError(error)) return queryErrorAnswer(service.namespace, error, requestId);
    throw error;
  }
}

/** The edge's handle of a query-protocol service that answers every request this way. */
export const queryHandler = (signingName: string, service: QueryService): EdgeService['handle'] =>
  buffered(signingName, (request) => Promise.resolve(queryAnswer(service, request)));
