import { SQSClient } from '@aws-sdk/client-sqs';
import { apiHandler } from './lib/api-handler';
import { Inbox } from './lib/inbox';
import { environments } from './environments';

const env = environments.deleteMessage.read();
const inbox = new Inbox(new SQSClient({}), env.INBOX_QUEUE_URL);

export const handler = apiHandler(
  'deleteMessage',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ path }) => {
    await inbox.acknowledge(path.receipt);
    return { statusCode: 204, body: undefined };
  },
);
