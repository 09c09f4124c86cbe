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
import { InvalidRequestError, NotFoundError, StaleVersionError } from './errors';
import { readItemRecord } from './item-record';
import { logger } from './logger';
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
  /**
   * Incremented by every write of the item (by the workflow's too), so it names one state of it:
   * the entity tag, and the id of the event a change publishes. Absent on items written before
   * it existed, which count as version 0.
   */
  version?: number;
  publishedAt?: string;
  image?: ImageRecord;
  publishFailure?: { error: string; cause: string };
}

/**
 * What a write requires of the item's version: `any` version (it must exist), or one of these.
 * Without one, a write applies to whatever version the item is at.
 */
export type VersionPrecondition = 'any' | readonly number[];

/** What a delete leaves to clean up and announce, whatever shape the record was in. */
export interface DeletedItem {
  name?: string;
  thumbnailKey?: string;
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

/**
 * A replace also completes a record written outside the API (no kind, status or createdAt, so
 * absent from the newest-first index): replacing it through the API makes it an item.
 */
const COMPLETE_RECORD = [
  '#kind = if_not_exists(#kind, :kind)',
  '#status = if_not_exists(#status, :draft)',
  '#createdAt = if_not_exists(#createdAt, :now)',
];
const COMPLETE_RECORD_NAMES = { '#kind': 'kind', '#status': 'status', '#createdAt': 'createdAt' };
const COMPLETE_RECORD_VALUES = { ':kind': 'item', ':draft': 'draft' };

/** Appended to every update expression: each write makes a new version. */
const NEXT_VERSION = 'ADD #version :one';
const VERSION_NAMES = { '#version': 'version' };
const VERSION_VALUES = { ':one': 1 };

interface ItemUpdate {
  UpdateExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

interface Condition {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** The item exists and, when the write names versions, is at one of them. */
function versionCondition(id: string, expected: VersionPrecondition | undefined): Condition {
  const exists = 'attribute_exists(id)';
  if (expected === undefined || expected === 'any') return { ConditionExpression: exists };
  if (expected.length === 0) throw staleVersion(id);
  const listed = expected.filter((version) => version > 0);
  const alternatives = [
    ...(expected.includes(0) ? ['attribute_not_exists(#version)'] : []),
    ...(listed.length > 0
      ? [`#version IN (${listed.map((_, index) => `:expected${index}`).join(', ')})`]
      : []),
  ];
  const values = listed.map((version, index) => [`:expected${index}`, version] as const);
  return {
    ConditionExpression: `${exists} AND (${alternatives.join(' OR ')})`,
    ExpressionAttributeNames: VERSION_NAMES,
    // DynamoDB refuses an empty map of values.
    ...(values.length > 0 ? { ExpressionAttributeValues: Object.fromEntries(values) } : {}),
  };
}

/**
 * The record as the API's item, or undefined when it is not one (written outside the API): the
 * API treats it as absent and the log says why, rather than answering its raw attributes or a 500.
 */
function asItem(stored: Record<string, unknown> | undefined): ItemRecord | undefined {
  if (!stored) return undefined;
  const reading = readItemRecord(stored);
  if (reading.valid) return reading.record;
  logger.warn('Skipping a stored record that is not an item of this API', {
    id: reading.id,
    problems: reading.problems,
  });
  return undefined;
}

/** Read loosely: a record written outside the API is deleted like any other. */
function deletedItem(stored: Record<string, unknown>): DeletedItem {
  const image: unknown = stored.image;
  const thumbnailKey =
    typeof image === 'object' && image !== null && 'thumbnailKey' in image
      ? image.thumbnailKey
      : undefined;
  return {
    ...(typeof stored.name === 'string' ? { name: stored.name } : {}),
    ...(typeof thumbnailKey === 'string' ? { thumbnailKey } : {}),
  };
}

const staleVersion = (id: string): StaleVersionError =>
  new StaleVersionError(`Item ${id} has changed (or is gone) since the version you read`);

/** A failed condition means a missing item, or a stale version when the write named one. */
function conditionFailure(id: string, expected: VersionPrecondition | undefined): Error {
  return expected === undefined ? new NotFoundError(`Item ${id} not found`) : staleVersion(id);
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
      version: 1,
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
    return asItem(Item);
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
    const items = (Items ?? []).flatMap((stored) => asItem(stored) ?? []);
    const page: ItemPage = { items };
    const token = encodePageToken(LastEvaluatedKey as Record<string, string> | undefined);
    return token ? { ...page, nextToken: token } : page;
  }

  /** Replaces the editable fields; fields absent from the input are removed. */
  async update(
    id: string,
    input: ItemInput,
    now: string,
    expected?: VersionPrecondition,
  ): Promise<ItemRecord> {
    const editable = pickEditable(input);
    const set = EDITABLE_FIELDS.filter((field) => editable[field] !== undefined);
    const remove = EDITABLE_FIELDS.filter((field) => editable[field] === undefined);
    const names = Object.fromEntries(EDITABLE_FIELDS.map((field) => [`#${field}`, field]));
    const values = Object.fromEntries(set.map((field) => [`:${field}`, editable[field]]));
    const expression = [
      `SET ${[...set.map((field) => `#${field} = :${field}`), 'updatedAt = :now', ...COMPLETE_RECORD].join(', ')}`,
      remove.length > 0 ? `REMOVE ${remove.map((field) => `#${field}`).join(', ')}` : '',
    ].join(' ');
    return this.conditionalUpdate(
      id,
      {
        UpdateExpression: expression.trim(),
        ExpressionAttributeNames: { ...names, ...COMPLETE_RECORD_NAMES },
        ExpressionAttributeValues: { ...values, ':now': now, ...COMPLETE_RECORD_VALUES },
      },
      expected,
    );
  }

  async delete(id: string, expected?: VersionPrecondition): Promise<DeletedItem> {
    try {
      const { Attributes } = await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { id },
          ReturnValues: 'ALL_OLD',
          ...versionCondition(id, expected),
        }),
      );
      return deletedItem(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) throw conditionFailure(id, expected);
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
          UpdateExpression: `SET image = :image, updatedAt = :now ${NEXT_VERSION}`,
          ConditionExpression: 'image.#key = :key AND image.#status = :pending',
          ExpressionAttributeNames: { '#key': 'key', '#status': 'status', ...VERSION_NAMES },
          ExpressionAttributeValues: {
            ':image': image,
            ':now': now,
            ':key': image.key,
            ':pending': 'pending',
            ...VERSION_VALUES,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** An update of an existing item (at an expected version, if given) that makes a new version. */
  private async conditionalUpdate(
    id: string,
    update: ItemUpdate,
    expected?: VersionPrecondition,
  ): Promise<ItemRecord> {
    const condition = versionCondition(id, expected);
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          ReturnValues: 'ALL_NEW',
          UpdateExpression: `${update.UpdateExpression} ${NEXT_VERSION}`,
          ConditionExpression: condition.ConditionExpression,
          ExpressionAttributeNames: {
            ...update.ExpressionAttributeNames,
            ...condition.ExpressionAttributeNames,
            ...VERSION_NAMES,
          },
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ...condition.ExpressionAttributeValues,
            ...VERSION_VALUES,
          },
        }),
      );
      const item = asItem(Attributes);
      if (!item) throw new NotFoundError(`Item ${id} not found`);
      return item;
    } catch (error) {
      if (isConditionFailure(error)) throw conditionFailure(id, expected);
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
