import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { components } from './api-types';
import { entityTag } from './entity-tag';
import type { ItemRecord } from './items-repository';

export type Item = components['schemas']['Item'];

/** Thumbnails stay private; clients get short-lived pre-signed GETs. */
export class ThumbnailLinks {
  static readonly EXPIRES_IN_SECONDS = 900;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  urlFor(key: string): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: ThumbnailLinks.EXPIRES_IN_SECONDS,
    });
  }
}

/**
 * The API's view of a stored item: storage details out, a thumbnail link and the entity tag in
 * (listed items carry theirs too, for a client to send back in If-Match).
 */
export async function toApiItem(record: ItemRecord, links?: ThumbnailLinks): Promise<Item> {
  const { kind: _kind, version, image, ...stored } = record;
  const fields = { ...stored, etag: entityTag(version ?? 0) };
  if (!image) return fields;
  const thumbnailUrl =
    image.status === 'ready' && image.thumbnailKey && links
      ? await links.urlFor(image.thumbnailKey)
      : undefined;
  return {
    ...fields,
    image: {
      status: image.status,
      key: image.key,
      ...(thumbnailUrl ? { thumbnailUrl } : {}),
      ...(image.width !== undefined ? { width: image.width, height: image.height } : {}),
      ...(image.error !== undefined ? { error: image.error } : {}),
    },
  };
}
