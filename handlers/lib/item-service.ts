import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { EventPublisher } from './event-publisher';
import type {
  ItemInput,
  ItemRecord,
  ItemsRepository,
  VersionPrecondition,
} from './items-repository';

/** Item use cases: each writes through the repository, then announces what happened. */

export interface ItemWriteDeps {
  items: ItemsRepository;
  events: EventPublisher;
  now?: () => Date;
}

const timestamp = (deps: { now?: () => Date }): string =>
  (deps.now?.() ?? new Date()).toISOString();

function detailOf(item: ItemRecord): Record<string, unknown> {
  const { kind: _kind, ...detail } = item;
  return detail;
}

export async function createItem(deps: ItemWriteDeps, input: ItemInput): Promise<ItemRecord> {
  const item = await deps.items.create(input, randomUUID(), timestamp(deps));
  await deps.events.publishAfterCommit({
    id: `item.created-${item.id}`,
    type: 'item.created',
    occurredAt: item.createdAt,
    detail: detailOf(item),
  });
  return item;
}

/**
 * Replaces the editable fields, if the item is still at an `expected` version when one is given.
 * The event id names the version the write made: two updates are two events, even within one
 * millisecond, and a republished one is still recognised.
 */
export async function updateItem(
  deps: ItemWriteDeps,
  id: string,
  input: ItemInput,
  expected?: VersionPrecondition,
): Promise<ItemRecord> {
  const item = await deps.items.update(id, input, timestamp(deps), expected);
  await deps.events.publishAfterCommit({
    id: `item.updated-${item.id}-v${item.version}`,
    type: 'item.updated',
    occurredAt: item.updatedAt,
    detail: detailOf(item),
  });
  return item;
}

export interface ItemDeleteDeps extends ItemWriteDeps {
  s3: S3Client;
  processedBucket: string;
}

/**
 * Deletes the item (if still at an `expected` version when one is given) and its thumbnail; the
 * original upload expires with the bucket's lifecycle.
 */
export async function deleteItem(
  deps: ItemDeleteDeps,
  id: string,
  expected?: VersionPrecondition,
): Promise<void> {
  const item = await deps.items.delete(id, expected);
  if (item.thumbnailKey) {
    await deps.s3.send(
      new DeleteObjectCommand({ Bucket: deps.processedBucket, Key: item.thumbnailKey }),
    );
  }
  await deps.events.publishAfterCommit({
    id: `item.deleted-${id}`,
    type: 'item.deleted',
    occurredAt: timestamp(deps),
    detail: { id, name: item.name },
  });
}
