import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import type { Naming } from '../naming';

export interface DataTableProps {
  naming: Naming;
  purpose: string;
  partitionKey: string;
  /** One index, listing the table newest first: its partition and sort key (strings). */
  index: { name: string; partitionKey: string; sortKey: string };
  /** Attribute holding an epoch-seconds expiry, for tables whose rows age out. */
  timeToLiveAttribute?: string;
  deletionProtection: boolean;
}

/**
 * An on-demand DynamoDB table, encrypted with the AWS managed key, with point-in-time recovery.
 * Keys are strings throughout the app.
 */
export class DataTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    const { index } = props;
    const keys = [...new Set([props.partitionKey, index.partitionKey, index.sortKey])];
    this.table = new DynamodbTable(this, 'table', {
      name: props.naming.name(props.purpose),
      billingMode: 'PAY_PER_REQUEST',
      hashKey: props.partitionKey,
      attribute: keys.map((name) => ({ name, type: 'S' })),
      globalSecondaryIndex: [
        {
          name: index.name,
          hashKey: index.partitionKey,
          rangeKey: index.sortKey,
          projectionType: 'ALL',
        },
      ],
      serverSideEncryption: { enabled: true },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: props.deletionProtection,
      ttl: props.timeToLiveAttribute
        ? { attributeName: props.timeToLiveAttribute, enabled: true }
        : undefined,
    });
  }

  get name(): string {
    return this.table.name;
  }

  get arn(): string {
    return this.table.arn;
  }

  indexArn(indexName: string): string {
    return `${this.table.arn}/index/${indexName}`;
  }
}
