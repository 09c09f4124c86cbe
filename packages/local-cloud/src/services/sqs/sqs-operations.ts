/**
 * SQS's operations over QueueOperations, in the input and output shapes of the AWS JSON 1.0
 * protocol (the API model's member names). Both wire protocols run them: the JSON one as is
 * (sqs-protocol.ts), the Query one after decoding its form into these shapes and before
 * encoding the output as XML (sqs-query-protocol.ts).
 */
import { isObject } from '../../json';
import type { Caller } from '../edge/types';
import { page } from '../pagination';
import { md5OfMessageAttributes } from './message-md5';
import {
  batchEntryIdsNotDistinct,
  batchRequestTooLong,
  emptyBatchRequest,
  invalidBatchEntryId,
  invalidParameterValue,
  missingParameter,
  queueDoesNotExist,
  SqsError,
  tooManyEntriesInBatchRequest,
  unsupportedOperation,
} from './sqs-errors';
import type { MessageAttributeValue, QueueOperations, ReceivedMessage } from './types';

export type Input = Record<string, unknown>;
export type Output = Record<string, unknown>;
type Operation = (
  service: QueueOperations,
  input: Input,
  caller: Caller,
) => Output | Promise<Output>;

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH_ENTRIES = 10;

// ----- reading the input ---------------------------------------------------------------------------

function requiredString(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw missingParameter(name);
  return value;
}

function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optionalInteger(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isInteger(parsed))
    throw invalidParameterValue(`Value ${JSON.stringify(value)} for parameter ${name} is invalid.`);
  return parsed;
}

function stringList(input: Input, name: string): string[] {
  const value = input[name];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function stringMap(input: Input, name: string): Record<string, string> {
  const value = input[name];
  if (!isObject(value)) return {};
  return Object.fromEntries(
    Object.entries<unknown>(value).map(([key, item]) => [key, String(item)]),
  );
}

function messageAttributes(value: unknown): Record<string, MessageAttributeValue> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, raw] of Object.entries(value)) {
    const attribute = isObject(raw) ? raw : {};
    const entry: MessageAttributeValue = {
      DataType: typeof attribute.DataType === 'string' ? attribute.DataType : '',
    };
    if (typeof attribute.StringValue === 'string') entry.StringValue = attribute.StringValue;
    if (typeof attribute.BinaryValue === 'string') entry.BinaryValue = attribute.BinaryValue;
    out[name] = entry;
  }
  return out;
}

function systemAttributes(value: unknown): Record<string, string> | undefined {
  const attributes = messageAttributes(value);
  if (!attributes) return undefined;
  for (const name of Object.keys(attributes))
    if (name !== 'AWSTraceHeader')
      throw invalidParameterValue(
        `Message system attribute name '${name}' is invalid. Valid names are AWSTraceHeader.`,
      );
  const trace = attributes.AWSTraceHeader?.StringValue;
  return trace ? { AWSTraceHeader: trace } : undefined;
}

function messageSize(entry: Input): number {
  let size = typeof entry.MessageBody === 'string' ? Buffer.byteLength(entry.MessageBody) : 0;
  for (const [name, value] of Object.entries(messageAttributes(entry.MessageAttributes) ?? {}))
    size +=
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType) +
      Buffer.byteLength(value.StringValue ?? '') +
      Buffer.from(value.BinaryValue ?? '', 'base64').length;
  return size;
}

/** The entries of a batch request, after the checks SQS makes on the batch as a whole. */
function batchEntries(input: Input): Input[] {
  const raw = input.Entries;
  const entries = Array.isArray(raw) ? raw.filter(isObject) : [];
  if (entries.length === 0) throw emptyBatchRequest();
  if (entries.length > MAX_BATCH_ENTRIES) throw tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = typeof entry.Id === 'string' ? entry.Id : '';
    if (!BATCH_ENTRY_ID.test(id)) throw invalidBatchEntryId();
    if (seen.has(id)) throw batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
  return entries;
}

/** Runs one entry of a batch: a success entry, or the failure entry SQS reports for it. */
function batchEntry(
  entry: Input,
  run: () => Output,
): { ok: true; value: Output } | { ok: false; value: Output } {
  try {
    return { ok: true, value: { Id: entry.Id, ...run() } };
  } catch (error) {
    if (!(error instanceof SqsError)) throw error;
    return {
      ok: false,
      value: {
        Id: entry.Id,
        SenderFault: error.senderFault,
        Code: error.queryCode,
        Message: error.message,
      },
    };
  }
}

