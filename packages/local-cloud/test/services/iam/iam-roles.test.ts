/**
 * IAM roles through the SDK v3 IAM client against an empty local cloud: create, read, update, tag,
 * inline and attached policies, delete, and IAM's errors for what it refuses.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { allowPolicy, trustPolicy } from '../../support/policy-documents';
import { useEmptyCloud } from '../../support/in-process-cloud';

const empty = useEmptyCloud();
let iam: IAMClient;

beforeAll(() => {
  iam = empty.client(IAMClient);
});

const TRUST = trustPolicy('lambda.amazonaws.com');

const POLICY = allowPolicy('sqs:SendMessage');

let counter = 0;
/** A role of its own for each test. */
async function createRole(extra: Partial<{ Path: string; Description: string }> = {}) {
  counter += 1;
  const RoleName = `role-${counter}`;
  const { Role } = await iam.send(
    new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: TRUST, ...extra }),
  );
  return { RoleName, Role };
}

describe('CreateRole and GetRole', () => {
  it('create a role that GetRole reads back with its trust policy URL-encoded', async () => {
    // Given a role created with a path and a description
    const { RoleName, Role } = await createRole({ Path: '/service/', Description: 'for tests' });

    // When it is read back
    const { Role: read } = await iam.send(new GetRoleCommand({ RoleName }));

    // Then it is the role created, with IAM's ARN, id and defaults
    expect(Role?.Arn).toBe(`arn:aws:iam::000000000000:role/service/${RoleName}`);
    expect(read).toMatchObject({
      RoleName,
      Path: '/service/',
      Arn: Role?.Arn,
      RoleId: Role?.RoleId,
      Description: 'for tests',
      MaxSessionDuration: 3600,
    });
    expect(read?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(read?.CreateDate).toBeInstanceOf(Date);
    expect(read?.AssumeRolePolicyDocument).toBe(encodeURIComponent(TRUST));
  });

  it('refuses a second role of the same name as EntityAlreadyExists (409)', async () => {
    // Given a role
    const { RoleName } = await createRole();

    // When another is created with its name
    const creating = iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: TRUST }));

    // Then IAM refuses it
    await expect(creating).rejects.toMatchObject({
      name: 'EntityAlreadyExistsException',
      message: `Role with name ${RoleName} already exists.`,
      $metadata: { httpStatusCode: 409 },
    });
  });

  it('answers NoSuchEntity (404) for a role that does not exist', async () => {
    await expect(iam.send(new GetRoleCommand({ RoleName: 'nobody' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name nobody cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('refuses a trust policy that is not JSON as MalformedPolicyDocument', async () => {
    const creating = iam.send(
      new CreateRoleCommand({ RoleName: 'broken', AssumeRolePolicyDocument: '{not json' }),
    );
    await expect(creating).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'This policy contains invalid Json',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses a trust policy that names no principal', async () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }],
    });
    const creating = iam.send(
      new CreateRoleCommand({ RoleName: 'no-principal', AssumeRolePolicyDocument: document }),
    );
    await expect(creating).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Missing required field Principal',
    });
  });

  it('refuses a role name with a slash as a ValidationError', async () => {
    const creating = iam.send(
      new CreateRoleCommand({ RoleName: '../admin', AssumeRolePolicyDocument: TRUST }),
    );
    await expect(creating).rejects.toMatchObject({
      name: 'ValidationError',
      message:
        "1 validation error detected: Value '../admin' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('updating a role', () => {
  it('UpdateRole changes the description and the maximum session duration', async () => {
    const { RoleName } = await createRole();
    await iam.send(
      new UpdateRoleCommand({ RoleName, Description: 'changed', MaxSessionDuration: 7200 }),
    );
    const { Role } = await iam.send(new GetRoleCommand({ RoleName }));
    expect(Role).toMatchObject({ Description: 'changed', MaxSessionDuration: 7200 });
  });

  it('UpdateAssumeRolePolicy replaces the trust policy', async () => {
    const { RoleName } = await createRole();
    const trust = TRUST.replace('lambda', 'states');
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: trust }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName }));
    expect(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '')).toBe(trust);
  });

  it('tags and untags a role, which GetRole and ListRoleTags show', async () => {
    const { RoleName } = await createRole();
    await iam.send(
      new TagRoleCommand({
        RoleName,
        Tags: [
          { Key: 'team', Value: 'web' },
          { Key: 'stage', Value: 'local' },
        ],
      }),
    );
    await iam.send(new UntagRoleCommand({ RoleName, TagKeys: ['stage'] }));
    const { Tags } = await iam.send(new ListRoleTagsCommand({ RoleName }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName }));
    expect(Tags).toEqual([{ Key: 'team', Value: 'web' }]);
    expect(Role?.Tags).toEqual([{ Key: 'team', Value: 'web' }]);
  });

  it('lists the roles under a path prefix', async () => {
    const { RoleName } = await createRole({ Path: '/listed/' });
    const { Roles, IsTruncated } = await iam.send(new ListRolesCommand({ PathPrefix: '/listed/' }));
    expect(Roles?.map((role) => role.RoleName)).toEqual([RoleName]);
    expect(IsTruncated).toBe(false);
  });

  it('a role is in no instance profile', async () => {
    const { RoleName } = await createRole();
    const { InstanceProfiles } = await iam.send(
      new ListInstanceProfilesForRoleCommand({ RoleName }),
    );
    expect(InstanceProfiles).toEqual([]);
  });
});

