import { SQSClient } from '@aws-sdk/client-sqs';
import { apiHandler, defaulted } from './lib/api-handler';
import { Inbox } from './lib/inbox';
import { environments } from './environments';

const env = environments.receiveMessages.read();
const inbox = new Inbox(new SQSClient({}), env.INBOX_QUEUE_URL);

export const handler = apiHandler(
  'receiveMessages',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ query }) => ({
    statusCode: 200,
    body: await inbox.receive(defaulted(query.max, 'max')),
  }),
);
