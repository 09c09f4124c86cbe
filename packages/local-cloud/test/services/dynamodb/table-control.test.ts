import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  TableNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { emptyRegistry } from '../../support/empty-registry';
import { startLocalDynamoDb } from '../../support/local-dynamodb';
import type { LocalDynamoDb } from '../../support/local-dynamodb';

/**
 * DynamoDB's control plane around dynalite, through the real DynamoDBClient: what Terraform's
 * aws_dynamodb_table sets (TTL, point-in-time recovery, deletion protection, encryption, tags) is
 * read back, kept in the table's spec in the model of resources, and enforced.
 */

const registry = emptyRegistry();
let dynamodb: LocalDynamoDb;
let client: DynamoDBClient;
const arnOf = (name: string): string => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;

beforeAll(async () => {
  dynamodb = await startLocalDynamoDb([], 'us-east-1', registry);
  client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'us-east-1',
    credentials: DEFAULT_ADMIN_CREDENTIALS,
  });
});

afterAll(async () => {
  client.destroy();
  await dynamodb.stop();
});

async function createTable(name: string, extra: object = {}): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...extra,
    }),
  );
}

describe('time to live', () => {
  it('reads back the TTL attribute once enabled', async () => {
    // Given a table
    await createTable('ttl-enabled');

    // When TTL is enabled on an attribute
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'ttl-enabled',
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
      }),
    );

    // Then DescribeTimeToLive says so, and the table's spec has it
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: 'ttl-enabled' }),
    );
    expect(TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
    expect(registry.get('tables', arnOf('ttl-enabled'))?.ttlAttribute).toBe('expiresAt');
  });

  it('refuses to enable TTL twice with ValidationException', async () => {
    // Given a table with TTL enabled
    await createTable('ttl-twice');
    const enable = new UpdateTimeToLiveCommand({
      TableName: 'ttl-twice',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
    });
    await client.send(enable);

    // When it is enabled again
    const again = client.send(enable);

    // Then DynamoDB refuses
    await expect(again).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'TimeToLive is already enabled',
    });
  });
});

describe('point-in-time recovery', () => {
  it('reads back PITR once enabled, with its recovery period', async () => {
    // Given a table
    await createTable('pitr');

    // When point-in-time recovery is enabled
    await client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'pitr',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );

    // Then DescribeContinuousBackups says so
    const { ContinuousBackupsDescription } = await client.send(
      new DescribeContinuousBackupsCommand({ TableName: 'pitr' }),
    );
    expect(ContinuousBackupsDescription).toMatchObject({
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: {
        PointInTimeRecoveryStatus: 'ENABLED',
        RecoveryPeriodInDays: 35,
      },
    });
  });

  it('answers DISABLED for a table whose PITR was never enabled', async () => {
    // Given a table
    await createTable('no-pitr');

    // When its continuous backups are described
    const { ContinuousBackupsDescription } = await client.send(
      new DescribeContinuousBackupsCommand({ TableName: 'no-pitr' }),
    );

    // Then PITR is off
    expect(ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toEqual({
      PointInTimeRecoveryStatus: 'DISABLED',
    });
  });

  it('answers TableNotFoundException for a table that does not exist', async () => {
    // Given no table named so
    // When its continuous backups are described
    const described = client.send(new DescribeContinuousBackupsCommand({ TableName: 'nowhere' }));

    // Then DynamoDB says the table is not found
    await expect(described).rejects.toBeInstanceOf(TableNotFoundException);
  });
});

