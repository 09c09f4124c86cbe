/**
 * The integrations a state machine's Task states call, bound to the local cloud: functions run in
 * the local function runtime, DynamoDB and SNS are reached through the AWS endpoint with the
 * state machine's own credentials (so the edge sees the state machine's role). Results and errors
 * take the shapes Step Functions gives them: a function's error is named by its errorType with
 * the function's error payload as cause; service errors are `DynamoDB.<Exception>` /
 * `SNS.<Exception>` with the Java SDK's cause format.
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteItemCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import type { MessageAttributeValue, PublishCommandInput } from '@aws-sdk/client-sns';
import { functionArnOf } from '../../stack/function-arn';
import { LOCAL_ACCOUNT_ID } from '../../stack/topology';
import type { Json, JsonObject } from '../../json';
import { sdkMetadata, TaskError } from './workflow-runner';
import type { TaskIntegrations } from './workflow-runner';
import { isObject } from '../../json';

export interface LocalTaskTargets {
  /** invoke a function synchronously: FunctionRuntime.invoke satisfies this */
  invokeFunction(
    functionArn: string,
    payload: unknown,
  ): Promise<{ payload: string; functionError?: string }>;
  /** the AWS endpoint + credentials the state machine's role uses for service integrations */
  awsEndpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Completes function names into ARNs; the local account by default. */
  accountId?: string;
}

/** SDK output as JSON: bytes become base64, as the service's own JSON has them. */
function toJson(value: unknown): Json {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Set) return [...(value as Set<unknown>)].map(toJson);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, field]) => key !== '$metadata' && field !== undefined)
        .map(([key, field]) => [key, toJson(field)]),
    );
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  return null;
}

const bytes = (value: Json): Uint8Array =>
  Buffer.from(typeof value === 'string' ? value : '', 'base64');

/** DynamoDB JSON as the SDK takes it: B and BS are bytes, not base64. */
function toAttributeValue(value: Json): AttributeValue {
  if (!isObject(value)) return value as unknown as AttributeValue;
  if ('B' in value) return { B: bytes(value.B ?? '') };
  if ('BS' in value && Array.isArray(value.BS)) return { BS: value.BS.map(bytes) };
  if ('M' in value && isObject(value.M)) return { M: toAttributeMap(value.M) ?? {} };
  if ('L' in value && Array.isArray(value.L)) return { L: value.L.map(toAttributeValue) };
  return value as unknown as AttributeValue;
}

function toAttributeMap(value: Json | undefined): Record<string, AttributeValue> | undefined {
  if (!isObject(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value).map(([name, field]) => [name, toAttributeValue(field)]),
  );
}

function dynamoInput<T>(parameters: Json): T {
  const input: JsonObject = isObject(parameters) ? parameters : {};
  const converted: Record<string, unknown> = { ...input };
  for (const field of ['Key', 'Item', 'ExpressionAttributeValues']) {
    if (field in input) converted[field] = toAttributeMap(input[field]);
  }
  return converted as T;
}

/** What a service integration adds to the SDK's answer. */
function withHttpMetadata(output: unknown): Json {
  const requestId =
    (isObject(output) &&
    isObject(output.$metadata) &&
    typeof output.$metadata.requestId === 'string'
      ? output.$metadata.requestId
      : undefined) ?? randomUUID();
  const headers = { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId };
  const body = toJson(output);
  return { ...(isObject(body) ? body : {}), ...sdkMetadata(headers, requestId) };
}

/** `DynamoDB.ConditionalCheckFailedException`, cause as the Java SDK words it. */
function serviceFailure(
  service: 'DynamoDB' | 'SNS',
  serviceName: string,
  error: unknown,
): TaskError {
  const isServiceError =
    error instanceof DynamoDBServiceException || error instanceof SNSServiceException;
  if (!isServiceError) {
    const message = error instanceof Error ? error.message : String(error);
    return new TaskError(`${service}.SdkClientException`, message);
  }
  const { httpStatusCode, requestId } = error.$metadata;
  return new TaskError(
    `${service}.${error.name}`,
    `${error.message} (Service: ${serviceName}; Status Code: ${httpStatusCode ?? 400}; ` +
      `Error Code: ${error.name}; Request ID: ${requestId ?? randomUUID()}; Proxy: null)`,
  );
}

function parsePayload(payload: string): Json {
  if (payload.trim() === '') return null;
  try {
    return JSON.parse(payload) as Json;
  } catch {
    return payload;
  }
}

/** One machine's targets, and the service clients it opens at its first call to each service. */
interface IntegrationState {
  targets: LocalTaskTargets;
  accountId: string;
  config: { endpoint: string; region: string; credentials: LocalTaskTargets['credentials'] };
  clients: { dynamo?: DynamoDBClient; sns?: SNSClient };
}

