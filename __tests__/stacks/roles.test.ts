import { Testing, TerraformStack } from 'cdktf';
import { allow } from '../../stacks/lib/policy';
import type { PolicyStatement } from '../../stacks/lib/policy';
import { inlinePolicy, serviceRole } from '../../stacks/lib/roles';
import { trustStatementsOf, parseSynth } from '../support/synth';

interface RolePolicyBlock {
  name: string;
  '//'?: { wildcard_reasons?: Record<string, string> };
}

/** The raw Terraform JSON, "//" comments included (Testing.synth strips them). */
function rawRolePolicies(statements: PolicyStatement[]): RolePolicyBlock[] {
  const stack = new TerraformStack(Testing.app(), 'stack');
  const role = serviceRole(stack, 'role', {
    name: 'runner',
    description: 'Runs things',
    service: 'states.amazonaws.com',
    trustId: 'trust',
  });
  inlinePolicy(stack, 'permissions', { role, statements, documentId: 'policy' });
  const json = stack.toTerraform() as { resource: { aws_iam_role_policy: object } };
  return Object.values(json.resource.aws_iam_role_policy) as RolePolicyBlock[];
}

describe('serviceRole', () => {
  it('can be assumed by its service only', () => {
    const synthesized = Testing.synthScope((scope) => {
      serviceRole(scope, 'role', {
        name: 'runner',
        description: 'Runs things',
        service: 'lambda.amazonaws.com',
        trustId: 'trust',
      });
    });
    const role = Object.keys(parseSynth(synthesized).resource?.aws_iam_role ?? {})[0] ?? '';

    expect(trustStatementsOf(synthesized, `aws_iam_role.${role}`)).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
      },
    ]);
  });
});

describe('inlinePolicy', () => {
  it('keeps the reason for each * resource beside the policy, as a Terraform JSON comment', () => {
    // given a statement that needs resource *, with its reason
    const statements = [
      allow(['sns:Publish'], ['arn:aws:sns:eu-west-1:1:events']),
      allow(['logs:DescribeLogGroups'], ['*'], {
        sid: 'DeliverLogs',
        wildcardReason: 'no resource-level permissions',
      }),
    ];

    // when the policy is synthesized, then the reason is in its "//" comment
    const [policy] = rawRolePolicies(statements);
    expect(policy?.name).toBe('least-privilege');
    expect(policy?.['//']?.wildcard_reasons).toEqual({
      DeliverLogs: 'no resource-level permissions',
    });
  });

  it('adds no comment when no statement needs a * resource', () => {
    const [policy] = rawRolePolicies([allow(['sqs:SendMessage'], ['arn:aws:sqs:eu-west-1:1:q'])]);
    expect(policy?.['//']?.wildcard_reasons).toBeUndefined();
  });
});
