import { trustsService } from '../../src/iam/role-trust';
import type { PolicyDocument, RoleSpec } from '../../src/stack/topology';

function roleTrusting(document: PolicyDocument): RoleSpec {
  return {
    address: 'arn:aws:iam::000000000000:role/worker',
    name: 'worker',
    arn: 'arn:aws:iam::000000000000:role/worker',
    assumeRolePolicy: document,
    inlinePolicies: {},
    managedPolicyArns: [],
  };
}

const lambdaTrust: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
};

describe('a role trust policy', () => {
  it('lets the service it names assume the role', () => {
    expect(trustsService(roleTrusting(lambdaTrust), 'lambda.amazonaws.com')).toBe(true);
  });

  it('does not let another service assume the role', () => {
    expect(trustsService(roleTrusting(lambdaTrust), 'states.amazonaws.com')).toBe(false);
  });

  it('does not let a service assume the role when a statement denies it', () => {
    const role = roleTrusting({
      Version: '2012-10-17',
      Statement: [
        ...(lambdaTrust.Statement as PolicyDocument[]),
        { Effect: 'Deny', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:*' },
      ],
    });

    expect(trustsService(role, 'lambda.amazonaws.com')).toBe(false);
  });
});
