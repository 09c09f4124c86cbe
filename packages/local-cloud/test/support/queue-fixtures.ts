/** Queues for the messaging specs, shaped as the stack model makes them (Terraform's defaults). */
import type { ReceivedMessage } from '../../src/services/sqs/types';
import type { QueueSpec } from '../../src/stack/topology';

export const FIXTURE_REGION = 'us-east-1';
export const FIXTURE_ACCOUNT = '000000000000';

export const queueArn = (name: string): string =>
  `arn:aws:sqs:${FIXTURE_REGION}:${FIXTURE_ACCOUNT}:${name}`;

/** A queue whose URL is on `endpoint`, the local AWS endpoint the spec listens on. */
export function queueSpec(
  name: string,
  endpoint: string,
  settings: Partial<QueueSpec> = {},
): QueueSpec {
  return {
    address: `aws_sqs_queue.${name.replace('.', '_')}`,
    name,
    arn: queueArn(name),
    url: `${endpoint}/${FIXTURE_ACCOUNT}/${name}`,
    fifo: false,
    visibilityTimeoutSeconds: 30,
    messageRetentionSeconds: 345600,
    delaySeconds: 0,
    receiveWaitTimeSeconds: 0,
    maxMessageSize: 262144,
    ...settings,
  };
}

/** A message as a receive hands it to a poller: a JSON body of {}, received once. */
export function receivedMessage(
  messageId: string,
  messageAttributes: ReceivedMessage['messageAttributes'] = {},
): ReceivedMessage {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body: '{}',
    md5OfBody: '99914b932bd37a50b983c5e7c90ae93b',
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1' },
    messageAttributes,
  };
}
