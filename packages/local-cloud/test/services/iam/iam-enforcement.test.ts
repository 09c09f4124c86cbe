/**
 * The IAM engine judges every request by the roles and policies as they are now: what the IAM
 * control plane puts, attaches, detaches or deletes counts from the role's next request, and a
 * function that appears after the boot signs with a key of its own, as its role.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { allowPolicy } from '../../support/policy-documents';
import { useFixtureCloud } from '../../support/in-process-cloud';

jest.setTimeout(60_000);

const fixture = useFixtureCloud();

const admin = (): IAMClient => fixture.client(IAMClient);

const FUNCTION = 'serverless-week-e2e-get-item';
const ROLE = 'serverless-week-e2e-get-item';

/** The get-item function lists the queues, signing with its own key. */
const listQueuesAsFunction = () =>
  fixture
    .client(SQSClient, fixture.cloud.credentialsFor('function', FUNCTION))
    .send(new ListQueuesCommand({}));

const LIST_QUEUES = allowPolicy('sqs:ListQueues');

describe("a role's policies, changed through IAM", () => {
  it('an inline policy put on a role allows its next request, and no longer once deleted', async () => {
    // Given a function whose role's policies do not allow listing queues
    await expect(listQueuesAsFunction()).rejects.toMatchObject({ name: 'AccessDenied' });

    // When a policy allowing it is put on the role
    await admin().send(
      new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'list', PolicyDocument: LIST_QUEUES }),
    );

    // Then the function's next request is allowed
    await expect(listQueuesAsFunction()).resolves.toBeDefined();

    // And once the policy is deleted, refused again
    await admin().send(new DeleteRolePolicyCommand({ RoleName: ROLE, PolicyName: 'list' }));
    await expect(listQueuesAsFunction()).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('a customer policy attached to the role allows, and stops allowing once detached', async () => {
    // Given a customer managed policy that allows listing queues
    const { Policy } = await admin().send(
      new CreatePolicyCommand({ PolicyName: 'list-queues', PolicyDocument: LIST_QUEUES }),
    );
    const PolicyArn = Policy?.Arn ?? '';

    // When it is attached to the function's role
    await admin().send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn }));

    // Then the function may list queues
    await expect(listQueuesAsFunction()).resolves.toBeDefined();

    // And once detached, it may not
    await admin().send(new DetachRolePolicyCommand({ RoleName: ROLE, PolicyArn }));
    await expect(listQueuesAsFunction()).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it("refuses a function's IAM request its role does not allow, in IAM's XML", async () => {
    // Given the get-item function's key
    const iam = fixture.client(IAMClient, fixture.cloud.credentialsFor('function', FUNCTION));

    // When it tries to create a role
    const creating = iam.send(
      new CreateRoleCommand({ RoleName: 'escalate', AssumeRolePolicyDocument: LIST_QUEUES }),
    );

    // Then IAM refuses it, naming the action and the role it would have created
    await expect(creating).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(creating).rejects.toThrow(
      /is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::000000000000:role\/escalate/,
    );
  });
});

describe('a function that appears after the boot', () => {
  it('signs with a key of its own, as a session of its role', async () => {
    // Given a function added to the registry after the boot (as Lambda's CreateFunction does)
    const template = fixture.cloud.topology.functions.find(({ name }) => name === FUNCTION);
    if (!template) throw new Error('the fixture stack has no get-item function');
    const name = 'deployed-later';
    const arn = template.arn.replace(FUNCTION, name);
    fixture.cloud.resources.put('functions', { ...template, name, arn, address: arn });

    // When it asks STS who it is with the key the cloud gives it
    const sts = fixture.client(STSClient, fixture.cloud.credentialsFor('function', name));
    const identity = await sts.send(new GetCallerIdentityCommand({}));

    // Then it is a session of its role
    expect(identity.Arn).toBe(`arn:aws:sts::000000000000:assumed-role/${ROLE}/${name}`);
  });
});
