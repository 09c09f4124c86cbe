import { randomUUID } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import { apiHandler } from './lib/api-handler';
import { EventPublisher } from './lib/event-publisher';
import { environments } from './environments';

const env = environments.publishNotification.read();
const events = new EventPublisher(new SNSClient({}), env.EVENTS_TOPIC_ARN);

export const handler = apiHandler(
  'publishNotification',
  { allowedOrigin: env.ALLOWED_ORIGIN },
  async ({ body }) => {
    const type = body.type ?? 'notification';
    const messageId = await events.publish(
      {
        id: `${type}-${randomUUID()}`,
        type,
        occurredAt: new Date().toISOString(),
        detail: { message: body.message, ...(body.subject ? { subject: body.subject } : {}) },
      },
      body.subject,
    );
    return { statusCode: 202, body: { messageId } };
  },
);