/** A machine's integrations; its service clients open lazily and close with destroy. */
export function createTaskIntegrations(
  targets: LocalTaskTargets,
): TaskIntegrations & { destroy(): void } {
  const { region, credentials } = targets;
  const integration: IntegrationState = {
    targets,
    accountId: targets.accountId ?? LOCAL_ACCOUNT_ID,
    config: { endpoint: targets.awsEndpoint, region, credentials },
    clients: {},
  };
  return {
    lambda: (target, payload) => invokeFunction(integration, target, payload),
    dynamodb: (action, parameters) => callDynamoDb(integration, action, parameters),
    sns: (action, parameters) => callSns(integration, action, parameters),
    destroy: () => {
      integration.clients.dynamo?.destroy();
      integration.clients.sns?.destroy();
    },
  };
}

/** A Task's resource this emulator has no integration for: the execution cannot go on. */
function unsupported(service: string, action: string): TaskError {
  return new TaskError(
    'States.Runtime',
    `The local cloud does not integrate arn:aws:states:::${service}:${action}`,
  );
}

/** The function's result; its own error named by its errorType, with its payload as cause. */
async function invokeFunction(
  integration: IntegrationState,
  target: string,
  payload: Json,
): Promise<Json> {
  const { targets, accountId } = integration;
  let answer: { payload: string; functionError?: string };
  try {
    answer = await targets.invokeFunction(
      functionArnOf(target, targets.region, accountId),
      payload,
    );
  } catch (error) {
    throw invokeFailure(error);
  }
  const result = parsePayload(answer.payload);
  if (answer.functionError) {
    const errorType =
      isObject(result) && typeof result.errorType === 'string'
        ? result.errorType
        : 'Lambda.Unknown';
    throw new TaskError(errorType, answer.payload);
  }
  return result;
}

/** The invoke itself failed (not the function): `Lambda.<Exception>`, as Step Functions names it. */
function invokeFailure(error: unknown): TaskError {
  const failure = error instanceof Error ? error : new Error(String(error));
  const name = /Exception$/.test(failure.name) ? failure.name : 'ServiceException';
  return new TaskError(name.startsWith('Lambda.') ? name : `Lambda.${name}`, failure.message);
}

type DynamoDbAction = (client: DynamoDBClient, parameters: Json) => Promise<unknown>;

/**
 * The DynamoDB actions Step Functions optimizes, each command typing its own input; a Map, so no
 * inherited name is an action.
 */
const DYNAMODB_ACTIONS = new Map<string, DynamoDbAction>([
  ['getItem', (client, input) => client.send(new GetItemCommand(dynamoInput(input)))],
  ['putItem', (client, input) => client.send(new PutItemCommand(dynamoInput(input)))],
  ['updateItem', (client, input) => client.send(new UpdateItemCommand(dynamoInput(input)))],
  ['deleteItem', (client, input) => client.send(new DeleteItemCommand(dynamoInput(input)))],
]);

/** arn:aws:states:::dynamodb:<action> through the AWS endpoint, with the machine's keys. */
async function callDynamoDb(
  integration: IntegrationState,
  action: string,
  parameters: Json,
): Promise<Json> {
  const client = (integration.clients.dynamo ??= new DynamoDBClient(integration.config));
  const call = DYNAMODB_ACTIONS.get(action);
  if (!call) throw unsupported('dynamodb', action);
  try {
    return withHttpMetadata(await call(client, parameters));
  } catch (error) {
    throw serviceFailure('DynamoDB', 'AmazonDynamoDBv2', error);
  }
}

/** arn:aws:states:::sns:publish through the AWS endpoint, with the machine's keys. */
async function callSns(
  integration: IntegrationState,
  action: string,
  parameters: Json,
): Promise<Json> {
  if (action !== 'publish') throw unsupported('sns', action);
  const client = (integration.clients.sns ??= new SNSClient(integration.config));
  const command = publishCommandOf(parameters);
  try {
    return withHttpMetadata(await client.send(command));
  } catch (error) {
    throw serviceFailure('SNS', 'AmazonSNS', error);
  }
}

/** The task's parameters as the SDK takes them: a Message that is not a string is sent as JSON. */
function publishCommandOf(parameters: Json): PublishCommand {
  const input: JsonObject = isObject(parameters) ? parameters : {};
  const { Message: message, MessageAttributes: attributes, ...rest } = input;
  const messageAttributes = isObject(attributes)
    ? Object.fromEntries(
        Object.entries(attributes).map(([name, attribute]) => [
          name,
          messageAttributeOf(attribute),
        ]),
      )
    : undefined;
  return new PublishCommand({
    ...(rest as unknown as PublishCommandInput),
    Message: typeof message === 'string' ? message : JSON.stringify(message ?? null),
    ...(messageAttributes ? { MessageAttributes: messageAttributes } : {}),
  });
}

/** A message attribute as the SDK takes it: String by default, BinaryValue as bytes. */
function messageAttributeOf(attribute: Json): MessageAttributeValue {
  const value = isObject(attribute) ? attribute : {};
  return {
    DataType: typeof value.DataType === 'string' ? value.DataType : 'String',
    ...(typeof value.StringValue === 'string' ? { StringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { BinaryValue: bytes(value.BinaryValue) } : {}),
  };
}
