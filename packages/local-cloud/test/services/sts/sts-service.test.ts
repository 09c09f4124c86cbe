/**
 * STS GetCallerIdentity on the local cloud's AWS endpoint: what the SDK v3 STS client and
 * Terraform's AWS provider ask first, answered for the administrator's key pair and for the key
 * pair of a function or state machine.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Credentials } from '../../../src/credentials';
import { useFixtureCloud } from '../../support/in-process-cloud';

// The Terraform run starts the provider (seconds, more on a busy machine).
jest.setTimeout(180_000);

const fixture = useFixtureCloud();

const sts = (credentials: Credentials): STSClient => fixture.client(STSClient, credentials);

describe('GetCallerIdentity', () => {
  it('answers the account root for the administrator key pair', async () => {
    // Given the administrator's key pair
    const client = sts(fixture.cloud.adminCredentials);

    // When the SDK asks who it is
    const identity = await client.send(new GetCallerIdentityCommand({}));

    // Then it is the account's root
    expect(identity).toMatchObject({
      UserId: '000000000000',
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
    });
    expect(identity.$metadata.requestId).toBeTruthy();
  });

  it("answers a function's assumed-role session for the function's key pair", async () => {
    // Given the key pair the get-item function signs with
    const client = sts(fixture.cloud.credentialsFor('function', 'serverless-week-e2e-get-item'));
    const fn = fixture.cloud.topology.functions.find(
      ({ name }) => name === 'serverless-week-e2e-get-item',
    );
    const roleName = fn?.roleArn.split('/').pop() ?? '';

    // When it asks who it is
    const identity = await client.send(new GetCallerIdentityCommand({}));

    // Then it is a session of its execution role, named after the function
    expect(identity.Account).toBe('000000000000');
    expect(identity.Arn).toBe(
      `arn:aws:sts::000000000000:assumed-role/${roleName}/serverless-week-e2e-get-item`,
    );
    expect(identity.UserId).toMatch(/^AROA[A-Z2-7]{17}:serverless-week-e2e-get-item$/);
  });

  it("answers a state machine's assumed-role session for its key pair", async () => {
    // Given the key pair the publish-item state machine signs with
    const name = 'serverless-week-e2e-publish-item';
    const client = sts(fixture.cloud.credentialsFor('state-machine', name));

    // When it asks who it is
    const identity = await client.send(new GetCallerIdentityCommand({}));

    // Then it is a session of the state machine's role
    expect(identity.Arn).toMatch(
      new RegExp(`^arn:aws:sts::000000000000:assumed-role/[^/]+/${name}$`),
    );
  });

  it('refuses a key pair the local cloud never issued, as InvalidClientTokenId', async () => {
    // Given a key nobody issued
    const client = sts({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'nope' });

    // When it asks who it is
    const asking = client.send(new GetCallerIdentityCommand({}));

    // Then STS refuses the token, with its 403
    await expect(asking).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('tells Terraform the account, as the aws_caller_identity data source reads it', async () => {
    // Given a plain configuration reading the caller's identity
    const terraform = await fixture.terraform({
      data: { aws_caller_identity: { current: {} } },
      output: {
        account: { value: '${data.aws_caller_identity.current.account_id}' },
        arn: { value: '${data.aws_caller_identity.current.arn}' },
      },
    });

    // When Terraform applies it
    const apply = await terraform.apply();

    // Then the account and ARN are the local cloud's
    expect(apply.exitCode).toBe(0);
    expect(await terraform.outputs()).toEqual({
      account: '000000000000',
      arn: 'arn:aws:iam::000000000000:root',
    });
  });
});