function batchResult(results: ReturnType<typeof batchEntry>[]): Output {
  return {
    Successful: results.filter((result) => result.ok).map((result) => result.value),
    Failed: results.filter((result) => !result.ok).map((result) => result.value),
  };
}

// ----- writing the output --------------------------------------------------------------------------

/** `All` / `.*` for every attribute, `prefix.*` for a family, otherwise exact names. */
function selectMessageAttributes(
  attributes: Record<string, MessageAttributeValue>,
  names: string[],
): Record<string, MessageAttributeValue> {
  const selected: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = names.some(
      (pattern) =>
        pattern === 'All' ||
        pattern === '.*' ||
        pattern === name ||
        (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))),
    );
    if (wanted) selected[name] = value;
  }
  return selected;
}

function renderMessage(
  message: ReceivedMessage,
  systemNames: string[],
  attributeNames: string[],
): Output {
  const out: Output = {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
  };
  const all = systemNames.includes('All');
  const attributes = Object.fromEntries(
    Object.entries(message.attributes).filter(([name]) => all || systemNames.includes(name)),
  );
  if (Object.keys(attributes).length > 0) out.Attributes = attributes;
  const selected = selectMessageAttributes(message.messageAttributes, attributeNames);
  if (Object.keys(selected).length > 0) {
    out.MessageAttributes = selected;
    // Over the attributes returned, so that SDKs checking the digest find it matches.
    out.MD5OfMessageAttributes = md5OfMessageAttributes(selected);
  }
  return out;
}

// ----- operations ----------------------------------------------------------------------------------

function sendEntry(
  service: QueueOperations,
  queueUrl: string,
  entry: Input,
  caller: Caller,
): Output {
  const result = service.send(queueUrl, {
    body: typeof entry.MessageBody === 'string' ? entry.MessageBody : '',
    messageAttributes: messageAttributes(entry.MessageAttributes),
    delaySeconds: optionalInteger(entry, 'DelaySeconds'),
    messageGroupId: optionalString(entry, 'MessageGroupId'),
    messageDeduplicationId: optionalString(entry, 'MessageDeduplicationId'),
    senderId: caller.accessKeyId || service.accountId,
    systemAttributes: systemAttributes(entry.MessageSystemAttributes),
  });
  const system = messageAttributes(entry.MessageSystemAttributes);
  return {
    MessageId: result.messageId,
    MD5OfMessageBody: result.md5OfBody,
    ...(result.md5OfMessageAttributes
      ? { MD5OfMessageAttributes: result.md5OfMessageAttributes }
      : {}),
    ...(system ? { MD5OfMessageSystemAttributes: md5OfMessageAttributes(system) } : {}),
    ...(result.sequenceNumber ? { SequenceNumber: result.sequenceNumber } : {}),
  };
}

function queueUrlOf(input: Input): string {
  return requiredString(input, 'QueueUrl');
}

/** DeleteMessage, or one entry of DeleteMessageBatch (whose queue is the batch's `url`). */
function deleteMessage(service: QueueOperations, input: Input, url?: string): Output {
  service.deleteMessage(url ?? queueUrlOf(input), requiredString(input, 'ReceiptHandle'));
  return {};
}

/** ChangeMessageVisibility, or one entry of its batch (whose queue is the batch's `url`). */
function changeVisibility(service: QueueOperations, input: Input, url?: string): Output {
  const timeout = optionalInteger(input, 'VisibilityTimeout');
  if (timeout === undefined) throw missingParameter('VisibilityTimeout');
  service.changeVisibility(
    url ?? queueUrlOf(input),
    requiredString(input, 'ReceiptHandle'),
    timeout,
  );
  return {};
}

/** A batch of changes to received messages: the queue checked once, then each entry on its own. */
function eachEntry(
  service: QueueOperations,
  input: Input,
  run: (url: string, entry: Input) => Output,
): Output {
  const url = queueUrlOf(input);
  const entries = batchEntries(input);
  service.counts(url); // QueueDoesNotExist for the whole batch
  return batchResult(entries.map((entry) => batchEntry(entry, () => run(url, entry))));
}

