import { GetObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { EventEnvelope } from './event-envelope';
import type { EventPublisher } from './event-publisher';
import { parseUploadKey, thumbnailKey } from './image-uploads';
import type { ImageRecord, ItemRecord, ItemsRepository } from './items-repository';
import { logger } from './logger';
import { makeThumbnail, UnsupportedImageError } from './thumbnail';

export interface ImageLimits {
  /** Largest original accepted, in bytes. */
  maxBytes: number;
  /** Largest original accepted, in pixels (checked from the header, before decoding). */
  maxPixels: number;
  thumbnailWidth: number;
  quality: number;
}

export const IMAGE_LIMITS: ImageLimits = {
  maxBytes: 15 * 1024 * 1024,
  maxPixels: 50_000_000,
  thumbnailWidth: 256,
  quality: 80,
};

export interface ImageProcessingDeps {
  items: ItemsRepository;
  events: EventPublisher;
  s3: S3Client;
  uploadsBucket: string;
  processedBucket: string;
  limits?: ImageLimits;
  now?: () => Date;
}

export type ProcessingOutcome = 'ready' | 'failed' | 'skipped';
type FinishedImage = ImageRecord & { status: 'ready' | 'failed' };

function resultEvent(itemId: string, image: ImageRecord): EventEnvelope {
  const type = image.status === 'ready' ? 'image.processed' : 'image.failed';
  return {
    id: `${type}-${itemId}-${image.uploadId}`,
    type,
    occurredAt: image.processedAt ?? new Date().toISOString(),
    detail: {
      itemId,
      key: image.key,
      ...(image.status === 'ready'
        ? { thumbnailKey: image.thumbnailKey, width: image.width, height: image.height }
        : { reason: image.error }),
    },
  };
}

/**
 * Why an object under uploads/items/ is not processed. Only a PUT to the URL that
 * POST /items/{id}/image hands out is: a file copied there by hand (or by `aws s3 cp`) is not.
 */
function ignoredUploadReason(item: ItemRecord | undefined, image: ImageRecord | undefined): string {
  if (!item) return 'Ignoring an upload for an item that does not exist';
  if (!image) {
    return 'Ignoring an upload the item did not ask for: POST /items/{id}/image hands out the URL to PUT it to';
  }
  return 'Ignoring an upload superseded by a newer one for the same item';
}

/**
 * Turns one uploaded original into a thumbnail and records the result on its item.
 * Safe to run twice for the same object: a finished result is only announced again (with the
 * same event id, so consumers deduplicate), and a superseded upload is left alone. Problems with
 * the image itself are recorded as a failed image; anything else throws so Lambda retries.
 */
export async function processUpload(
  deps: ImageProcessingDeps,
  key: string,
): Promise<ProcessingOutcome> {
  const limits = deps.limits ?? IMAGE_LIMITS;
  const upload = parseUploadKey(key);
  if (!upload) {
    logger.warn('Ignoring an object that is not an item upload', { key });
    return 'skipped';
  }
  const item = await deps.items.find(upload.itemId);
  const image = item?.image;
  if (!image || image.key !== key) {
    logger.warn(ignoredUploadReason(item, image), { key, itemId: upload.itemId });
    return 'skipped';
  }
  if (image.status !== 'pending') {
    await deps.events.publish(resultEvent(upload.itemId, image));
    return image.status;
  }

  const processedAt = (deps.now?.() ?? new Date()).toISOString();
  const result = await thumbnailOrFailure(deps, limits, upload.itemId, { ...image, processedAt });
  if (result === undefined) {
    logger.info('Upload no longer exists; nothing to do', { key });
    return 'skipped';
  }
  if (!(await deps.items.completeImage(upload.itemId, result, processedAt))) {
    logger.info('Image changed while processing; result discarded', { key });
    return 'skipped';
  }
  await deps.events.publish(resultEvent(upload.itemId, result));
  return result.status;
}

/** The finished image record, or undefined when the original is gone. */
async function thumbnailOrFailure(
  deps: ImageProcessingDeps,
  limits: ImageLimits,
  itemId: string,
  pending: ImageRecord,
): Promise<FinishedImage | undefined> {
  const { key } = pending;
  const failed = (error: string): FinishedImage => ({ ...pending, status: 'failed', error });

  let object;
  try {
    object = await deps.s3.send(new GetObjectCommand({ Bucket: deps.uploadsBucket, Key: key }));
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
  const size = object.ContentLength ?? 0;
  if (size > limits.maxBytes) {
    object.Body?.transformToWebStream()
      .cancel()
      .catch(() => undefined);
    return failed(`The image is ${megabytes(size)}, over the ${megabytes(limits.maxBytes)} limit`);
  }
  const bytes = await object.Body?.transformToByteArray();
  if (!bytes) return failed('The upload is empty');

  try {
    const thumbnail = await makeThumbnail(bytes, {
      width: limits.thumbnailWidth,
      maxPixels: limits.maxPixels,
      quality: limits.quality,
    });
    const thumbnailObjectKey = thumbnailKey(itemId, pending.uploadId);
    await deps.s3.send(
      new PutObjectCommand({
        Bucket: deps.processedBucket,
        Key: thumbnailObjectKey,
        Body: thumbnail.body,
        ContentType: thumbnail.contentType,
        CacheControl: 'private, max-age=31536000, immutable',
      }),
    );
    return {
      ...pending,
      status: 'ready',
      thumbnailKey: thumbnailObjectKey,
      width: thumbnail.width,
      height: thumbnail.height,
    };
  } catch (error) {
    if (error instanceof UnsupportedImageError) return failed(error.message);
    throw error;
  }
}

/** Rounded up, so a size just over the limit never reads as equal to it. */
function megabytes(bytes: number): string {
  return `${Math.ceil((bytes / (1024 * 1024)) * 10) / 10} MB`;
}
