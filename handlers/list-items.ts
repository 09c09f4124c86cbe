import { apiHandler, defaulted } from './lib/api-handler';
import { createDocumentClient, createS3Client } from './lib/aws-clients';
import { ItemsRepository } from './lib/items-repository';
import { ThumbnailLinks, toApiItem } from './lib/item-view';
import { environments } from './environments';

const env = environments.listItems.read();
const items = new ItemsRepository(createDocumentClient(), env.ITEMS_TABLE);
const links = new ThumbnailLinks(createS3Client(), env.PROCESSED_BUCKET);

export const handler = apiHandler(
  'listItems',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ query }) => {
    const page = await items.list(defaulted(query.limit, 'limit'), query.nextToken);
    const body = { items: await Promise.all(page.items.map((item) => toApiItem(item, links))) };
    return {
      statusCode: 200,
      body: page.nextToken ? { ...body, nextToken: page.nextToken } : body,
    };
  },
);
