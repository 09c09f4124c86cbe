import { SQSClient } from '@aws-sdk/client-sqs';
import { apiHandler } from './lib/api-handler';
import { Inbox } from './lib/inbox';
import { environments } from './environments';

const env = environments.sendMessage.read();
const inbox = new Inbox(new SQSClient({}), env.INBOX_QUEUE_URL);

export const handler = apiHandler(
  'sendMessage',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ body }) => ({ statusCode: 202, body: { messageId: await inbox.send(body.body) } }),
);
