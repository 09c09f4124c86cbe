/**
 * Managed policies through the SDK v3 IAM client against an empty local cloud: customer policies
 * with their versions, AWS managed policies read, and IAM's refusals.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import { allowPolicy, trustPolicy } from '../../support/policy-documents';
import { useEmptyCloud } from '../../support/in-process-cloud';

const empty = useEmptyCloud();
let iam: IAMClient;

beforeAll(() => {
  iam = empty.client(IAMClient);
});

const allow = allowPolicy;

let counter = 0;
async function createPolicy(action = 'sqs:SendMessage') {
  counter += 1;
  const { Policy } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: `policy-${counter}`,
      PolicyDocument: allow(action),
      Description: 'a test policy',
      Tags: [{ Key: 'team', Value: 'web' }],
    }),
  );
  return Policy?.Arn ?? '';
}

describe('customer managed policies', () => {
  it('CreatePolicy makes version v1, which GetPolicy and GetPolicyVersion read back', async () => {
    // Given a policy
    const PolicyArn = await createPolicy();

    // When it and its default version are read
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn }));
    const { PolicyVersion } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn, VersionId: 'v1' }),
    );

    // Then they are what was created
    expect(PolicyArn).toBe(`arn:aws:iam::000000000000:policy/${Policy?.PolicyName}`);
    expect(Policy).toMatchObject({
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      Description: 'a test policy',
      Tags: [{ Key: 'team', Value: 'web' }],
      IsAttachable: true,
      Path: '/',
    });
    expect(Policy?.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    expect(PolicyVersion).toMatchObject({ VersionId: 'v1', IsDefaultVersion: true });
    expect(decodeURIComponent(PolicyVersion?.Document ?? '')).toBe(allow('sqs:SendMessage'));
  });

  it('CreatePolicyVersion with SetAsDefault makes the new version the default', async () => {
    const PolicyArn = await createPolicy();
    const { PolicyVersion } = await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn,
        PolicyDocument: allow('sqs:ReceiveMessage'),
        SetAsDefault: true,
      }),
    );
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn }));
    const { Versions } = await iam.send(new ListPolicyVersionsCommand({ PolicyArn }));
    expect(PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    expect(Policy?.DefaultVersionId).toBe('v2');
    expect(
      Versions?.map(({ VersionId, IsDefaultVersion }) => [VersionId, IsDefaultVersion]),
    ).toEqual([
      ['v2', true],
      ['v1', false],
    ]);
  });

  it('refuses a sixth version as LimitExceeded', async () => {
    const PolicyArn = await createPolicy();
    for (let version = 2; version <= 5; version += 1) {
      await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn,
          PolicyDocument: allow(`sqs:Action${version}`),
        }),
      );
    }
    await expect(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn, PolicyDocument: allow('sqs:More') })),
    ).rejects.toMatchObject({
      name: 'LimitExceededException',
      message:
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      $metadata: { httpStatusCode: 409 },
    });
  });

  it('refuses to delete the default version', async () => {
    const PolicyArn = await createPolicy();
    await expect(
      iam.send(new DeletePolicyVersionCommand({ PolicyArn, VersionId: 'v1' })),
    ).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete the default version of a policy.',
    });
  });

  it('refuses to delete a policy a role attaches, which ListEntitiesForPolicy names', async () => {
    // Given a policy attached to a role
    const PolicyArn = await createPolicy();
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'attaching',
        AssumeRolePolicyDocument: trustPolicy('lambda.amazonaws.com'),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'attaching', PolicyArn }));
    const { PolicyRoles } = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn }));
    expect(PolicyRoles?.map(({ RoleName }) => RoleName)).toEqual(['attaching']);

    // When it is deleted
    const deleting = iam.send(new DeletePolicyCommand({ PolicyArn }));

    // Then IAM refuses
    await expect(deleting).rejects.toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete a policy attached to entities.',
      $metadata: { httpStatusCode: 409 },
    });
  });

  it('deletes a policy with one version', async () => {
    const PolicyArn = await createPolicy();
    await iam.send(new DeletePolicyCommand({ PolicyArn }));
    await expect(iam.send(new GetPolicyCommand({ PolicyArn }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: `Policy ${PolicyArn} does not exist or is not attachable.`,
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('refuses a policy that names a principal as MalformedPolicyDocument', async () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }],
    });
    await expect(
      iam.send(new CreatePolicyCommand({ PolicyName: 'with-principal', PolicyDocument: document })),
    ).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Policy document should not specify a principal.',
    });
  });
});

describe('AWS managed policies', () => {
  it('GetPolicy and GetPolicyVersion read the text of one the local cloud knows', async () => {
    const PolicyArn = 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs';
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn }));
    const { PolicyVersion } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn, VersionId: Policy?.DefaultVersionId }),
    );
    expect(Policy).toMatchObject({
      PolicyName: 'AmazonAPIGatewayPushToCloudWatchLogs',
      Path: '/service-role/',
      Arn: PolicyArn,
    });
    const document = JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? '')) as {
      Statement: { Action: string[] }[];
    };
    expect(document.Statement[0]?.Action).toContain('logs:PutLogEvents');
  });
});