describe("a role's inline policies", () => {
  it('PutRolePolicy stores a policy GetRolePolicy and ListRolePolicies read back', async () => {
    const { RoleName } = await createRole();
    await iam.send(
      new PutRolePolicyCommand({ RoleName, PolicyName: 'send', PolicyDocument: POLICY }),
    );
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: 'send' }));
    const { PolicyNames } = await iam.send(new ListRolePoliciesCommand({ RoleName }));
    expect(policy).toMatchObject({ RoleName, PolicyName: 'send' });
    expect(JSON.parse(decodeURIComponent(policy.PolicyDocument ?? ''))).toEqual(JSON.parse(POLICY));
    expect(PolicyNames).toEqual(['send']);
  });

  it('refuses a statement without a resource as MalformedPolicyDocument', async () => {
    const { RoleName } = await createRole();
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage' }],
    });
    const putting = iam.send(
      new PutRolePolicyCommand({ RoleName, PolicyName: 'bad', PolicyDocument: document }),
    );
    await expect(putting).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Policy statement must contain resources.',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers NoSuchEntity for an inline policy the role does not have', async () => {
    const { RoleName } = await createRole();
    await expect(
      iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: 'none' })),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role policy with name none cannot be found.',
    });
  });
});

describe('deleting a role', () => {
  const MANAGED = 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs';

  it('refuses while a managed policy is attached, as DeleteConflict (409)', async () => {
    // Given a role with an AWS managed policy attached
    const { RoleName } = await createRole();
    await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: MANAGED }));
    const { AttachedPolicies } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }));
    expect(AttachedPolicies).toEqual([
      { PolicyName: 'AmazonAPIGatewayPushToCloudWatchLogs', PolicyArn: MANAGED },
    ]);

    // When it is deleted
    const deleting = iam.send(new DeleteRoleCommand({ RoleName }));

    // Then IAM refuses, and the role stays
    await expect(deleting).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must detach all policies first.',
      $metadata: { httpStatusCode: 409 },
    });
    await expect(iam.send(new GetRoleCommand({ RoleName }))).resolves.toBeDefined();
  });

  it('refuses while an inline policy remains', async () => {
    const { RoleName } = await createRole();
    await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: 'p', PolicyDocument: POLICY }));
    await expect(iam.send(new DeleteRoleCommand({ RoleName }))).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete policies first.',
    });
  });

  it('deletes it once its policies are detached and deleted', async () => {
    // Given a role whose policies were removed
    const { RoleName } = await createRole();
    await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: MANAGED }));
    await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: 'p', PolicyDocument: POLICY }));
    await iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: MANAGED }));
    await iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: 'p' }));

    // When it is deleted
    await iam.send(new DeleteRoleCommand({ RoleName }));

    // Then it is gone
    await expect(iam.send(new GetRoleCommand({ RoleName }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
  });

  it('answers NoSuchEntity for detaching a policy that is not attached', async () => {
    const { RoleName } = await createRole();
    await expect(
      iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: MANAGED })),
    ).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${MANAGED} was not found.`,
    });
  });
});
