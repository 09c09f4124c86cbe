import { SNSClient } from '@aws-sdk/client-sns';
import { apiHandler } from './lib/api-handler';
import { createDocumentClient } from './lib/aws-clients';
import { EventPublisher } from './lib/event-publisher';
import { createItem } from './lib/item-service';
import { toApiItem } from './lib/item-view';
import { ItemsRepository } from './lib/items-repository';
import { environments } from './environments';

const env = environments.createItem.read();
const deps = {
  items: new ItemsRepository(createDocumentClient(), env.ITEMS_TABLE),
  events: new EventPublisher(new SNSClient({}), env.EVENTS_TOPIC_ARN),
};

export const handler = apiHandler(
  'createItem',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ body }) => {
    const item = await toApiItem(await createItem(deps, body));
    return {
      statusCode: 201,
      body: item,
      headers: { Location: `/items/${item.id}`, ETag: item.etag },
    };
  },
);
