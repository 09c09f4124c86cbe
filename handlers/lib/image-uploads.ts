import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { components } from './api-types';
import type { ItemsRepository } from './items-repository';
import { THUMBNAILS_PREFIX, UPLOADS_PREFIX } from './storage-layout';

export type ImageContentType = components['schemas']['ImageUploadRequest']['contentType'];
export type ImageUpload = components['schemas']['ImageUpload'];

const EXTENSIONS: Record<ImageContentType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };
const UPLOAD_KEY = /^uploads\/items\/([A-Za-z0-9-]{1,64})\/([A-Za-z0-9-]{1,64})\.(jpg|png)$/;

export function uploadKey(itemId: string, uploadId: string, contentType: ImageContentType): string {
  return `${UPLOADS_PREFIX}items/${itemId}/${uploadId}.${EXTENSIONS[contentType]}`;
}

export function thumbnailKey(itemId: string, uploadId: string): string {
  return `${THUMBNAILS_PREFIX}items/${itemId}/${uploadId}.jpg`;
}

/** The item and upload an uploads-bucket key belongs to, or undefined if it is not one of ours. */
export function parseUploadKey(key: string): { itemId: string; uploadId: string } | undefined {
  const match = UPLOAD_KEY.exec(key);
  return match?.[1] && match[2] ? { itemId: match[1], uploadId: match[2] } : undefined;
}

export interface ImageUploadDeps {
  items: ItemsRepository;
  s3: S3Client;
  uploadsBucket: string;
  now?: () => Date;
}

export const UPLOAD_URL_EXPIRES_IN_SECONDS = 300;

/**
 * Marks the item's image as pending for a fresh upload and hands out a pre-signed PUT for it.
 * The content type is part of the signature, so the browser must send exactly that header.
 */
export async function createImageUpload(
  deps: ImageUploadDeps,
  itemId: string,
  contentType: ImageContentType,
): Promise<ImageUpload> {
  const uploadId = randomUUID();
  const key = uploadKey(itemId, uploadId, contentType);
  await deps.items.startImageUpload(
    itemId,
    { status: 'pending', key, uploadId, contentType },
    (deps.now?.() ?? new Date()).toISOString(),
  );
  const uploadUrl = await getSignedUrl(
    deps.s3,
    new PutObjectCommand({ Bucket: deps.uploadsBucket, Key: key, ContentType: contentType }),
    // The presigner leaves Content-Type out of the signature unless told to sign it.
    { expiresIn: UPLOAD_URL_EXPIRES_IN_SECONDS, signableHeaders: new Set(['content-type']) },
  );
  return {
    uploadUrl,
    key,
    method: 'PUT',
    headers: { 'Content-Type': contentType },
    expiresIn: UPLOAD_URL_EXPIRES_IN_SECONDS,
  };
}
