import { apiHandler } from './lib/api-handler';
import { createDocumentClient, createS3Client } from './lib/aws-clients';
import { ItemsRepository } from './lib/items-repository';
import { ThumbnailLinks, toApiItem } from './lib/item-view';
import { environments } from './environments';

const env = environments.getItem.read();
const items = new ItemsRepository(createDocumentClient(), env.ITEMS_TABLE);
const links = new ThumbnailLinks(createS3Client(), env.PROCESSED_BUCKET);

export const handler = apiHandler(
  'getItem',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ path }) => {
    const item = await toApiItem(await items.get(path.id), links);
    return { statusCode: 200, body: item, headers: { ETag: item.etag } };
  },
);
