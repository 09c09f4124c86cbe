import { SFNClient } from '@aws-sdk/client-sfn';
import { apiHandler } from './lib/api-handler';
import { PublishWorkflow } from './lib/publish-workflow';
import { environments } from './environments';

const env = environments.getWorkflow.read();
const workflow = new PublishWorkflow(new SFNClient({}), env.STATE_MACHINE_ARN);

export const handler = apiHandler(
  'getWorkflow',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ path }) => ({ statusCode: 200, body: await workflow.describe(path.executionId) }),
);