const operations: Record<string, Operation> = {
  SendMessage: (service, input, caller) => sendEntry(service, queueUrlOf(input), input, caller),

  SendMessageBatch: (service, input, caller) => {
    const url = queueUrlOf(input);
    const queue = service.queue(url);
    const entries = batchEntries(input);
    const limit = queue?.maxMessageSize ?? 262144;
    const size = entries.reduce((total, entry) => total + messageSize(entry), 0);
    if (size > limit) throw batchRequestTooLong(limit, size);
    service.counts(url); // QueueDoesNotExist for the whole batch
    return batchResult(
      entries.map((entry) => batchEntry(entry, () => sendEntry(service, url, entry, caller))),
    );
  },

  ReceiveMessage: async (service, input) => {
    const messages = await service.receive(queueUrlOf(input), {
      maxMessages: optionalInteger(input, 'MaxNumberOfMessages') ?? 1,
      visibilityTimeoutSeconds: optionalInteger(input, 'VisibilityTimeout'),
      waitTimeSeconds: optionalInteger(input, 'WaitTimeSeconds'),
    });
    if (messages.length === 0) return {};
    const systemNames = [
      ...stringList(input, 'AttributeNames'),
      ...stringList(input, 'MessageSystemAttributeNames'),
    ];
    const attributeNames = stringList(input, 'MessageAttributeNames');
    return { Messages: messages.map((m) => renderMessage(m, systemNames, attributeNames)) };
  },

  DeleteMessage: (service, input) => deleteMessage(service, input),

  DeleteMessageBatch: (service, input) =>
    eachEntry(service, input, (url, entry) => deleteMessage(service, entry, url)),

  ChangeMessageVisibility: (service, input) => changeVisibility(service, input),

  ChangeMessageVisibilityBatch: (service, input) =>
    eachEntry(service, input, (url, entry) => changeVisibility(service, entry, url)),

  GetQueueUrl: (service, input) => {
    const name = requiredString(input, 'QueueName');
    const queue = service.queue(name);
    if (!queue) throw queueDoesNotExist();
    return { QueueUrl: queue.url };
  },

  GetQueueAttributes: (service, input) => {
    const attributes = service.getAttributes(
      queueUrlOf(input),
      stringList(input, 'AttributeNames'),
    );
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  },

  SetQueueAttributes: (service, input) => {
    service.setAttributes(queueUrlOf(input), stringMap(input, 'Attributes'));
    return {};
  },

  ListQueues: (service, input) => {
    const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
    const max = optionalInteger(input, 'MaxResults');
    if (max !== undefined && (max < 1 || max > 1000))
      throw invalidParameterValue(
        `Value ${max} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`,
      );
    const urls = service.list(prefix).map((queue) => queue.url);
    const { items, next } = page(urls, optionalString(input, 'NextToken'), max ?? 1000);
    return {
      ...(items.length > 0 ? { QueueUrls: items } : {}),
      // Without MaxResults, SQS answers up to 1000 queues and no token.
      ...(max !== undefined && next !== undefined ? { NextToken: next } : {}),
    };
  },

  PurgeQueue: (service, input) => {
    service.purge(queueUrlOf(input));
    return {};
  },

  CreateQueue: (service, input) => ({
    QueueUrl: service.createQueue(
      requiredString(input, 'QueueName'),
      stringMap(input, 'Attributes'),
      // Lower-case in the SQS API model, unlike the Tags of TagQueue.
      stringMap(input, 'tags'),
    ).url,
  }),

  TagQueue: (service, input) => {
    const tags = stringMap(input, 'Tags');
    if (Object.keys(tags).length === 0) throw missingParameter('Tags');
    service.tagQueue(queueUrlOf(input), tags);
    return {};
  },

  UntagQueue: (service, input) => {
    const keys = stringList(input, 'TagKeys');
    if (keys.length === 0) throw missingParameter('TagKeys');
    service.untagQueue(queueUrlOf(input), keys);
    return {};
  },

  ListQueueTags: (service, input) => {
    const tags = service.listTags(queueUrlOf(input));
    return Object.keys(tags).length > 0 ? { Tags: tags } : {};
  },

  DeleteQueue: (service, input) => {
    service.deleteQueue(queueUrlOf(input));
    return {};
  },

  ListDeadLetterSourceQueues: (service, input) => ({
    // Lower-case in the SQS API model, unlike every other list.
    queueUrls: service.deadLetterSourceQueues(queueUrlOf(input)).map((queue) => queue.url),
  }),
};

/** Runs `operation` (SendMessage…) with its JSON-shaped input; throws the SqsError AWS answers. */
export async function runSqsOperation(
  service: QueueOperations,
  operation: string,
  input: Input,
  caller: Caller,
): Promise<Output> {
  const run = operations[operation];
  if (!run) throw unsupportedOperation(operation);
  return run(service, input, caller);
}