describe('tables that exist, or not', () => {
  it('refuses to create a table that exists with ResourceInUseException naming it', async () => {
    // Given a table
    await createTable('twice');

    // When a table of the same name is created again
    const created = createTable('twice');

    // Then DynamoDB says it exists, in its words
    await expect(created).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: 'Table already exists: twice',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers ResourceNotFoundException naming the table when describing one that does not exist', async () => {
    // Given no table named so
    // When it is described
    const described = client.send(new DescribeTableCommand({ TableName: 'missing-described' }));

    // Then DynamoDB says it is not found
    await expect(described).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: missing-described not found',
    });
  });

  it('answers ResourceNotFoundException naming the table when deleting one that does not exist', async () => {
    // Given no table named so
    // When it is deleted
    const deleted = client.send(new DeleteTableCommand({ TableName: 'missing-deleted' }));

    // Then DynamoDB says it is not found
    await expect(deleted).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: missing-deleted not found',
    });
  });

  it('answers ResourceNotFoundException naming the table when updating one that does not exist', async () => {
    // Given no table named so
    // When its billing mode is updated
    const updated = client.send(
      new UpdateTableCommand({ TableName: 'missing-updated', BillingMode: 'PAY_PER_REQUEST' }),
    );

    // Then DynamoDB says it is not found
    await expect(updated).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: missing-updated not found',
    });
  });
});

describe('deletion protection', () => {
  it('shows deletion protection set at creation, and refuses DeleteTable while it is on', async () => {
    // Given a table created with deletion protection
    await createTable('protected', { DeletionProtectionEnabled: true });

    // When it is described, then deleted
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'protected' }));
    const deleted = client.send(new DeleteTableCommand({ TableName: 'protected' }));

    // Then it shows the protection, and DynamoDB refuses the delete
    expect(Table?.DeletionProtectionEnabled).toBe(true);
    await expect(deleted).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    });
  });

  it('deletes a table once UpdateTable turned its protection off, and forgets its spec', async () => {
    // Given a protected table
    await createTable('unprotected', { DeletionProtectionEnabled: true });

    // When its protection is turned off, then it is deleted
    const { TableDescription } = await client.send(
      new UpdateTableCommand({ TableName: 'unprotected', DeletionProtectionEnabled: false }),
    );
    await client.send(new DeleteTableCommand({ TableName: 'unprotected' }));

    // Then the update said so and the table is gone from the model of resources
    expect(TableDescription?.DeletionProtectionEnabled).toBe(false);
    expect(registry.get('tables', arnOf('unprotected'))).toBeUndefined();
  });
});

describe('encryption and tags', () => {
  it('describes KMS encryption asked for at creation', async () => {
    // Given a table created encrypted with DynamoDB's AWS managed key
    await createTable('encrypted', { SSESpecification: { Enabled: true } });

    // When it is described
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'encrypted' }));

    // Then its encryption is KMS, enabled
    expect(Table?.SSEDescription).toMatchObject({ Status: 'ENABLED', SSEType: 'KMS' });
    expect(Table?.SSEDescription?.KMSMasterKeyArn).toMatch(
      /^arn:aws:kms:us-east-1:000000000000:key\//,
    );
  });

  it('lists the tags given at creation and since, less those removed', async () => {
    // Given a table created with tags
    await createTable('tagged', { Tags: [{ Key: 'app', Value: 'serverless-week' }] });

    // When a tag is added and another removed
    await client.send(
      new TagResourceCommand({
        ResourceArn: arnOf('tagged'),
        Tags: [{ Key: 'stage', Value: 'local' }],
      }),
    );
    await client.send(new UntagResourceCommand({ ResourceArn: arnOf('tagged'), TagKeys: ['app'] }));

    // Then the table has the one left
    const { Tags } = await client.send(
      new ListTagsOfResourceCommand({ ResourceArn: arnOf('tagged') }),
    );
    expect(Tags).toEqual([{ Key: 'stage', Value: 'local' }]);
  });
});

describe('the model of resources', () => {
  it('holds a created table with its keys, indexes and billing mode', async () => {
    // Given a table created with a range key
    await client.send(
      new CreateTableCommand({
        TableName: 'modelled',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'at', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'at', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );

    // Then the registry holds its spec
    expect(registry.get('tables', arnOf('modelled'))).toMatchObject({
      address: arnOf('modelled'),
      name: 'modelled',
      hashKey: 'id',
      rangeKey: 'at',
      attributes: [
        { name: 'id', type: 'S' },
        { name: 'at', type: 'N' },
      ],
      billingMode: 'PAY_PER_REQUEST',
    });
  });
});
