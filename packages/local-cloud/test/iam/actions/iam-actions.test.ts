/**
 * IAM's and STS's query-protocol actions as IAM sees them (src/iam/actions/iam-actions.ts),
 * through authorizationsFor: the requests are the real ones the SDK's IAMClient and STSClient send
 * to a recording endpoint (see ../support/sdk-requests.ts).
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetPolicyCommand,
  IAMClient,
  ListRolesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { only, recordSdkRequests } from '../support/sdk-requests';

const ACCOUNT = '123456789012';
const POLICY = `arn:aws:iam::${ACCOUNT}:policy/send`;

const sdk = recordSdkRequests();
const { authorizationsOf } = sdk;
let iam: IAMClient;
let sts: STSClient;

beforeAll(() => {
  iam = sdk.client((config) => new IAMClient(config));
  sts = sdk.client((config) => new STSClient(config));
});

describe('IAM', () => {
  it('authorizes CreateRole on the role it would create, with its path', async () => {
    const authorizations = await authorizationsOf(() =>
      iam.send(
        new CreateRoleCommand({ RoleName: 'fn', Path: '/app/', AssumeRolePolicyDocument: '{}' }),
      ),
    );
    expect(authorizations).toEqual(only('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/app/fn`));
  });

  it('authorizes PutRolePolicy on the role', async () => {
    const authorizations = await authorizationsOf(() =>
      iam.send(new PutRolePolicyCommand({ RoleName: 'fn', PolicyName: 'p', PolicyDocument: '{}' })),
    );
    expect(authorizations).toEqual(only('iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/fn`));
  });

  it('authorizes AttachRolePolicy on the role', async () => {
    const authorizations = await authorizationsOf(() =>
      iam.send(new AttachRolePolicyCommand({ RoleName: 'fn', PolicyArn: POLICY })),
    );
    expect(authorizations).toEqual(only('iam:AttachRolePolicy', `arn:aws:iam::${ACCOUNT}:role/fn`));
  });

  it('authorizes CreatePolicy and GetPolicy on the policy', async () => {
    const create = await authorizationsOf(() =>
      iam.send(new CreatePolicyCommand({ PolicyName: 'send', PolicyDocument: '{}' })),
    );
    const get = await authorizationsOf(() => iam.send(new GetPolicyCommand({ PolicyArn: POLICY })));
    expect(create).toEqual(only('iam:CreatePolicy', POLICY));
    expect(get).toEqual(only('iam:GetPolicy', POLICY));
  });

  it('authorizes ListRoles on every resource', async () => {
    const authorizations = await authorizationsOf(() => iam.send(new ListRolesCommand({})));
    expect(authorizations).toEqual(only('iam:ListRoles', '*'));
  });
});

describe('STS', () => {
  it('needs no authorization for GetCallerIdentity', async () => {
    const authorizations = await authorizationsOf(() => sts.send(new GetCallerIdentityCommand({})));
    expect(authorizations).toEqual([]);
  });

  it('authorizes another action as sts:<Action> on every resource', async () => {
    const authorizations = await authorizationsOf(() =>
      sts.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/fn`, RoleSessionName: 's' }),
      ),
    );
    expect(authorizations).toEqual(only('sts:AssumeRole', '*'));
  });
});
