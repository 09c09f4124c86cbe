/**
 * DynamoDB's JSON operations as IAM sees them (src/iam/actions/dynamodb-actions.ts),
 * through authorizationsFor: the requests are the real ones the SDK's DynamoDBClient sends to a
 * recording endpoint (see ../support/sdk-requests.ts).
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  GetItemCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TagResourceCommand as TagTableCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { only, recordSdkRequests } from '../support/sdk-requests';

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/items';

const sdk = recordSdkRequests();
const { authorizationsOf } = sdk;
let dynamodb: DynamoDBClient;

beforeAll(() => {
  dynamodb = sdk.client((config) => new DynamoDBClient(config));
});

describe('DynamoDB', () => {
  const Key = { id: { S: '1' } };

  it('authorizes GetItem on the table, carrying the projected attributes and ReturnConsumedCapacity', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new GetItemCommand({
          TableName: 'items',
          Key,
          ProjectionExpression: 'id, #n, details.size, tags[0]',
          ExpressionAttributeNames: { '#n': 'name' },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );

    expect(authorizations).toEqual(
      only('dynamodb:GetItem', TABLE, {
        'dynamodb:Attributes': ['id', 'name', 'details', 'tags'],
        'dynamodb:ReturnConsumedCapacity': 'TOTAL',
      }),
    );
  });

  it('uses a table ARN given as TableName as the resource', async () => {
    const arn = 'arn:aws:dynamodb:eu-west-1:999999999999:table/elsewhere';

    const authorizations = await authorizationsOf(() =>
      dynamodb.send(new GetItemCommand({ TableName: arn, Key })),
    );

    expect(authorizations).toEqual(only('dynamodb:GetItem', arn));
  });

  it('authorizes a Query of an index on the index’s ARN, carrying Select', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new QueryCommand({
          TableName: 'items',
          IndexName: 'by-owner',
          KeyConditionExpression: 'ownerId = :o',
          ExpressionAttributeValues: { ':o': { S: 'u1' } },
          Select: 'COUNT',
        }),
      ),
    );

    expect(authorizations).toEqual(
      only('dynamodb:Query', `${TABLE}/index/by-owner`, { 'dynamodb:Select': 'COUNT' }),
    );
  });

  it('authorizes a Scan of the table on the table', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(new ScanCommand({ TableName: 'items' })),
    );

    expect(authorizations).toEqual(only('dynamodb:Scan', TABLE));
  });

  it('authorizes PutItem, carrying the item’s attributes and ReturnValues', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new PutItemCommand({
          TableName: 'items',
          Item: { id: { S: '1' }, title: { S: 't' } },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );

    expect(authorizations).toEqual(
      only('dynamodb:PutItem', TABLE, {
        'dynamodb:Attributes': ['id', 'title'],
        'dynamodb:ReturnValues': 'ALL_OLD',
      }),
    );
  });

  it('authorizes UpdateItem, carrying the key and the top-level attributes of the update expression', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new UpdateItemCommand({
          TableName: 'items',
          Key,
          UpdateExpression:
            'SET #c = if_not_exists(#c, :zero) + :one, details.size = :s REMOVE draft ADD views :one',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':s': { N: '3' } },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );

    expect(authorizations).toEqual(
      only('dynamodb:UpdateItem', TABLE, {
        'dynamodb:Attributes': ['id', 'count', 'details', 'draft', 'views'],
        'dynamodb:ReturnValues': 'UPDATED_NEW',
      }),
    );
  });

  it('authorizes DeleteItem on the table', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(new DeleteItemCommand({ TableName: 'items', Key })),
    );

    expect(authorizations).toEqual(only('dynamodb:DeleteItem', TABLE));
  });

  it('authorizes ListTables on every resource', async () => {
    const authorizations = await authorizationsOf(() => dynamodb.send(new ListTablesCommand({})));

    expect(authorizations).toEqual(only('dynamodb:ListTables', '*'));
  });

  it.each<[string, () => Promise<unknown>]>([
    ['DescribeTable', () => dynamodb.send(new DescribeTableCommand({ TableName: 'items' }))],
    [
      'CreateTable',
      () =>
        dynamodb.send(
          new CreateTableCommand({
            TableName: 'items',
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        ),
    ],
    ['DeleteTable', () => dynamodb.send(new DeleteTableCommand({ TableName: 'items' }))],
    [
      'UpdateTable',
      () =>
        dynamodb.send(
          new UpdateTableCommand({ TableName: 'items', BillingMode: 'PAY_PER_REQUEST' }),
        ),
    ],
    [
      'DescribeTimeToLive',
      () => dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'items' })),
    ],
    [
      'UpdateTimeToLive',
      () =>
        dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: 'items',
            TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' },
          }),
        ),
    ],
    [
      'TagResource',
      () =>
        dynamodb.send(
          new TagTableCommand({ ResourceArn: TABLE, Tags: [{ Key: 'a', Value: 'b' }] }),
        ),
    ],
    [
      'ListTagsOfResource',
      () => dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: TABLE })),
    ],
  ])('authorizes %s with the dynamodb action of its name on the table', async (operation, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`dynamodb:${operation}`, TABLE));
  });

  it('authorizes BatchGetItem on every table it reads', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new BatchGetItemCommand({
          RequestItems: {
            items: { Keys: [Key], ProjectionExpression: 'id' },
            owners: { Keys: [Key] },
          },
        }),
      ),
    );

    expect(authorizations).toEqual([
      {
        action: 'dynamodb:BatchGetItem',
        resource: TABLE,
        conditionKeys: { 'dynamodb:Attributes': ['id'] },
      },
      {
        action: 'dynamodb:BatchGetItem',
        resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/owners',
        conditionKeys: {},
      },
    ]);
  });

  it('authorizes BatchWriteItem on every table it writes', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            items: [{ PutRequest: { Item: Key } }],
            archive: [{ DeleteRequest: { Key } }],
          },
          ReturnConsumedCapacity: 'INDEXES',
        }),
      ),
    );

    const keys = { 'dynamodb:ReturnConsumedCapacity': 'INDEXES' };
    expect(authorizations).toEqual([
      { action: 'dynamodb:BatchWriteItem', resource: TABLE, conditionKeys: keys },
      {
        action: 'dynamodb:BatchWriteItem',
        resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/archive',
        conditionKeys: keys,
      },
    ]);
  });

  it('authorizes TransactGetItems with dynamodb:GetItem on each item’s table, enclosed by the transaction', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new TransactGetItemsCommand({
          TransactItems: [
            { Get: { TableName: 'items', Key } },
            { Get: { TableName: 'owners', Key } },
          ],
        }),
      ),
    );

    const enclosed = { 'dynamodb:EnclosingOperation': 'TransactGetItems' };
    expect(authorizations).toEqual([
      { action: 'dynamodb:GetItem', resource: TABLE, conditionKeys: enclosed },
      {
        action: 'dynamodb:GetItem',
        resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/owners',
        conditionKeys: enclosed,
      },
    ]);
  });

  it('authorizes TransactWriteItems with each item’s own action', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'items', Item: Key } },
            {
              Update: {
                TableName: 'items',
                Key,
                UpdateExpression: 'SET n = :n',
                ExpressionAttributeValues: { ':n': { N: '1' } },
              },
            },
            { Delete: { TableName: 'archive', Key } },
            {
              ConditionCheck: {
                TableName: 'owners',
                Key,
                ConditionExpression: 'attribute_exists(id)',
              },
            },
          ],
        }),
      ),
    );

    const enclosed = { 'dynamodb:EnclosingOperation': 'TransactWriteItems' };
    const table = (name: string): string => `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`;
    expect(authorizations).toEqual([
      {
        action: 'dynamodb:PutItem',
        resource: TABLE,
        conditionKeys: { 'dynamodb:Attributes': ['id'], ...enclosed },
      },
      {
        action: 'dynamodb:UpdateItem',
        resource: TABLE,
        conditionKeys: { 'dynamodb:Attributes': ['id', 'n'], ...enclosed },
      },
      { action: 'dynamodb:DeleteItem', resource: table('archive'), conditionKeys: enclosed },
      { action: 'dynamodb:ConditionCheckItem', resource: table('owners'), conditionKeys: enclosed },
    ]);
  });

  it('authorizes a PartiQL SELECT from an index with dynamodb:PartiQLSelect on the index', async () => {
    const authorizations = await authorizationsOf(() =>
      dynamodb.send(
        new ExecuteStatementCommand({
          Statement: 'SELECT * FROM "items"."by-owner" WHERE ownerId = ?',
          Parameters: [{ S: 'u' }],
        }),
      ),
    );

    expect(authorizations).toEqual(only('dynamodb:PartiQLSelect', `${TABLE}/index/by-owner`));
  });

  it('authorizes a body that is not JSON with the operation on every resource', async () => {
    const authorizations = await authorizationsOf(async () => {
      const response = await fetch(sdk.endpoint, {
        method: 'POST',
        headers: {
          'x-amz-target': 'DynamoDB_20120810.GetItem',
          'content-type': 'application/x-amz-json-1.0',
          authorization:
            `AWS4-HMAC-SHA256 Credential=${sdk.config.credentials.accessKeyId}/20261126/us-east-1/dynamodb/aws4_request, ` +
            'SignedHeaders=host;x-amz-date, Signature=0000',
        },
        body: '{"TableName": "items",',
      });
      await response.arrayBuffer();
    });

    expect(authorizations).toEqual(only('dynamodb:GetItem', '*'));
  });
});
