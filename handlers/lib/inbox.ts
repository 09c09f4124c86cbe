import {
  DeleteMessageCommand,
  InvalidIdFormat,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { components } from './api-types';
import { NotFoundError } from './errors';
import { decodeReceipt, encodeReceipt } from './message-receipt';

export type InboxMessage = components['schemas']['MessageList']['messages'][number];
export type ReceivedMessages = components['schemas']['MessageList'];

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
  const receipt = encodeReceipt(message.ReceiptHandle ?? '');
  const notification = asSnsNotification(body);
  if (!notification) return { id: message.MessageId ?? '', body, sentAt, receipt };
  const type = notification.MessageAttributes?.type?.Value;
  return {
    id: message.MessageId ?? notification.MessageId,
    body: notification.Message,
    sentAt,
    receipt,
    ...(type ? { type } : {}),
  };
}

/**
 * The inbox queue as the API offers it: receiving hands messages out without deleting them, and
 * only the client's acknowledgement deletes one. Sending is API Gateway's own SQS integration
 * (POST /messages in api/openapi.json): a message's body is the `body` the client posted. A client that never gets an answer (a timeout,
 * a dropped connection) loses nothing: what it was handed comes back after the visibility timeout.
 */
export class Inbox {
  /** Long enough to see messages that just arrived, short enough for an API call. */
  static readonly WAIT_SECONDS = 1;
  /**
   * How long received messages stay hidden from other receives: time for a client to show them
   * and acknowledge each, short enough that an unacknowledged one soon comes back.
   */
  static readonly VISIBILITY_TIMEOUT_SECONDS = 30;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** Receives up to `max` messages, each with the receipt that acknowledges it. */
  async receive(max: number): Promise<ReceivedMessages> {
    const { Messages = [] } = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: Inbox.WAIT_SECONDS,
        VisibilityTimeout: Inbox.VISIBILITY_TIMEOUT_SECONDS,
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    return {
      messages: Messages.map(toInboxMessage),
      visibilityTimeout: Inbox.VISIBILITY_TIMEOUT_SECONDS,
    };
  }

  /**
   * Deletes the message a receipt was issued for. As in SQS, the receipt of a message received
   * again since then deletes nothing (the newer receipt does), and acknowledging twice is fine.
   */
  async acknowledge(receipt: string): Promise<void> {
    const handle = decodeReceipt(receipt);
    try {
      await this.client.send(
        new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: handle }),
      );
    } catch (error) {
      if (error instanceof ReceiptHandleIsInvalid || error instanceof InvalidIdFormat) {
        throw new NotFoundError(
          'No message holds this receipt: it was never issued, or it expired',
        );
      }
      throw error;
    }
  }
}
