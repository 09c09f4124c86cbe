import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { components } from './api-types';
import { InvalidRequestError, NotFoundError } from './errors';
import { decodePageToken, encodePageToken } from './page-token';
import { itemsTableLayout } from './storage-layout';

export type ItemInput = components['schemas']['ItemInput'];
export type ItemStatus = components['schemas']['Item']['status'];
export type ImageStatus = components['schemas']['ItemImage']['status'];

export interface ImageRecord {
  status: ImageStatus;
  /** Key of the original in the uploads bucket. */
  key: string;
  uploadId: string;
  contentType: string;
  /** Key of the thumbnail in the processed bucket, once ready. */
  thumbnailKey?: string;
  width?: number;
  height?: number;
  error?: string;
  processedAt?: string;
}

export interface ItemRecord extends ItemInput {
  id: string;
  /** Constant partition key of the newest-first index; items are few enough for one partition. */
  kind: 'item';
  status: ItemStatus;
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  image?: ImageRecord;
  publishFailure?: { error: string; cause: string };
}

export interface ItemPage {
  items: ItemRecord[];
  nextToken?: string;
}

const { partitionKey, index } = itemsTableLayout;
const PAGE_KEY = [partitionKey, index.partitionKey, index.sortKey] as const;
const EDITABLE_FIELDS = ['name', 'description', 'price', 'tags'] as const;

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException;
}

export class ItemsRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(input: ItemInput, id: string, now: string): Promise<ItemRecord> {
    const item: ItemRecord = {
      ...pickEditable(input),
      id,
      kind: 'item',
      status: 'draft',
      createdAt: now,
      updatedAt: now,
    };
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
    return item;
  }

  async find(id: string): Promise<ItemRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    return Item as ItemRecord | undefined;
  }

  async get(id: string): Promise<ItemRecord> {
    const item = await this.find(id);
    if (!item) throw new NotFoundError(`Item ${id} not found`);
    return item;
  }

  async list(limit: number, nextToken: string | undefined): Promise<ItemPage> {
    const { Items, LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: '#kind = :kind',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':kind': 'item' },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodePageToken(nextToken, PAGE_KEY, { [index.partitionKey]: 'item' }),
      }),
    );
    const page: ItemPage = { items: (Items ?? []) as ItemRecord[] };
    const token = encodePageToken(LastEvaluatedKey as Record<string, string> | undefined);
    return token ? { ...page, nextToken: token } : page;
  }

  /** Replaces the editable fields; fields absent from the input are removed. */
  async update(id: string, input: ItemInput, now: string): Promise<ItemRecord> {
    const editable = pickEditable(input);
    const set = EDITABLE_FIELDS.filter((field) => editable[field] !== undefined);
    const remove = EDITABLE_FIELDS.filter((field) => editable[field] === undefined);
    const names = Object.fromEntries(EDITABLE_FIELDS.map((field) => [`#${field}`, field]));
    const values = Object.fromEntries(set.map((field) => [`:${field}`, editable[field]]));
    const expression = [
      `SET ${[...set.map((field) => `#${field} = :${field}`), 'updatedAt = :now'].join(', ')}`,
      remove.length > 0 ? `REMOVE ${remove.map((field) => `#${field}`).join(', ')}` : '',
    ].join(' ');
    return this.conditionalUpdate(id, {
      UpdateExpression: expression.trim(),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...values, ':now': now },
    });
  }

  async delete(id: string): Promise<ItemRecord> {
    try {
      const { Attributes } = await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { id },
          ConditionExpression: 'attribute_exists(id)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes as ItemRecord;
    } catch (error) {
      if (isConditionFailure(error)) throw new NotFoundError(`Item ${id} not found`);
      throw error;
    }
  }

  /** Points the item at a new upload; a newer upload supersedes any earlier one. */
  async startImageUpload(id: string, image: ImageRecord, now: string): Promise<ItemRecord> {
    return this.conditionalUpdate(id, {
      UpdateExpression: 'SET image = :image, updatedAt = :now',
      ExpressionAttributeValues: { ':image': image, ':now': now },
    });
  }

  /**
   * Records the outcome of processing an upload, only while the item still waits for that very
   * upload: a stale or duplicate S3 event cannot overwrite a newer image or a finished result.
   * Returns false when the condition did not hold.
   */
  async completeImage(id: string, image: ImageRecord, now: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: 'SET image = :image, updatedAt = :now',
          ConditionExpression: 'image.#key = :key AND image.#status = :pending',
          ExpressionAttributeNames: { '#key': 'key', '#status': 'status' },
          ExpressionAttributeValues: {
            ':image': image,
            ':now': now,
            ':key': image.key,
            ':pending': 'pending',
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async conditionalUpdate(
    id: string,
    update: Pick<
      ConstructorParameters<typeof UpdateCommand>[0],
      'UpdateExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<ItemRecord> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          ConditionExpression: 'attribute_exists(id)',
          ReturnValues: 'ALL_NEW',
          ...update,
        }),
      );
      return Attributes as ItemRecord;
    } catch (error) {
      if (isConditionFailure(error)) throw new NotFoundError(`Item ${id} not found`);
      throw error;
    }
  }
}

/**
 * DynamoDB cannot store a number of magnitude below 1E-130: the write fails with a
 * ValidationException (a 500). The API's schema allows any price from 0, so such a price is
 * refused here, as the bad input it is.
 */
const SMALLEST_STORABLE_NUMBER = 1e-130;

function pickEditable(input: ItemInput): ItemInput {
  const { price } = input;
  if (price !== undefined && price !== 0 && Math.abs(price) < SMALLEST_STORABLE_NUMBER) {
    throw new InvalidRequestError('Invalid request body', [
      { path: 'body.price', message: 'must be 0 or at least 1e-130' },
    ]);
  }
  return {
    name: input.name,
    description: input.description,
    price: input.price,
    tags: input.tags,
  };
}
