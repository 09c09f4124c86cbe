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
import type {
  AttributeValue,
  DeleteItemCommandInput,
  GetItemCommandInput,
  PutItemCommandInput,
  UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import type { MessageAttributeValue, PublishCommandInput } from '@aws-sdk/client-sns';
import { functionArnOf } from '../../stack/function-arn';
import { LOCAL_ACCOUNT_ID } from '../../stack/topology';
import type { Json } from '../../stack/topology';
import { sdkMetadata, TaskError } from './workflow-runner';
import type { TaskIntegrations } from './workflow-runner';
import { isObject } from '../../json';
import type { JsonObject } from '../../json';

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

export function createTaskIntegrations(
  targets: LocalTaskTargets,
): TaskIntegrations & { destroy(): void } {
  const { region, credentials } = targets;
  const accountId = targets.accountId ?? LOCAL_ACCOUNT_ID;
  const config = { endpoint: targets.awsEndpoint, region, credentials };
  let dynamo: DynamoDBClient | undefined;
  let sns: SNSClient | undefined;

  const functionArn = (nameOrArn: string): string => functionArnOf(nameOrArn, region, accountId);

  const unsupported = (service: string, action: string): TaskError =>
    new TaskError(
      'States.Runtime',
      `The local cloud does not integrate arn:aws:states:::${service}:${action}`,
    );

  return {
    async lambda(target, payload) {
      let answer: { payload: string; functionError?: string };
      try {
        answer = await targets.invokeFunction(functionArn(target), payload);
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        const name = /Exception$/.test(failure.name) ? failure.name : 'ServiceException';
        throw new TaskError(name.startsWith('Lambda.') ? name : `Lambda.${name}`, failure.message);
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
    },

    async dynamodb(action, parameters) {
      dynamo ??= new DynamoDBClient(config);
      const client = dynamo;
      const send = async (call: () => Promise<unknown>): Promise<Json> => {
        try {
          return withHttpMetadata(await call());
        } catch (error) {
          throw serviceFailure('DynamoDB', 'AmazonDynamoDBv2', error);
        }
      };
      switch (action) {
        case 'getItem':
          return send(() =>
            client.send(new GetItemCommand(dynamoInput<GetItemCommandInput>(parameters))),
          );
        case 'putItem':
          return send(() =>
            client.send(new PutItemCommand(dynamoInput<PutItemCommandInput>(parameters))),
          );
        case 'updateItem':
          return send(() =>
            client.send(new UpdateItemCommand(dynamoInput<UpdateItemCommandInput>(parameters))),
          );
        case 'deleteItem':
          return send(() =>
            client.send(new DeleteItemCommand(dynamoInput<DeleteItemCommandInput>(parameters))),
          );
        default:
          throw unsupported('dynamodb', action);
      }
    },

    async sns(action, parameters) {
      if (action !== 'publish') throw unsupported('sns', action);
      sns ??= new SNSClient(config);
      const input: JsonObject = isObject(parameters) ? parameters : {};
      const { Message: message, MessageAttributes: attributes, ...rest } = input;
      const messageAttributes = isObject(attributes)
        ? Object.fromEntries(
            Object.entries(attributes).map(([name, attribute]): [string, MessageAttributeValue] => {
              const value = isObject(attribute) ? attribute : {};
              return [
                name,
                {
                  DataType: typeof value.DataType === 'string' ? value.DataType : 'String',
                  ...(typeof value.StringValue === 'string'
                    ? { StringValue: value.StringValue }
                    : {}),
                  ...(value.BinaryValue !== undefined
                    ? { BinaryValue: bytes(value.BinaryValue) }
                    : {}),
                },
              ];
            }),
          )
        : undefined;
      const command = new PublishCommand({
        ...(rest as unknown as PublishCommandInput),
        Message: typeof message === 'string' ? message : JSON.stringify(message ?? null),
        ...(messageAttributes ? { MessageAttributes: messageAttributes } : {}),
      });
      try {
        return withHttpMetadata(await sns.send(command));
      } catch (error) {
        throw serviceFailure('SNS', 'AmazonSNS', error);
      }
    },

    destroy() {
      dynamo?.destroy();
      sns?.destroy();
    },
  };
}
