/**
 * The shapes the local SNS's modules share: a publish as the service takes it, and a notification
 * as it hands it to a subscriber. Nothing here imports from this folder, so every module of it
 * may import these without a circle.
 */
import type { MessageAttributeValue } from '../sqs/types';

export interface PublishOptions {
  message: string;
  subject?: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  messageStructure?: 'json';
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

export interface Notification {
  messageId: string;
  topicArn: string;
  subject?: string;
  /** The message for the subscriber's protocol (MessageStructure json already resolved). */
  message: string;
  /** ISO 8601, milliseconds, Z */
  timestamp: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  /** FIFO topics */
  sequenceNumber?: string;
  subscriptionArn: string;
  /** Base URL of the local AWS endpoint, for SigningCertURL and UnsubscribeURL. */
  endpoint: string;
}
