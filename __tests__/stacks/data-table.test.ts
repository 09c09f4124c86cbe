import { TerraformOutput } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { DataTable } from '../../stacks/constructs/data-table';
import { parseSynth, synthScope, theResource } from '../support/synth';
import { testNaming } from '../support/stack-fixtures';

const layout = {
  partitionKey: 'id',
  index: { name: 'auditByReceivedAt', partitionKey: 'stream', sortKey: 'receivedKey' },
};

describe('DataTable', () => {
  let synthesized: string;

  beforeAll(() => {
    // Given a table whose rows expire, when synthesized alone.
    synthesized = synthScope((scope) => {
      const table = new DataTable(scope, 'audit', {
        naming: testNaming,
        purpose: 'audit',
        ...layout,
        timeToLiveAttribute: 'expiresAt',
        deletionProtection: true,
      });
      new TerraformOutput(scope, 'index_arn', { value: table.indexArn('auditByReceivedAt') });
    });
  });

  it('is named after the app, the stage and its purpose', () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      name: 'serverless-week-test-audit',
    });
  });

  it('bills on demand', () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      billing_mode: 'PAY_PER_REQUEST',
    });
  });

  it('is encrypted at rest and keeps point-in-time recovery', () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      server_side_encryption: { enabled: true },
      point_in_time_recovery: { enabled: true },
    });
  });

  it('declares the partition key and the index keys once each, as strings', () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      hash_key: 'id',
      attribute: [
        { name: 'id', type: 'S' },
        { name: 'stream', type: 'S' },
        { name: 'receivedKey', type: 'S' },
      ],
    });
  });

  it('has one index projecting every attribute, keyed as the layout says', () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      global_secondary_index: [
        {
          name: 'auditByReceivedAt',
          hash_key: 'stream',
          range_key: 'receivedKey',
          projection_type: 'ALL',
        },
      ],
    });
  });

  it('expires rows through the time-to-live attribute when one is given', () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      ttl: { attribute_name: 'expiresAt', enabled: true },
    });
  });

  it('refuses deletion when asked to protect its data', () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      deletion_protection_enabled: true,
    });
  });

  it('gives the ARN of an index for IAM statements', () => {
    const table = theResource(synthesized, 'aws_dynamodb_table');
    expect(parseSynth(synthesized).output?.index_arn?.value).toBe(
      `\${${table.address}.arn}/index/auditByReceivedAt`,
    );
  });

  describe('without a time-to-live attribute, and an index sharing the partition key', () => {
    let plain: string;

    beforeAll(() => {
      plain = synthScope((scope) => {
        new DataTable(scope, 'items', {
          naming: testNaming,
          purpose: 'items',
          partitionKey: 'kind',
          index: { name: 'byDate', partitionKey: 'kind', sortKey: 'createdAt' },
          deletionProtection: false,
        });
      });
    });

    it('has no time to live', () => {
      expect(theResource(plain, 'aws_dynamodb_table').block.ttl).toBeUndefined();
    });

    it('declares the shared key once', () => {
      expect(theResource(plain, 'aws_dynamodb_table').block.attribute).toEqual([
        { name: 'kind', type: 'S' },
        { name: 'createdAt', type: 'S' },
      ]);
    });

    it('allows deletion when not asked to protect its data', () => {
      expect(theResource(plain, 'aws_dynamodb_table').block.deletion_protection_enabled).toBe(
        false,
      );
    });
  });
});
