import { SNSClient } from '@aws-sdk/client-sns';
import { apiHandler } from './lib/api-handler';
import { createDocumentClient, createS3Client } from './lib/aws-clients';
import { versionPrecondition } from './lib/entity-tag';
import { EventPublisher } from './lib/event-publisher';
import { deleteItem } from './lib/item-service';
import { ItemsRepository } from './lib/items-repository';
import { environments } from './environments';

const env = environments.deleteItem.read();
const deps = {
  items: new ItemsRepository(createDocumentClient(), env.ITEMS_TABLE),
  events: new EventPublisher(new SNSClient({}), env.EVENTS_TOPIC_ARN),
  s3: createS3Client(),
  processedBucket: env.PROCESSED_BUCKET,
};

export const handler = apiHandler(
  'deleteItem',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ path, header }) => {
    await deleteItem(deps, path.id, versionPrecondition(header['If-Match']));
    return { statusCode: 204, body: undefined };
  },
);
