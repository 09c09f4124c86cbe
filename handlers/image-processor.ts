import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { createDocumentClient, createS3Client } from './lib/aws-clients';
import { EventPublisher } from './lib/event-publisher';
import { processUpload } from './lib/image-processing';
import { ItemsRepository } from './lib/items-repository';
import { logger } from './lib/logger';
import { environments } from './environments';

const env = environments.imageProcessor.read();
const deps = {
  items: new ItemsRepository(createDocumentClient(), env.ITEMS_TABLE),
  events: new EventPublisher(new SNSClient({}), env.EVENTS_TOPIC_ARN),
  s3: createS3Client(),
  uploadsBucket: env.UPLOADS_BUCKET,
  processedBucket: env.PROCESSED_BUCKET,
};

/** Only what the processor relies on; the rest of the S3 event shape varies (IPv6 sources…). */
const S3ObjectCreatedEvent = z.object({
  Records: z
    .array(
      z.object({
        eventName: z.string().startsWith('ObjectCreated:'),
        s3: z.object({
          bucket: z.object({ name: z.string() }),
          object: z.object({ key: z.string().min(1) }),
        }),
      }),
    )
    .min(1),
});

/** S3 URL-encodes keys in events, with '+' for spaces. */
function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export const handler = async (event: unknown, context: Context): Promise<void> => {
  logger.addContext(context);
  const { Records } = S3ObjectCreatedEvent.parse(event);
  // Records are processed one by one: each holds a full-size image in memory.
  for (const record of Records) {
    if (record.s3.bucket.name !== env.UPLOADS_BUCKET) {
      logger.warn('Ignoring an event from another bucket', { bucket: record.s3.bucket.name });
      continue;
    }
    const key = decodeS3Key(record.s3.object.key);
    const outcome = await processUpload(deps, key);
    logger.info('Upload processed', { key, outcome });
  }
};
