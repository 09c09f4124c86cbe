import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { createDocumentClient } from './lib/aws-clients';
import { ItemsRepository } from './lib/items-repository';
import { logger } from './lib/logger';
import { assessPublishability } from './lib/publish-workflow';
import type { Publishability } from './lib/publish-workflow';
import { environments } from './environments';

const env = environments.validateItem.read();
const items = new ItemsRepository(createDocumentClient(), env.ITEMS_TABLE);

const WorkflowInput = z.object({ itemId: z.string().min(1) });

/** First step of the publish-item workflow: may this item be published, and if not, why. */
export const handler = async (input: unknown, context: Context): Promise<Publishability> => {
  logger.addContext(context);
  const { itemId } = WorkflowInput.parse(input);
  const verdict = assessPublishability(itemId, await items.find(itemId));
  logger.info('Item assessed', { ...verdict });
  return verdict;
};
