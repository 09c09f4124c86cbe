import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { useEmptyCloud } from '../../support/in-process-cloud';
import { plannedChanges } from '../../support/planned-changes';

/**
 * Terraform's AWS provider (5.100.0) deploys a table like ours (a global secondary index, TTL,
 * point-in-time recovery, KMS encryption, tags) to a cloud started empty: apply, plan with no
 * change, destroy with no table left; with deletion protection on, destroy fails with DynamoDB's
 * message until it is turned off.
 */

jest.setTimeout(600_000);

const empty = useEmptyCloud({ prefix: 'dynamodb-terraform-' });

const table = (deletionProtection: boolean) => ({
  resource: {
    aws_dynamodb_table: {
      audit: {
        name: 'tf-audit',
        billing_mode: 'PAY_PER_REQUEST',
        hash_key: 'id',
        deletion_protection_enabled: deletionProtection,
        attribute: [
          { name: 'id', type: 'S' },
          { name: 'stream', type: 'S' },
          { name: 'receivedKey', type: 'S' },
        ],
        global_secondary_index: [
          {
            name: 'auditByReceivedAt',
            hash_key: 'stream',
            range_key: 'receivedKey',
            projection_type: 'ALL',
          },
        ],
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true },
        ttl: { attribute_name: 'expiresAt', enabled: true },
        tags: { app: 'serverless-week' },
      },
    },
  },
});

const tableNames = async (): Promise<string[]> => {
  const { TableNames = [] } = await empty.client(DynamoDBClient).send(new ListTablesCommand({}));
  return TableNames;
};

describe('a table like ours', () => {
  it('apply, then plan no change, then destroy leaving no table', async () => {
    // Given the table applied
    const terraform = await empty.terraform(table(false));
    const applied = await terraform.apply();
    expect(applied.output).toContain('Apply complete! Resources: 1 added');

    // When it is planned again, then there is nothing to change; the model holds its settings
    expect(await plannedChanges(terraform)).toBe('');
    expect(
      empty.cloud.resources.get('tables', 'arn:aws:dynamodb:us-east-1:000000000000:table/tf-audit'),
    ).toMatchObject({
      ttlAttribute: 'expiresAt',
      pointInTimeRecovery: { recoveryPeriodInDays: 35 },
      tags: { app: 'serverless-week' },
    });

    // When it is destroyed
    const destroyed = await terraform.destroy();

    // Then no table is left
    expect(destroyed.output).toContain('Destroy complete! Resources: 1 destroyed');
    expect(await tableNames()).toEqual([]);
  });

  it('refuses to destroy it while deletion protection is on, with DynamoDB message', async () => {
    // Given the table applied with deletion protection
    const terraform = await empty.terraform(table(true));
    expect((await terraform.apply()).exitCode).toBe(0);

    // When it is destroyed
    const refused = await terraform.destroy();

    // Then DynamoDB refuses, and the table stays until its protection is turned off
    expect(refused.exitCode).toBe(1);
    expect(refused.output).toContain(
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
    expect(await tableNames()).toEqual(['tf-audit']);
    terraform.configure(
      { aws: empty.cloud.endpoints.aws, credentials: empty.cloud.adminCredentials },
      table(false),
    );
    expect((await terraform.apply()).exitCode).toBe(0);
    expect((await terraform.destroy()).exitCode).toBe(0);
    expect(await tableNames()).toEqual([]);
  });
});
