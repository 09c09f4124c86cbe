/**
 * Terraform's AWS provider (5.100.0) applies, plans and destroys IAM roles, inline policies,
 * attachments and customer managed policies against an empty local cloud, with a user's plain
 * provider block: what it creates reads back exactly (no drift), and destroy leaves nothing.
 */
import { LocalTerraform } from '@serverless-week/test-support';
import { allowPolicy, trustPolicy } from '../../support/policy-documents';
import { useEmptyCloud } from '../../support/in-process-cloud';

// Each Terraform command starts the provider (seconds each, more on a busy machine).
jest.setTimeout(180_000);

const empty = useEmptyCloud();

const target = () => ({
  aws: empty.cloud.endpoints.aws,
  credentials: empty.cloud.adminCredentials,
});

const TRUST = trustPolicy('lambda.amazonaws.com');

const allow = allowPolicy;

/**
 * Roles of the stack's kinds (a function's with its least-privilege policy, API Gateway's with an
 * AWS managed policy), and what users add: tags, an inline_policy block, a customer policy.
 */
const CONFIGURATION = {
  resource: {
    aws_iam_role: {
      fn: {
        name: 'tf-fn-role',
        description: 'a function role',
        assume_role_policy: TRUST,
        tags: { team: 'web' },
      },
      // inline_policy manages all of a role's inline policies: not with aws_iam_role_policy.
      api: {
        name: 'tf-api-role',
        assume_role_policy: TRUST.replace('lambda', 'apigateway'),
        inline_policy: [{ name: 'inline-logs', policy: allow('logs:PutLogEvents') }],
      },
    },
    aws_iam_role_policy: {
      least: {
        name: 'least-privilege',
        role: '${aws_iam_role.fn.id}',
        policy: allow('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/items'),
      },
    },
    aws_iam_policy: {
      queue: {
        name: 'tf-send-messages',
        description: 'send to the queue',
        policy: allow('sqs:SendMessage'),
      },
    },
    aws_iam_role_policy_attachment: {
      cloudwatch: {
        role: '${aws_iam_role.api.name}',
        policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
      },
      queue: { role: '${aws_iam_role.fn.name}', policy_arn: '${aws_iam_policy.queue.arn}' },
    },
  },
  output: {
    role_arn: { value: '${aws_iam_role.fn.arn}' },
    policy_arn: { value: '${aws_iam_policy.queue.arn}' },
  },
};

describe('roles, inline policies, attachments and a customer policy', () => {
  let terraform: LocalTerraform;

  beforeAll(async () => {
    terraform = await LocalTerraform.create(target(), CONFIGURATION);
  });

  afterAll(() => terraform?.remove());

  it('apply creates them all', async () => {
    // When Terraform applies the configuration
    const apply = await terraform.apply();

    // Then every resource is created, with IAM's ARNs
    expect(apply.output).toContain('Apply complete! Resources: 6 added');
    expect(apply.exitCode).toBe(0);
    expect(await terraform.outputs()).toEqual({
      role_arn: 'arn:aws:iam::000000000000:role/tf-fn-role',
      policy_arn: 'arn:aws:iam::000000000000:policy/tf-send-messages',
    });
    const role = empty.cloud.resources.get('roles', 'arn:aws:iam::000000000000:role/tf-fn-role');
    expect(Object.keys(role?.inlinePolicies ?? {})).toEqual(['least-privilege']);
    expect(role?.managedPolicyArns).toEqual(['arn:aws:iam::000000000000:policy/tf-send-messages']);
    expect(role?.tags).toEqual({ team: 'web' });
  });

  it('plan right after finds nothing to change', async () => {
    const plan = await terraform.plan();
    expect(plan.output).toContain('No changes.');
    expect(plan.exitCode).toBe(0);
  });

  it('an update of a role, its policy and a customer policy applies, then plans nothing', async () => {
    // Given the configuration changed: a role's description and tags, a policy's text, the
    // customer policy's text (a new default version)
    const changed = structuredClone(CONFIGURATION);
    changed.resource.aws_iam_role.fn.description = 'changed';
    changed.resource.aws_iam_role.fn.tags = { team: 'api' };
    changed.resource.aws_iam_role_policy.least.policy = allow('dynamodb:Query');
    changed.resource.aws_iam_policy.queue.policy = allow('sqs:SendMessageBatch');
    terraform.configure(target(), changed);

    // When Terraform applies it, and plans again
    const apply = await terraform.apply();
    const plan = await terraform.plan();

    // Then the changes are made in place, and read back as set
    expect(apply.output).toContain('Apply complete! Resources: 0 added, 3 changed, 0 destroyed.');
    expect(plan.exitCode).toBe(0);
    const policy = empty.cloud.resources.get(
      'managedPolicies',
      'arn:aws:iam::000000000000:policy/tf-send-messages',
    );
    expect(policy?.versions?.map(({ id, isDefault }) => [id, isDefault])).toEqual([
      ['v1', false],
      ['v2', true],
    ]);
  });

  it('destroy removes every role and policy', async () => {
    const destroy = await terraform.destroy();
    expect(destroy.exitCode).toBe(0);
    expect(empty.cloud.topology.roles).toEqual([]);
    expect(empty.cloud.topology.managedPolicies).toEqual([]);
  });
});

describe('a malformed policy', () => {
  let terraform: LocalTerraform;

  beforeAll(async () => {
    // A role policy whose statement names no resource (valid JSON: the provider sends it).
    terraform = await LocalTerraform.create(target(), {
      resource: {
        aws_iam_role: { broken: { name: 'tf-broken-role', assume_role_policy: TRUST } },
        aws_iam_role_policy: {
          broken: {
            name: 'no-resource',
            role: '${aws_iam_role.broken.id}',
            policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage' }],
            }),
          },
        },
      },
    });
  });

  afterAll(async () => {
    await terraform?.destroy();
    terraform?.remove();
  });

  it('fails the apply of aws_iam_role_policy with MalformedPolicyDocument', async () => {
    // When Terraform applies it
    const apply = await terraform.apply();

    // Then IAM's refusal fails the apply, in its words
    expect(apply.exitCode).toBe(1);
    expect(apply.output).toContain('MalformedPolicyDocument');
    expect(apply.output).toContain('Policy statement must contain resources.');
  });
});
