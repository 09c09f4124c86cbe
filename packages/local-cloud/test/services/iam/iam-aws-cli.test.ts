/**
 * The AWS CLI's IAM and STS commands against an empty local cloud, as LocalStack's users run
 * them: `aws iam create-role`, `get-role`, `put-role-policy`, `delete-role`, and
 * `aws sts get-caller-identity`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowPolicy, trustPolicy } from '../../support/policy-documents';
import { useEmptyCloud } from '../../support/in-process-cloud';
import { awsCli, CLI_TIMEOUT_MS, describeWithAwsCli } from '../../support/aws-cli';

jest.setTimeout(CLI_TIMEOUT_MS * 4);

const empty = useEmptyCloud();

const aws = (...args: string[]): Promise<string> =>
  awsCli(empty.cloud.endpoints.aws, empty.cloud.adminCredentials, ...args);

const TRUST: unknown = JSON.parse(trustPolicy('lambda.amazonaws.com'));

describeWithAwsCli('aws iam and aws sts with --endpoint-url', () => {
  it('get-caller-identity names the account root', async () => {
    const identity = JSON.parse(await aws('sts', 'get-caller-identity')) as Record<string, string>;
    expect(identity).toEqual({
      UserId: '000000000000',
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
    });
  });

  it('create-role from a file, get-role, put-role-policy and delete-role', async () => {
    // Given a trust policy in a file, as the CLI's users pass it
    const trustFile = join(empty.dataDir, 'trust.json');
    writeFileSync(trustFile, JSON.stringify(TRUST, null, 2));

    // When a role is created, read, given a policy, then emptied and deleted
    const created = JSON.parse(
      await aws(
        'iam',
        'create-role',
        '--role-name',
        'cli-role',
        '--assume-role-policy-document',
        `file://${trustFile}`,
      ),
    ) as { Role: { Arn: string } };
    const read = JSON.parse(await aws('iam', 'get-role', '--role-name', 'cli-role')) as {
      Role: { AssumeRolePolicyDocument: unknown };
    };
    await aws(
      'iam',
      'put-role-policy',
      '--role-name',
      'cli-role',
      '--policy-name',
      'send',
      '--policy-document',
      allowPolicy('sqs:SendMessage'),
    );
    const refused = aws('iam', 'delete-role', '--role-name', 'cli-role');
    await expect(refused).rejects.toThrow(/DeleteConflict/);
    await aws('iam', 'delete-role-policy', '--role-name', 'cli-role', '--policy-name', 'send');
    await aws('iam', 'delete-role', '--role-name', 'cli-role');

    // Then each step did what the CLI says, and the role is gone
    expect(created.Role.Arn).toBe('arn:aws:iam::000000000000:role/cli-role');
    // The CLI decodes the URL-encoded document into JSON, as against AWS.
    expect(read.Role.AssumeRolePolicyDocument).toEqual(TRUST);
    await expect(aws('iam', 'get-role', '--role-name', 'cli-role')).rejects.toThrow(/NoSuchEntity/);
  });
});
