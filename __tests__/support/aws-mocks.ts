/**
 * SNS, SQS and Step Functions have no emulator here: the specs mock those clients (and only
 * those) with aws-sdk-client-mock, and read back what the handlers really sent.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { EventEnvelopeSchema } from '../../handlers/lib/event-envelope';
import type { EventEnvelope } from '../../handlers/lib/event-envelope';

export interface PublishedEvent {
  topicArn: string | undefined;
  /** The `type` message attribute subscriptions filter on. */
  typeAttribute: { DataType?: string; StringValue?: string } | undefined;
  subject: string | undefined;
  /** The message, parsed and checked against the envelope schema. */
  envelope: EventEnvelope;
}

/** Every Publish the handlers sent, in order. */
export function publishedEvents(sns: AwsClientStub<SNSClient>): PublishedEvent[] {
  return sns.commandCalls(PublishCommand).map(({ args: [command] }) => ({
    topicArn: command.input.TopicArn,
    typeAttribute: command.input.MessageAttributes?.type,
    subject: command.input.Subject,
    envelope: EventEnvelopeSchema.parse(JSON.parse(command.input.Message ?? 'null')),
  }));
}
