/**
 * The local SQS's two wire protocols, as AWS serves both: AWS JSON 1.0 (the operation in
 * `X-Amz-Target: AmazonSQS.<Operation>`, errors as `{__type, message}` plus the
 * `x-amzn-query-error` header), which the SDK v3 and current AWS CLIs speak, and the Query
 * protocol (a form with `Action=<Operation>`, answered in XML) of older CLIs and SDKs, see
 * sqs-query-protocol.ts. Both run the same operations (sqs-operations.ts).
 */
import { isObject } from '../../json';
import type { LocalLog } from '../../log';
import type { AwsRequest, AwsResponse } from '../edge/types';
import { SqsError } from './sqs-errors';
import { runSqsOperation } from './sqs-operations';
import { handleSqsQueryRequest } from './sqs-query-protocol';
import type { QueueOperations } from './types';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

function header(request: AwsRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): AwsResponse {
  return {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
    body: JSON.stringify(body),
  };
}

async function handleSqsJsonRequest(
  service: QueueOperations,
  request: AwsRequest,
  log: LocalLog,
  target: string,
): Promise<AwsResponse> {
  const operation = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : target;
  let input: unknown;
  try {
    input = request.body.length > 0 ? JSON.parse(request.body.toString('utf8')) : {};
  } catch {
    input = undefined;
  }
  if (!isObject(input))
    return json(400, {
      __type: 'com.amazon.coral.service#SerializationException',
      message: 'The request body is not a JSON object.',
    });
  const queueRef = typeof input.QueueUrl === 'string' ? input.QueueUrl : input.QueueName;
  log.write('debug', 'sqs', `${operation}${typeof queueRef === 'string' ? ` ${queueRef}` : ''}`);
  try {
    return json(200, await runSqsOperation(service, operation, input, request.caller));
  } catch (error) {
    if (error instanceof SqsError) return error.toResponse();
    throw error;
  }
}

export async function handleSqsRequest(
  service: QueueOperations,
  request: AwsRequest,
  log: LocalLog,
): Promise<AwsResponse> {
  const target = header(request, 'x-amz-target');
  return target
    ? handleSqsJsonRequest(service, request, log, target)
    : handleSqsQueryRequest(service, request, log);
}
