import { SNSClient } from '@aws-sdk/client-sns';
import { apiHandler } from './lib/api-handler';
import { createDocumentClient, createS3Client } from './lib/aws-clients';
import { versionPrecondition } from './lib/entity-tag';
import { EventPublisher } from './lib/event-publisher';
import { updateItem } from './lib/item-service';
import { ThumbnailLinks, toApiItem } from './lib/item-view';
import { ItemsRepository } from './lib/items-repository';
import { environments } from './environments';

const env = environments.updateItem.read();
const deps = {
  items: new ItemsRepository(createDocumentClient(), env.ITEMS_TABLE),
  events: new EventPublisher(new SNSClient({}), env.EVENTS_TOPIC_ARN),
};
const links = new ThumbnailLinks(createS3Client(), env.PROCESSED_BUCKET);

export const handler = apiHandler(
  'updateItem',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ path, header, body }) => {
    const expected = versionPrecondition(header['If-Match']);
    const item = await toApiItem(await updateItem(deps, path.id, body, expected), links);
    return { statusCode: 200, body: item, headers: { ETag: item.etag } };
  },
);
