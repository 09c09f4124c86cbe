/**
 * The local CloudWatch Logs API through the AWS endpoint (signing name `logs`): reading what
 * functions logged (DescribeLogGroups, DescribeLogStreams, GetLogEvents, FilterLogEvents: what
 * `aws logs tail /aws/lambda/<fn> --follow` polls), the log group control plane Terraform's
 * aws_cloudwatch_log_group drives (log-group-control.ts) and writing streams of one's own
 * (log-stream-writes.ts). Other operations (metric and subscription filters, Insights queries,
 * live tail) answer that they are not emulated.
 */
import { buffered } from '../edge/edge-service';
import type { AwsRequest, AwsResponse, EdgeService } from '../edge/types';
import { isObject } from '../../json';
import type { JsonObject } from '../../json';
import { filterLogEvents, getLogEvents } from './log-events';
import {
  createLogGroup,
  deleteLogGroup,
  deleteRetentionPolicy,
  listTagsForResource,
  listTagsLogGroup,
  putRetentionPolicy,
  tagLogGroup,
  tagResource,
  untagLogGroup,
  untagResource,
} from './log-group-control';
import { describeLogGroups, describeLogStreams } from './log-groups';
import { createLogStream, putLogEvents } from './log-stream-writes';
import { errorResponse, jsonResponse, LogsError } from './logs-protocol';
import type { LogsWhere } from './logs-protocol';
import type { LogStore } from './log-store';

type Operation = (store: LogStore, input: JsonObject, where: LogsWhere) => JsonObject;

const OPERATIONS: Record<string, Operation> = {
  DescribeLogGroups: describeLogGroups,
  DescribeLogStreams: describeLogStreams,
  GetLogEvents: getLogEvents,
  FilterLogEvents: filterLogEvents,
  CreateLogGroup: createLogGroup,
  DeleteLogGroup: deleteLogGroup,
  PutRetentionPolicy: putRetentionPolicy,
  DeleteRetentionPolicy: deleteRetentionPolicy,
  ListTagsForResource: listTagsForResource,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsLogGroup: listTagsLogGroup,
  TagLogGroup: tagLogGroup,
  UntagLogGroup: untagLogGroup,
  CreateLogStream: createLogStream,
  PutLogEvents: putLogEvents,
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
          `The local CloudWatch Logs answers ${Object.keys(OPERATIONS).join(', ')}; ${operation || 'this request'} is not emulated`,
        );
      }
      return jsonResponse(run(this.store, inputOf(request), this.where));
    } catch (error) {
      if (error instanceof LogsError) return errorResponse(error);
      throw error;
    }
  }
}
