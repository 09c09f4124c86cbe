import { SFNClient } from '@aws-sdk/client-sfn';
import { apiHandler } from './lib/api-handler';
import { createDocumentClient } from './lib/aws-clients';
import { ItemsRepository } from './lib/items-repository';
import { PublishWorkflow } from './lib/publish-workflow';
import { environments } from './environments';

const env = environments.startWorkflow.read();
const items = new ItemsRepository(createDocumentClient(), env.ITEMS_TABLE);
const workflow = new PublishWorkflow(new SFNClient({}), env.STATE_MACHINE_ARN);

export const handler = apiHandler(
  'startWorkflow',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ body }) => ({ statusCode: 202, body: await workflow.start(items, body.itemId) }),
);
