/**
 * SQS's Query protocol, which older AWS CLIs and SDKs (AWS CLI 2.9, boto3 before 2023, the AWS SDK
 * for JavaScript v2 before 2.1500) and API Gateway's SQS integrations speak: a form (or a query
 * string) with `Action=<Operation>`, posted to the endpoint or to the queue's URL, answered in XML,
 * or in the same shape as JSON when the client accepts `application/json`. The form is decoded
 * into the JSON protocol's input and the output encoded back, per sqs-query-model.ts, around the
 * same operations the JSON protocol runs.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isObject } from '../../json';
import type { LocalLog } from '../../log';
import { element, readParams, subParams } from '../aws-query';
import type { Params } from '../aws-query';
import type { AwsRequest, AwsResponse } from '../edge/types';
import { invalidAction, SQS_XMLNS, SqsError } from './sqs-errors';
import { runSqsOperation } from './sqs-operations';
import type { Input, Output } from './sqs-operations';
import { SQS_QUERY_MODEL } from './sqs-query-model';
import type { QueryList, QueryMap, QueryStructure } from './sqs-query-model';
import type { QueueOperations } from './types';

export type QueryFormat = 'xml' | 'json';

// ----- the form, into the JSON protocol's input ------------------------------------------------------

/** The N of every `<name>.N` (or `<name>.N.…`) parameter, in order. */
function indexesOf(params: Params, name: string): number[] {
  const pattern = new RegExp(`^${name}\\.(\\d+)(?:\\.|$)`);
  const found = new Set<number>();
  for (const key of params.keys()) {
    const index = pattern.exec(key)?.[1];
    if (index !== undefined) found.add(Number(index));
  }
  return [...found].sort((a, b) => a - b);
}

function decodeList(params: Params, shape: QueryList): unknown[] | undefined {
  const indexes = indexesOf(params, shape.list);
  if (indexes.length === 0) return undefined;
  return indexes.map((index) => {
    const base = `${shape.list}.${index}`;
    return shape.member
      ? decodeStructure(subParams(params, base), shape.member)
      : (params.get(base) ?? '');
  });
}

function decodeMap(params: Params, shape: QueryMap): Record<string, unknown> | undefined {
  const indexes = indexesOf(params, shape.map);
  if (indexes.length === 0) return undefined;
  const map: Record<string, unknown> = {};
  for (const index of indexes) {
    const entry = subParams(params, `${shape.map}.${index}`);
    const key = entry.get(shape.key);
    if (key === undefined) continue;
    map[key] = shape.valueMembers
      ? decodeStructure(subParams(entry, shape.value), shape.valueMembers)
      : (entry.get(shape.value) ?? '');
  }
  return map;
}

/** Scalars are the parameters without a dot; lists and maps are gathered by their wire names. */
function decodeStructure(params: Params, shape: QueryStructure): Input {
  const input: Input = {};
  for (const [key, value] of params) if (!key.includes('.')) input[key] = value;
  for (const [name, member] of Object.entries(shape)) {
    const value = 'list' in member ? decodeList(params, member) : decodeMap(params, member);
    if (value !== undefined) input[name] = value;
  }
  return input;
}

/** A request to the queue's URL (`/<account>/<name>`) names its queue by the path. */
function queueUrlOfPath(request: AwsRequest): string | undefined {
  if (!/^\/[^/]+\/[^/]+\/?$/.test(request.path)) return undefined;
  const host = request.headers.host ?? 'localhost';
  return `http://${host}${request.path.replace(/\/$/, '')}`;
}

// ----- the output, into XML ---------------------------------------------------------------------------

function xmlValue(name: string, value: unknown, members: QueryStructure = {}): string {
  return isObject(value)
    ? `<${name}>${xmlMembers(value, members)}</${name}>`
    : element(name, String(value));
}

function xmlMember(name: string, value: unknown, shape: QueryList | QueryMap | undefined): string {
  if (value === undefined || value === null) return '';
  if (shape && 'list' in shape)
    return (Array.isArray(value) ? value : [])
      .map((item) => xmlValue(shape.list, item, shape.member))
      .join('');
  if (shape && 'map' in shape)
    return Object.entries(isObject(value) ? value : {})
      .map(
        ([key, item]) =>
          `<${shape.map}>${element(shape.key, key)}` +
          `${xmlValue(shape.value, item, shape.valueMembers)}</${shape.map}>`,
      )
      .join('');
  return xmlValue(name, value);
}

function xmlMembers(value: Record<string, unknown>, shape: QueryStructure): string {
  return Object.entries(value)
    .map(([name, member]) => xmlMember(name, member, shape[name]))
    .join('');
}

// ----- the answer -------------------------------------------------------------------------------------

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`, or the same as JSON. */
function answer(
  action: string,
  result: { output: Output; shape: QueryStructure } | undefined,
  requestId: string,
  format: QueryFormat,
): AwsResponse {
  const headers = { 'x-amzn-requestid': requestId };
  if (format === 'json') {
    const body = {
      [`${action}Response`]: {
        ...(result ? { [`${action}Result`]: result.output } : {}),
        ResponseMetadata: { RequestId: requestId },
      },
    };
    return {
      status: 200,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    };
  }
  const resultXml = result
    ? `<${action}Result>${xmlMembers(result.output, result.shape)}</${action}Result>`
    : '';
  return {
    status: 200,
    headers: { ...headers, 'content-type': 'text/xml' },
    body:
      `<?xml version="1.0"?><${action}Response xmlns="${SQS_XMLNS}">${resultXml}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/**
 * How a Query request wants its answer (errors included, IAM's refusals too): XML, or JSON when it
 * accepts JSON. Undefined for a JSON-protocol request (it names its operation in X-Amz-Target).
 */
export function queryFormatOf(headers: IncomingHttpHeaders): QueryFormat | undefined {
  if (headers['x-amz-target'] !== undefined) return undefined;
  return /\bapplication\/json\b/i.test(headers.accept ?? '') ? 'json' : 'xml';
}

export async function handleSqsQueryRequest(
  service: QueueOperations,
  request: AwsRequest,
  log: LocalLog,
): Promise<AwsResponse> {
  const requestId = randomUUID();
  const format = queryFormatOf(request.headers) ?? 'xml';
  const params = readParams(request);
  const action = params.get('Action') ?? '';
  try {
    const model = SQS_QUERY_MODEL[action];
    if (!model) throw invalidAction(action);
    const input = decodeStructure(params, model.input);
    input.QueueUrl ??= queueUrlOfPath(request);
    const queueRef = input.QueueUrl ?? input.QueueName;
    log.write('debug', 'sqs', `${action}${typeof queueRef === 'string' ? ` ${queueRef}` : ''}`);
    const output = await runSqsOperation(service, action, input, request.caller);
    const result = model.output ? { output, shape: model.output } : undefined;
    return answer(action, result, requestId, format);
  } catch (error) {
    if (error instanceof SqsError) return error.toQueryResponse(requestId, format);
    throw error;
  }
}
