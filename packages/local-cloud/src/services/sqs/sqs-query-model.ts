/**
 * SQS's Query protocol model (API version 2012-11-05, as botocore and the AWS SDK for JavaScript v2
 * shipped it before SQS moved to JSON): for each operation, the members of its input and output
 * that are not plain scalars, with the names they take on the wire. Every list and map is
 * flattened: a list member is `<Name>.N` (an element `<Name>` per item in XML), a map entry is
 * `<Name>.N.<Key>` / `<Name>.N.<Value>` (an element `<Name>` holding `<Key>` and `<Value>`). The
 * member names themselves are the JSON protocol's, so both protocols share one set of operations.
 */

/** A flattened list: its items are scalars, or structures with the members given. */
export interface QueryList {
  list: string;
  member?: QueryStructure;
}

/** A flattened map: its values are scalars, or structures with the members given. */
export interface QueryMap {
  map: string;
  key: string;
  value: string;
  valueMembers?: QueryStructure;
}

/** The members of a structure that are lists or maps; any other member is a scalar. */
export type QueryStructure = Record<string, QueryList | QueryMap>;

export interface QueryOperation {
  input: QueryStructure;
  /** Absent for an operation that answers with no `<Operation>Result` element. */
  output?: QueryStructure;
}

const messageAttributeValue: QueryStructure = {
  StringListValues: { list: 'StringListValue' },
  BinaryListValues: { list: 'BinaryListValue' },
};

const messageAttributes = (name: string): QueryMap => ({
  map: name,
  key: 'Name',
  value: 'Value',
  valueMembers: messageAttributeValue,
});

const attributes: QueryMap = { map: 'Attribute', key: 'Name', value: 'Value' };
const tags: QueryMap = { map: 'Tag', key: 'Key', value: 'Value' };

const sendEntry: QueryStructure = {
  MessageAttributes: messageAttributes('MessageAttribute'),
  MessageSystemAttributes: messageAttributes('MessageSystemAttribute'),
};

/** Entries in, Successful and Failed out: the three batch operations. */
const batch = (name: string, entry: QueryStructure = {}): QueryOperation => ({
  input: { Entries: { list: `${name}RequestEntry`, member: entry } },
  output: {
    Successful: { list: `${name}ResultEntry`, member: {} },
    Failed: { list: 'BatchResultErrorEntry', member: {} },
  },
});

const receivedMessage: QueryStructure = {
  Attributes: attributes,
  MessageAttributes: messageAttributes('MessageAttribute'),
};

export const SQS_QUERY_MODEL: Readonly<Record<string, QueryOperation>> = {
  AddPermission: {
    input: { AWSAccountIds: { list: 'AWSAccountId' }, Actions: { list: 'ActionName' } },
  },
  CancelMessageMoveTask: { input: {}, output: {} },
  ChangeMessageVisibility: { input: {} },
  ChangeMessageVisibilityBatch: batch('ChangeMessageVisibilityBatch'),
  CreateQueue: { input: { Attributes: attributes, tags }, output: {} },
  DeleteMessage: { input: {} },
  DeleteMessageBatch: batch('DeleteMessageBatch'),
  DeleteQueue: { input: {} },
  GetQueueAttributes: {
    input: { AttributeNames: { list: 'AttributeName' } },
    output: { Attributes: attributes },
  },
  GetQueueUrl: { input: {}, output: {} },
  ListDeadLetterSourceQueues: { input: {}, output: { queueUrls: { list: 'QueueUrl' } } },
  ListMessageMoveTasks: {
    input: {},
    output: { Results: { list: 'ListMessageMoveTasksResultEntry', member: {} } },
  },
  ListQueueTags: { input: {}, output: { Tags: tags } },
  ListQueues: { input: {}, output: { QueueUrls: { list: 'QueueUrl' } } },
  PurgeQueue: { input: {} },
  ReceiveMessage: {
    input: {
      AttributeNames: { list: 'AttributeName' },
      MessageSystemAttributeNames: { list: 'MessageSystemAttributeName' },
      MessageAttributeNames: { list: 'MessageAttributeName' },
    },
    output: { Messages: { list: 'Message', member: receivedMessage } },
  },
  RemovePermission: { input: {} },
  SendMessage: { input: sendEntry, output: {} },
  SendMessageBatch: batch('SendMessageBatch', sendEntry),
  SetQueueAttributes: { input: { Attributes: attributes } },
  StartMessageMoveTask: { input: {}, output: {} },
  TagQueue: { input: { Tags: tags } },
  UntagQueue: { input: { TagKeys: { list: 'TagKey' } } },
};
