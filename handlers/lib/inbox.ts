import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { components } from './api-types';

export type InboxMessage = components['schemas']['MessageList']['messages'][number];

interface SnsNotification {
  Type: 'Notification';
  MessageId: string;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

function asSnsNotification(body: string): SnsNotification | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<SnsNotification>;
    return parsed.Type === 'Notification' && typeof parsed.Message === 'string'
      ? (parsed as SnsNotification)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Messages sent directly arrive as they were sent; those fanned out from the topic are unwrapped. */
function toInboxMessage(message: Message): InboxMessage {
  const body = message.Body ?? '';
  const sentAt = new Date(Number(message.Attributes?.SentTimestamp ?? Date.now())).toISOString();
  const notification = asSnsNotification(body);
  if (!notification) return { id: message.MessageId ?? '', body, sentAt };
  const type = notification.MessageAttributes?.type?.Value;
  return {
    id: message.MessageId ?? notification.MessageId,
    body: notification.Message,
    sentAt,
    ...(type ? { type } : {}),
  };
}

export class Inbox {
  /** Long enough to see messages that just arrived, short enough for an API call. */
  static readonly WAIT_SECONDS = 1;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(body: string): Promise<string> {
    const { MessageId } = await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }),
    );
    if (!MessageId) throw new Error('SQS returned no message id');
    return MessageId;
  }

  /**
   * Receives up to `max` messages and deletes them. Only messages whose deletion succeeded are
   * returned: the others become visible again and are handed out by a later call, so none is
   * lost and none is handed out twice.
   */
  async take(max: number): Promise<InboxMessage[]> {
    const { Messages = [] } = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: Inbox.WAIT_SECONDS,
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    if (Messages.length === 0) return [];
    const { Successful = [] } = await this.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
    const deleted = new Set(Successful.map((entry) => entry.Id));
    return Messages.filter((_, index) => deleted.has(String(index))).map(toInboxMessage);
  }
}
