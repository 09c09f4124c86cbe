import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { components } from './api-types';
import type { EventEnvelope } from './event-envelope';
import { auditTableLayout } from './storage-layout';

export type AuditEntry = components['schemas']['AuditLog']['entries'][number];

const STREAM = 'events';
const RETENTION_DAYS = 90;

interface AuditRecord extends AuditEntry {
  stream: typeof STREAM;
  receivedKey: string;
  /** Epoch seconds; the table's TTL removes entries after the retention period. */
  expiresAt: number;
}

export class AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stores an event once: the event id is the table key and the write is conditional, so a
   * redelivered or republished event changes nothing. Returns false for a duplicate.
   */
  async record(event: EventEnvelope, receivedAt: Date): Promise<boolean> {
    const received = receivedAt.toISOString();
    const record: AuditRecord = {
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      receivedAt: received,
      detail: event.detail,
      stream: STREAM,
      receivedKey: `${received}#${event.id}`,
      expiresAt: Math.floor(receivedAt.getTime() / 1000) + RETENTION_DAYS * 24 * 3600,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async newest(limit: number): Promise<AuditEntry[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: auditTableLayout.index.name,
        KeyConditionExpression: '#stream = :stream',
        ExpressionAttributeNames: { '#stream': 'stream' },
        ExpressionAttributeValues: { ':stream': STREAM },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items as AuditRecord[]).map(({ id, type, occurredAt, receivedAt, detail }) => ({
      id,
      type,
      occurredAt,
      receivedAt,
      detail,
    }));
  }
}
