/**
 * The local CloudWatch Logs API, for reading what functions logged: DescribeLogGroups,
 * DescribeLogStreams, GetLogEvents and FilterLogEvents over the log store, through the AWS
 * endpoint (signing name `logs`), so `aws logs tail /aws/lambda/<fn> --follow`, `aws logs
 * filter-log-events` and the SDK's CloudWatchLogsClient work as against AWS. Writing is Lambda's:
 * the operations that create or write groups and streams answer that they are not emulated.
 */
import { buffered } from '../edge/edge-service';
import type { AwsRequest, AwsResponse, EdgeService } from '../edge/types';
import { isObject } from '../../json';
import type { JsonObject } from '../../json';
import { filterLogEvents, getLogEvents } from './log-events';
import { describeLogGroups, describeLogStreams } from './log-groups';
import { errorResponse, jsonResponse, LogsError } from './logs-protocol';
import type { LogsWhere } from './logs-protocol';
import type { LogStore } from './log-store';

type Operation = (store: LogStore, input: JsonObject, where: LogsWhere) => JsonObject;

const OPERATIONS: Record<string, Operation> = {
  DescribeLogGroups: describeLogGroups,
  DescribeLogStreams: describeLogStreams,
  GetLogEvents: getLogEvents,
  FilterLogEvents: filterLogEvents,
};

/** `Logs_20140328.FilterLogEvents` → `FilterLogEvents`. */
const operationOf = (request: AwsRequest): string => {
  const target = request.headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  return value?.slice(value.lastIndexOf('.') + 1) ?? '';
};

function inputOf(request: AwsRequest): JsonObject {
  if (request.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new LogsError('SerializationException', 'The request body is not JSON');
  }
  if (!isObject(parsed))
    throw new LogsError('SerializationException', 'The request body is not a JSON object');
  return parsed;
}

export class LogsService implements EdgeService {
  readonly signingName = 'logs';
  readonly handle: EdgeService['handle'];

  constructor(
    private readonly store: LogStore,
    private readonly where: LogsWhere,
  ) {
    this.handle = buffered(this.signingName, (request) => Promise.resolve(this.answer(request)));
  }

  answer(request: AwsRequest): AwsResponse {
    const operation = operationOf(request);
    try {
      const run = OPERATIONS[operation];
      if (!run) {
        throw new LogsError(
          'InvalidOperationException',
          `The local CloudWatch Logs reads what Lambda writes (${Object.keys(OPERATIONS).join(', ')}); ${operation || 'this request'} is not emulated`,
        );
      }
      return jsonResponse(run(this.store, inputOf(request), this.where));
    } catch (error) {
      if (error instanceof LogsError) return errorResponse(error);
      throw error;
    }
  }
}
