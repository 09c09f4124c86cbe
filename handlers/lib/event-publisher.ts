import { PublishCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { EventEnvelope } from './event-envelope';
import { logger } from './logger';

export class EventPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  /** Publishes the envelope; returns the SNS message id. */
  async publish(event: EventEnvelope, subject?: string): Promise<string> {
    const { MessageId } = await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(event),
        Subject: subject,
        MessageAttributes: { type: { DataType: 'String', StringValue: event.type } },
      }),
    );
    logger.info('Event published', { eventId: event.id, type: event.type, messageId: MessageId });
    return MessageId ?? event.id;
  }

  /**
   * For events that follow a write the caller has already committed: the write stands even if
   * the topic is unreachable, so the failure is logged with the whole event (enough to replay it)
   * instead of failing a request whose effect already happened.
   */
  async publishAfterCommit(event: EventEnvelope): Promise<void> {
    try {
      await this.publish(event);
    } catch (error) {
      logger.error('Event not published; replay it from this log entry', {
        event,
        error: error as Error,
      });
    }
  }
}
