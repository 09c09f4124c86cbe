/**
 * What IAM's control plane wrote survives a restart of an empty cloud on the same data directory
 * (`npm start -- --empty` again): roles with their policies and customer managed policies.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { allowPolicy, trustPolicy } from '../../support/policy-documents';
import { useEmptyCloud } from '../../support/in-process-cloud';

const empty = useEmptyCloud({ prefix: 'iam-restart-' });

const TRUST = trustPolicy('states.amazonaws.com');
const POLICY = allowPolicy('lambda:InvokeFunction');

it('a role, its policies and a customer policy are there after a restart', async () => {
  // Given a role with an inline policy and an attached customer policy, on a cloud then stopped
  const before = empty.client(IAMClient);
  const { Role } = await before.send(
    new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: TRUST }),
  );
  await before.send(
    new PutRolePolicyCommand({ RoleName: 'kept', PolicyName: 'invoke', PolicyDocument: POLICY }),
  );
  const { Policy } = await before.send(
    new CreatePolicyCommand({ PolicyName: 'kept-policy', PolicyDocument: POLICY }),
  );
  const PolicyArn = Policy?.Arn ?? '';
  await before.send(new AttachRolePolicyCommand({ RoleName: 'kept', PolicyArn }));

  // When the cloud starts again, empty, on the same data directory
  await empty.restart();
  const after = empty.client(IAMClient);

  // Then all of it reads back as it was
  const { Role: read } = await after.send(new GetRoleCommand({ RoleName: 'kept' }));
  expect(read).toMatchObject({ Arn: Role?.Arn, RoleId: Role?.RoleId });
  const inline = await after.send(
    new GetRolePolicyCommand({ RoleName: 'kept', PolicyName: 'invoke' }),
  );
  expect(decodeURIComponent(inline.PolicyDocument ?? '')).toBe(POLICY);
  const { AttachedPolicies } = await after.send(
    new ListAttachedRolePoliciesCommand({ RoleName: 'kept' }),
  );
  expect(AttachedPolicies?.map(({ PolicyArn: arn }) => arn)).toEqual([PolicyArn]);
  const { Policy: policy } = await after.send(new GetPolicyCommand({ PolicyArn }));
  expect(policy).toMatchObject({ PolicyId: Policy?.PolicyId, AttachmentCount: 1 });
});
