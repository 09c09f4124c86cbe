import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { AuditLog } from './lib/audit-log';
import { createDocumentClient } from './lib/aws-clients';
import { EventEnvelopeSchema } from './lib/event-envelope';
import { logger } from './lib/logger';
import { environments } from './environments';

const env = environments.auditConsumer.read();
const audit = new AuditLog(createDocumentClient(), env.AUDIT_TABLE);
const processor = new BatchProcessor(EventType.SQS);

/**
 * The audit queue has raw message delivery, so each body is an event envelope. A body that is
 * not one throws: the record is reported as a batch item failure, retried, and after the queue's
 * maxReceiveCount moved to its dead-letter queue, never dropped.
 */
async function recordEvent(record: SQSRecord): Promise<void> {
  const event = EventEnvelopeSchema.parse(JSON.parse(record.body));
  const stored = await audit.record(event, new Date());
  logger.info(stored ? 'Event audited' : 'Duplicate event ignored', {
    eventId: event.id,
    type: event.type,
    messageId: record.messageId,
  });
}

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  return processPartialResponse(event, recordEvent, processor, { context });
};
