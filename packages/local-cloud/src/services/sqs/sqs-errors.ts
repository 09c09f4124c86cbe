import { escapeXml } from '../../xml-escape';
import { AwsError } from '../aws-error';

/** The XML namespace of SQS's Query protocol answers. */
export const SQS_XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';

/**
 * SQS errors, shaped for either protocol. The JSON one has a query-compatibility header: the SDK
 * reads the error type from `__type` and, being query compatible, the legacy code from
 * `x-amzn-query-error` (e.g. `AWS.SimpleQueueService.NonExistentQueue;Sender`). The Query one
 * answers AWS's `<ErrorResponse>` document with that legacy code, or the same as JSON when the
 * client accepts JSON.
 */
export class SqsError extends AwsError {
  constructor(
    /** The JSON protocol's error type (the SDK's exception name when modelled), its code. */
    readonly type: string,
    /** The legacy query protocol code, also used in batch result entries. */
    readonly queryCode: string,
    message: string,
    status = 400,
    senderFault = true,
  ) {
    super(type, message, status, senderFault);
  }

  toResponse(): {
    status: number;
    headers: Record<string, string>;
    body: string;
  } {
    return {
      status: this.status,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-query-error': `${this.queryCode};${this.senderFault ? 'Sender' : 'Receiver'}`,
      },
      body: JSON.stringify({ __type: `com.amazonaws.sqs#${this.type}`, message: this.message }),
    };
  }

  /** The Query protocol's answer: XML, or its JSON rendering for a client that accepts JSON. */
  toQueryResponse(
    requestId: string,
    format: 'xml' | 'json',
  ): { status: number; headers: Record<string, string>; body: string } {
    const type = this.senderFault ? 'Sender' : 'Receiver';
    const headers = { 'x-amzn-requestid': requestId };
    if (format === 'json')
      return {
        status: this.status,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          Error: { Type: type, Code: this.queryCode, Message: this.message, Detail: null },
          RequestId: requestId,
        }),
      };
    return {
      status: this.status,
      headers: { ...headers, 'content-type': 'text/xml' },
      body:
        `<?xml version="1.0"?><ErrorResponse xmlns="${SQS_XMLNS}"><Error><Type>${type}</Type>` +
        `<Code>${escapeXml(this.queryCode)}</Code><Message>${escapeXml(this.message)}</Message>` +
        `<Detail/></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`,
    };
  }
}

export const queueDoesNotExist = (): SqsError =>
  new SqsError(
    'QueueDoesNotExist',
    'AWS.SimpleQueueService.NonExistentQueue',
    'The specified queue does not exist.',
  );

export const invalidParameterValue = (message: string): SqsError =>
  new SqsError('InvalidParameterValueException', 'InvalidParameterValue', message);

export const missingParameter = (name: string): SqsError =>
  new SqsError(
    'MissingRequiredParameterException',
    'MissingParameter',
    `The request must contain the parameter ${name}.`,
  );

export const receiptHandleIsInvalid = (handle: string): SqsError =>
  new SqsError(
    'ReceiptHandleIsInvalid',
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
    404,
  );

export const messageNotInflight = (): SqsError =>
  new SqsError(
    'MessageNotInflight',
    'AWS.SimpleQueueService.MessageNotInflight',
    'The message referred to is not in flight.',
  );

export const invalidMessageContents = (message: string): SqsError =>
  new SqsError('InvalidMessageContents', 'InvalidMessageContents', message);

export const invalidAttributeName = (name: string): SqsError =>
  new SqsError('InvalidAttributeName', 'InvalidAttributeName', `Unknown Attribute ${name}.`);

export const invalidAttributeValue = (message: string): SqsError =>
  new SqsError('InvalidAttributeValue', 'InvalidAttributeValue', message);

export const queueNameExists = (name: string): SqsError =>
  new SqsError(
    'QueueNameExists',
    'QueueAlreadyExists',
    `A queue already exists with the same name and a different value for attribute(s) of ${name}.`,
  );

export const unsupportedOperation = (operation: string): SqsError =>
  new SqsError(
    'UnsupportedOperation',
    'AWS.SimpleQueueService.UnsupportedOperation',
    `The local SQS does not support the operation ${operation}.`,
  );

/** A Query request whose Action names no SQS operation (or that has none). */
export const invalidAction = (action: string): SqsError =>
  action === ''
    ? new SqsError(
        'MissingAction',
        'MissingAction',
        'The request must contain the parameter Action.',
      )
    : new SqsError(
        'InvalidAction',
        'InvalidAction',
        `The action ${action} is not valid for this endpoint.`,
      );

export const emptyBatchRequest = (): SqsError =>
  new SqsError(
    'EmptyBatchRequest',
    'AWS.SimpleQueueService.EmptyBatchRequest',
    'There should be at least one entry in the request.',
  );

export const tooManyEntriesInBatchRequest = (count: number): SqsError =>
  new SqsError(
    'TooManyEntriesInBatchRequest',
    'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    `Maximum number of entries per request are 10. You have sent ${count}.`,
  );

export const batchEntryIdsNotDistinct = (id: string): SqsError =>
  new SqsError(
    'BatchEntryIdsNotDistinct',
    'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    `Id ${id} repeated.`,
  );

export const invalidBatchEntryId = (): SqsError =>
  new SqsError(
    'InvalidBatchEntryId',
    'AWS.SimpleQueueService.InvalidBatchEntryId',
    'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
  );

export const batchRequestTooLong = (limit: number, sent: number): SqsError =>
  new SqsError(
    'BatchRequestTooLong',
    'AWS.SimpleQueueService.BatchRequestTooLong',
    `Batch requests cannot be longer than ${limit} bytes. You have sent ${sent} bytes.`,
  );

/** After stop: the change would be lost, so it is refused (the SDK retries a 503). */
export const serviceStopping = (): SqsError =>
  new SqsError(
    'ServiceUnavailable',
    'ServiceUnavailable',
    'The local cloud is stopping.',
    503,
    false,
  );
