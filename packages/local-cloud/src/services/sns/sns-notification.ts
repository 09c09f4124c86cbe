/**
 * What SNS hands its subscribers: the JSON envelope an SQS queue receives (unless raw delivery is
 * on), the event a Lambda function receives, and the message attributes raw delivery carries over.
 *
 * The local cloud has no SNS signing certificate: `Signature` is a digest of the string SNS signs,
 * shaped like a signature (base64), but it does not verify against `SigningCertURL`.
 */
import { createHash } from 'node:crypto';
import type { SNSMessage } from 'aws-lambda';
import type { MessageAttributeValue } from '../sqs/types';
import type { Notification } from './types';

/** The Lambda event record's Sns member: AWS sends a null Subject when there is none. */
export type SnsEventMessage = Omit<SNSMessage, 'Subject'> & { Subject: string | null };

export interface SnsEvent {
  Records: {
    EventSource: 'aws:sns';
    EventVersion: '1.0';
    EventSubscriptionArn: string;
    Sns: SnsEventMessage;
  }[];
}

function signature(notification: Notification): string {
  const signed = [
    'Message',
    notification.message,
    'MessageId',
    notification.messageId,
    ...(notification.subject !== undefined ? ['Subject', notification.subject] : []),
    'Timestamp',
    notification.timestamp,
    'TopicArn',
    notification.topicArn,
    'Type',
    'Notification',
  ].join('\n');
  return createHash('sha256').update(`${signed}\n`).digest('base64');
}

function urls(notification: Notification): { signingCert: string; unsubscribe: string } {
  const base = notification.endpoint.replace(/\/+$/, '');
  return {
    signingCert: `${base}/SimpleNotificationService-local.pem`,
    unsubscribe: `${base}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(notification.subscriptionArn)}`,
  };
}

/** `{name: {Type, Value}}`, as both the envelope and the Lambda event carry attributes. */
function typedAttributes(
  attributes: Record<string, MessageAttributeValue>,
): Record<string, { Type: string; Value: string }> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        Type: value.DataType,
        Value: (value.DataType.startsWith('Binary') ? value.BinaryValue : value.StringValue) ?? '',
      },
    ]),
  );
}

/** The body an SQS subscriber without raw delivery receives, keys in SNS's order. */
export function sqsEnvelope(notification: Notification): string {
  const { signingCert, unsubscribe } = urls(notification);
  const attributes = typedAttributes(notification.messageAttributes);
  return JSON.stringify({
    Type: 'Notification',
    MessageId: notification.messageId,
    ...(notification.sequenceNumber !== undefined
      ? { SequenceNumber: notification.sequenceNumber }
      : {}),
    TopicArn: notification.topicArn,
    ...(notification.subject !== undefined ? { Subject: notification.subject } : {}),
    Message: notification.message,
    Timestamp: notification.timestamp,
    SignatureVersion: '1',
    Signature: signature(notification),
    SigningCertURL: signingCert,
    UnsubscribeURL: unsubscribe,
    ...(Object.keys(attributes).length > 0 ? { MessageAttributes: attributes } : {}),
  });
}

export function lambdaEvent(notification: Notification): SnsEvent {
  const { signingCert, unsubscribe } = urls(notification);
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: notification.subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: notification.messageId,
          TopicArn: notification.topicArn,
          Subject: notification.subject ?? null,
          Message: notification.message,
          Timestamp: notification.timestamp,
          SignatureVersion: '1',
          Signature: signature(notification),
          SigningCertUrl: signingCert,
          UnsubscribeUrl: unsubscribe,
          MessageAttributes: typedAttributes(notification.messageAttributes),
        },
      },
    ],
  };
}

/** Raw delivery to SQS carries the attributes over; SQS has no String.Array, so it becomes String. */
export function rawDeliveryAttributes(
  attributes: Record<string, MessageAttributeValue>,
): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      value.DataType === 'String.Array' ? { ...value, DataType: 'String' } : value,
    ]),
  );
}
