import type {
  EvaluationRequest,
  LabelledPolicy,
  PolicySet,
  Principal,
} from '../../src/iam/access-types';
import { evaluate, validatePolicy } from '../../src/iam/policy-evaluation';
import type { PolicyDocument } from '../../src/stack/topology';

/**
 * AWS's policy evaluation logic for a request within one account, specified by the IAM User
 * Guide ("Policy evaluation logic", "NotAction", "NotResource", "Resource", "Principal", "Policy
 * variables") and its example policies.
 */

const ACCOUNT = '111122223333';
const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';
const FUNCTION = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:resize`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/resize-role`;
const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/resize-role/resize`;

const role: Principal = {
  kind: 'role',
  roleArn: ROLE_ARN,
  sessionArn: SESSION_ARN,
  accountId: ACCOUNT,
};
const otherRole: Principal = {
  kind: 'role',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/other-role`,
  sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/other-role/other`,
  accountId: ACCOUNT,
};
const admin: Principal = {
  kind: 'account-admin',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:root`,
};
const s3Service: Principal = { kind: 'service', service: 's3.amazonaws.com' };
const anonymous: Principal = { kind: 'anonymous' };

const IDENTITY_LABEL = 'inline policy least-privilege of role resize-role';
const RESOURCE_LABEL = 'bucket policy of amzn-s3-demo-bucket';

const identityPolicy = (document: PolicyDocument, label = IDENTITY_LABEL): LabelledPolicy => ({
  label,
  kind: 'identity',
  document,
});
const resourcePolicy = (document: PolicyDocument, label = RESOURCE_LABEL): LabelledPolicy => ({
  label,
  kind: 'resource',
  document,
});

function request(
  action: string,
  resource: string,
  principal: Principal = role,
  conditionKeys: Record<string, string | string[]> = {},
): EvaluationRequest {
  return { principal, action, resource, conditionKeys };
}

const only = (...identityPolicies: LabelledPolicy[]): PolicySet => ({ identityPolicies });

const readObjects: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` }],
};

describe('the decision', () => {
  it('allows a request that an identity-based policy allows, naming the grant', () => {
    // Given a role whose policy allows s3:GetObject on the bucket's objects
    const policies = only(identityPolicy(readObjects));

    // When it gets an object
    const decision = evaluate(request('s3:GetObject', `${BUCKET}/photo.jpg`), policies);

    // Then the request is allowed by that statement's action and resource entries
    expect(decision).toEqual({
      effect: 'Allow',
      grants: [
        {
          policy: IDENTITY_LABEL,
          statementIndex: 0,
          actionPattern: 's3:GetObject',
          resourcePattern: `${BUCKET}/*`,
        },
      ],
    });
  });

  it("denies implicitly what no policy allows, in AWS's words", () => {
    const decision = evaluate(
      request('s3:PutObject', `${BUCKET}/photo.jpg`),
      only(identityPolicy(readObjects)),
    );

    expect(decision).toEqual({
      effect: 'ImplicitDeny',
      reason: 'because no identity-based policy allows the s3:PutObject action',
    });
  });

  it('denies implicitly a role that has no policy at all, speaking of identity-based policies', () => {
    const decision = evaluate(request('s3:GetObject', `${BUCKET}/a`), only());

    expect(decision).toEqual({
      effect: 'ImplicitDeny',
      reason: 'because no identity-based policy allows the s3:GetObject action',
    });
  });

  it('lets an explicit deny in an identity-based policy beat an allow', () => {
    // Given an allow of all of S3 and a deny of deleting objects
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Sid: 'NoDeletes', Effect: 'Deny', Action: 's3:DeleteObject', Resource: `${BUCKET}/*` },
        ],
      }),
    );

    // When the role deletes an object
    const decision = evaluate(request('s3:DeleteObject', `${BUCKET}/a`), policies);

    // Then the deny decides, and names its statement
    expect(decision).toEqual({
      effect: 'ExplicitDeny',
      reason: 'with an explicit deny in an identity-based policy',
      statement: {
        policy: IDENTITY_LABEL,
        statementIndex: 1,
        sid: 'NoDeletes',
        actionPattern: 's3:DeleteObject',
        resourcePattern: `${BUCKET}/*`,
      },
    });
  });

  it('lets an explicit deny in a resource-based policy beat an identity-based allow', () => {
    // Given an identity allow and a bucket policy denying the role
    const policies: PolicySet = {
      identityPolicies: [identityPolicy(readObjects)],
      resourcePolicy: resourcePolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: ROLE_ARN },
            Action: 's3:GetObject',
            Resource: `${BUCKET}/private/*`,
          },
        ],
      }),
    };

    // When the role reads a private object
    const decision = evaluate(request('s3:GetObject', `${BUCKET}/private/a`), policies);

    // Then it is denied by the bucket policy
    expect(decision).toMatchObject({
      effect: 'ExplicitDeny',
      reason: 'with an explicit deny in a resource-based policy',
      statement: { policy: RESOURCE_LABEL, statementIndex: 0 },
    });
  });

  it('allows a role named by a resource-based policy even without an identity-based allow', () => {
    // Given a bucket policy naming the role, and no identity policy
    const policies: PolicySet = {
      identityPolicies: [],
      resourcePolicy: resourcePolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ROLE_ARN },
            Action: 's3:GetObject',
            Resource: `${BUCKET}/*`,
          },
        ],
      }),
    };

    // When the role gets an object, then the resource policy alone allows it
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), policies)).toEqual({
      effect: 'Allow',
      grants: [
        {
          policy: RESOURCE_LABEL,
          statementIndex: 0,
          actionPattern: 's3:GetObject',
          resourcePattern: `${BUCKET}/*`,
        },
      ],
    });
  });

  it('allows a role session named by its assumed-role ARN in a resource-based policy', () => {
    const policies: PolicySet = {
      identityPolicies: [],
      resourcePolicy: resourcePolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: [SESSION_ARN] },
            Action: 's3:GetObject',
            Resource: `${BUCKET}/*`,
          },
        ],
      }),
    };

    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), policies).effect).toBe('Allow');
  });

  it('does not allow another role than the one a resource-based policy names', () => {
    const policies: PolicySet = {
      identityPolicies: [],
      resourcePolicy: resourcePolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ROLE_ARN },
            Action: 's3:GetObject',
            Resource: `${BUCKET}/*`,
          },
        ],
      }),
    };

    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`, otherRole), policies)).toEqual({
      effect: 'ImplicitDeny',
      reason: 'because no identity-based policy allows the s3:GetObject action',
    });
  });

  it('lists every matching Allow statement, identity-based first', () => {
    const policies: PolicySet = {
      identityPolicies: [
        identityPolicy(readObjects),
        identityPolicy(
          {
            Version: '2012-10-17',
            Statement: { Effect: 'Allow', Action: 's3:Get*', Resource: '*' },
          },
          'managed policy read-all',
        ),
      ],
      resourcePolicy: resourcePolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ROLE_ARN },
            Action: 's3:GetObject',
            Resource: `${BUCKET}/*`,
          },
        ],
      }),
    };

    const decision = evaluate(request('s3:GetObject', `${BUCKET}/a`), policies);

    expect(
      decision.effect === 'Allow' &&
        decision.grants.map((g) => [g.policy, g.actionPattern, g.resourcePattern]),
    ).toEqual([
      [IDENTITY_LABEL, 's3:GetObject', `${BUCKET}/*`],
      ['managed policy read-all', 's3:Get*', '*'],
      [RESOURCE_LABEL, 's3:GetObject', `${BUCKET}/*`],
    ]);
  });
});

describe('a resource-based policy naming the account', () => {
  const namingTheAccount = (principal: string): PolicySet => ({
    identityPolicies: [],
    resourcePolicy: resourcePolicy({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: principal },
          Action: 's3:GetObject',
          Resource: `${BUCKET}/*`,
        },
      ],
    }),
  });

  it('does not allow a role of the account on its own (account root ARN)', () => {
    const decision = evaluate(
      request('s3:GetObject', `${BUCKET}/a`),
      namingTheAccount(`arn:aws:iam::${ACCOUNT}:root`),
    );

    expect(decision).toEqual({
      effect: 'ImplicitDeny',
      reason: 'because no identity-based policy allows the s3:GetObject action',
    });
  });

  it('does not allow a role of the account on its own (12-digit account id)', () => {
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), namingTheAccount(ACCOUNT)).effect).toBe(
      'ImplicitDeny',
    );
  });

  it('counts alongside an identity-based allow', () => {
    const policies: PolicySet = {
      ...namingTheAccount(ACCOUNT),
      identityPolicies: [identityPolicy(readObjects)],
    };

    const decision = evaluate(request('s3:GetObject', `${BUCKET}/a`), policies);

    expect(decision.effect === 'Allow' && decision.grants.map((g) => g.policy)).toEqual([
      IDENTITY_LABEL,
      RESOURCE_LABEL,
    ]);
  });

  it('denies every principal of the account when its statement is a Deny', () => {
    const policies: PolicySet = {
      identityPolicies: [identityPolicy(readObjects)],
      resourcePolicy: resourcePolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: 's3:*',
            Resource: `${BUCKET}/*`,
          },
        ],
      }),
    };

    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), policies).effect).toBe('ExplicitDeny');
  });

  it('lets the account administrator through with its allow-everything identity policy', () => {
    const adminPolicy = identityPolicy(
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      'the account administrator',
    );
    const policies: PolicySet = { ...namingTheAccount(ACCOUNT), identityPolicies: [adminPolicy] };

    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`, admin), policies).effect).toBe('Allow');
  });
});

describe('service principals', () => {
  // Lambda's resource policy for an S3 notification, as aws_lambda_permission renders it.
  const invokedByTheBucket: PolicySet = {
    identityPolicies: [],
    resourcePolicy: resourcePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowExecutionFromS3Bucket',
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'lambda:InvokeFunction',
            Resource: FUNCTION,
            Condition: { ArnLike: { 'AWS:SourceArn': BUCKET } },
          },
        ],
      },
      'resource policy of function resize',
    ),
  };

  it('allows the service acting for the resource named by aws:SourceArn', () => {
    const decision = evaluate(
      request('lambda:InvokeFunction', FUNCTION, s3Service, { 'aws:SourceArn': BUCKET }),
      invokedByTheBucket,
    );

    expect(decision).toMatchObject({
      effect: 'Allow',
      grants: [{ sid: 'AllowExecutionFromS3Bucket' }],
    });
  });

  it('denies the service acting for another resource, speaking of resource-based policies', () => {
    const decision = evaluate(
      request('lambda:InvokeFunction', FUNCTION, s3Service, {
        'aws:SourceArn': 'arn:aws:s3:::another-bucket',
      }),
      invokedByTheBucket,
    );

    expect(decision).toEqual({
      effect: 'ImplicitDeny',
      reason: 'because no resource-based policy allows the lambda:InvokeFunction action',
    });
  });

  it('denies another service', () => {
    const sns: Principal = { kind: 'service', service: 'sns.amazonaws.com' };

    const decision = evaluate(
      request('lambda:InvokeFunction', FUNCTION, sns, { 'aws:SourceArn': BUCKET }),
      invokedByTheBucket,
    );

    expect(decision.effect).toBe('ImplicitDeny');
  });
});

describe('anonymous requests and Principal "*"', () => {
  const publicRead = (principal: PolicyDocument[string]): PolicySet => ({
    identityPolicies: [],
    resourcePolicy: resourcePolicy({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PublicRead',
          Effect: 'Allow',
          Principal: principal,
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
          Resource: `${BUCKET}/*`,
        },
      ],
    }),
  });

  it('allows an anonymous request when the policy names everyone as "*"', () => {
    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/index.html`, anonymous), publicRead('*')).effect,
    ).toBe('Allow');
  });

  it('allows an anonymous request when the policy names everyone as {"AWS": "*"}', () => {
    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/index.html`, anonymous), publicRead({ AWS: '*' }))
        .effect,
    ).toBe('Allow');
  });

  it('allows any role too when the policy names everyone', () => {
    expect(evaluate(request('s3:GetObject', `${BUCKET}/index.html`), publicRead('*')).effect).toBe(
      'Allow',
    );
  });

  it('denies an anonymous request when the policy names a role, speaking of resource-based policies', () => {
    const decision = evaluate(
      request('s3:GetObject', `${BUCKET}/index.html`, anonymous),
      publicRead({ AWS: ROLE_ARN }),
    );

    expect(decision).toEqual({
      effect: 'ImplicitDeny',
      reason: 'because no resource-based policy allows the s3:GetObject action',
    });
  });

  it('denies an anonymous request when there is no resource-based policy', () => {
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`, anonymous), only()).effect).toBe(
      'ImplicitDeny',
    );
  });
});

describe('NotPrincipal', () => {
  it('denies everyone but the principals it names', () => {
    // Given a bucket policy denying everyone but the role
    const policies: PolicySet = {
      identityPolicies: [
        identityPolicy({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
        }),
      ],
      resourcePolicy: resourcePolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            NotPrincipal: { AWS: [ROLE_ARN, SESSION_ARN] },
            Action: 's3:*',
            Resource: `${BUCKET}/*`,
          },
        ],
      }),
    };

    // Then the role gets through and another role does not
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), policies).effect).toBe('Allow');
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`, otherRole), policies).effect).toBe(
      'ExplicitDeny',
    );
  });
});

describe('Action', () => {
  it('compares the service prefix and the action name case-insensitively', () => {
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'S3:getobject', Resource: '*' }],
      }),
    );

    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), policies).effect).toBe('Allow');
  });

  it('matches wildcards in the action name', () => {
    // Given the guide's iam:*AccessKey* example
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: '*' }],
      }),
    );

    expect(evaluate(request('iam:CreateAccessKey', '*'), policies).effect).toBe('Allow');
    expect(evaluate(request('iam:ListAccessKeys', '*'), policies).effect).toBe('Allow');
    expect(evaluate(request('iam:CreateUser', '*'), policies).effect).toBe('ImplicitDeny');
  });

  it('reports the entry that matched among several', () => {
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:Receive*'], Resource: '*' },
        ],
      }),
    );

    const decision = evaluate(request('sqs:ReceiveMessage', '*'), policies);

    expect(decision).toMatchObject({
      effect: 'Allow',
      grants: [{ actionPattern: 'sqs:Receive*' }],
    });
  });
});

describe('NotAction', () => {
  it('with Allow, allows every action but the listed ones', () => {
    // Given the guide's example: everything except IAM
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
      }),
    );

    // Then S3 is allowed, by the NotAction entry, and IAM is not
    expect(evaluate(request('s3:ListAllMyBuckets', '*'), policies)).toMatchObject({
      effect: 'Allow',
      grants: [{ actionPattern: 'NotAction:iam:*', resourcePattern: '*' }],
    });
    expect(evaluate(request('iam:CreateUser', '*'), policies).effect).toBe('ImplicitDeny');
  });

  it('with Deny, denies every action but the listed ones', () => {
    // Given an allow of everything and a deny of everything except IAM
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', NotAction: ['iam:*', 'sts:GetCallerIdentity'], Resource: '*' },
        ],
      }),
    );

    // Then S3 is denied by the NotAction statement and IAM stays allowed
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), policies)).toMatchObject({
      effect: 'ExplicitDeny',
      statement: { actionPattern: 'NotAction:iam:*,sts:GetCallerIdentity' },
    });
    expect(evaluate(request('iam:GetUser', '*'), policies).effect).toBe('Allow');
  });
});

describe('Resource', () => {
  const allowOn = (resource: string | string[]): PolicySet =>
    only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: resource }],
      }),
    );

  it('matches every object of a bucket with bucket/*, but not the bucket itself', () => {
    const policies = allowOn(`${BUCKET}/*`);

    expect(evaluate(request('s3:GetObject', `${BUCKET}/a/b/c.txt`), policies).effect).toBe('Allow');
    expect(evaluate(request('s3:ListBucket', BUCKET), policies).effect).toBe('ImplicitDeny');
  });

  it('lets * span slashes in the middle of a pattern', () => {
    const policies = allowOn(`${BUCKET}/*/test/*`);

    expect(evaluate(request('s3:GetObject', `${BUCKET}/a/b/test/c`), policies).effect).toBe(
      'Allow',
    );
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a/b/prod/c`), policies).effect).toBe(
      'ImplicitDeny',
    );
  });

  it('matches exactly one character with ?', () => {
    const policies = allowOn(`${BUCKET}/exampleobject_?.png`);

    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/exampleobject_1.png`), policies).effect,
    ).toBe('Allow');
    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/exampleobject_10.png`), policies).effect,
    ).toBe('ImplicitDeny');
  });

  it('is case-sensitive', () => {
    // Given the guide's note: in Resource, the IAM user name Bob is case sensitive
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${ACCOUNT}:user/Bob` },
        ],
      }),
    );

    expect(
      evaluate(request('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/Bob`), policies).effect,
    ).toBe('Allow');
    expect(
      evaluate(request('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/bob`), policies).effect,
    ).toBe('ImplicitDeny');
  });

  it('needs "*" for an action without resource-level permissions', () => {
    expect(evaluate(request('s3:ListAllMyBuckets', '*'), allowOn(`${BUCKET}/*`)).effect).toBe(
      'ImplicitDeny',
    );
    expect(evaluate(request('s3:ListAllMyBuckets', '*'), allowOn('*')).effect).toBe('Allow');
  });

  it('is the resource itself when a resource-based statement omits it', () => {
    const policies: PolicySet = {
      identityPolicies: [],
      resourcePolicy: resourcePolicy(
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'sqs:SendMessage' }],
        },
        'queue policy of jobs',
      ),
    };

    const decision = evaluate(
      request('sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`),
      policies,
    );

    expect(decision).toMatchObject({ effect: 'Allow', grants: [{ resourcePattern: '*' }] });
  });
});

describe('NotResource', () => {
  // The guide's example: deny all of S3 except the HRBucket/Payroll folder.
  const policies = only(
    identityPolicy({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: 's3:*',
          NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'],
        },
      ],
    }),
  );

  it('denies the resources outside the list', () => {
    expect(
      evaluate(request('s3:GetObject', 'arn:aws:s3:::HRBucket/Other/x'), policies),
    ).toMatchObject({
      effect: 'ExplicitDeny',
      statement: {
        resourcePattern:
          'NotResource:arn:aws:s3:::HRBucket/Payroll,arn:aws:s3:::HRBucket/Payroll/*',
      },
    });
  });

  it('does not deny the resources in the list', () => {
    expect(
      evaluate(request('s3:GetObject', 'arn:aws:s3:::HRBucket/Payroll/x'), policies).effect,
    ).toBe('Allow');
  });
});

describe('conditions in statements', () => {
  it("denies a request over plain HTTP with the guide's aws:SecureTransport bucket policy", () => {
    // Given a bucket policy denying everyone when aws:SecureTransport is false
    const policies: PolicySet = {
      identityPolicies: [identityPolicy(readObjects)],
      resourcePolicy: resourcePolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'RestrictToTLSRequestsOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [BUCKET, `${BUCKET}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    };

    // Then plain HTTP is denied and TLS is allowed
    expect(
      evaluate(
        request('s3:GetObject', `${BUCKET}/a`, role, { 'aws:SecureTransport': 'false' }),
        policies,
      ).effect,
    ).toBe('ExplicitDeny');
    expect(
      evaluate(
        request('s3:GetObject', `${BUCKET}/a`, role, { 'aws:SecureTransport': 'true' }),
        policies,
      ).effect,
    ).toBe('Allow');
  });

  it("allows only from 203.0.113.0/24 with the guide's aws:SourceIp example", () => {
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'iam:*',
            Resource: '*',
            Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
          },
        ],
      }),
    );

    expect(
      evaluate(request('iam:GetUser', '*', role, { 'aws:SourceIp': '203.0.113.10' }), policies)
        .effect,
    ).toBe('Allow');
    expect(
      evaluate(request('iam:GetUser', '*', role, { 'aws:SourceIp': '198.51.100.10' }), policies)
        .effect,
    ).toBe('ImplicitDeny');
  });

  it('denies temporary credentials with Null on aws:TokenIssueTime', () => {
    // Given a deny of requests that carry aws:TokenIssueTime (i.e. that use temporary credentials)
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:*', Resource: '*' },
          {
            Effect: 'Deny',
            Action: 's3:*',
            Resource: '*',
            Condition: { Null: { 'aws:TokenIssueTime': 'false' } },
          },
        ],
      }),
    );

    expect(
      evaluate(
        request('s3:GetObject', `${BUCKET}/a`, role, {
          'aws:TokenIssueTime': '2020-01-01T00:00:00Z',
        }),
        policies,
      ).effect,
    ).toBe('ExplicitDeny');
    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), policies).effect).toBe('Allow');
  });

  it('allows only within the aws:CurrentTime window of DateGreaterThan and DateLessThan', () => {
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: '*',
            Condition: {
              DateGreaterThan: { 'aws:CurrentTime': '2020-04-01T00:00:00Z' },
              DateLessThan: { 'aws:CurrentTime': '2020-06-30T23:59:59Z' },
            },
          },
        ],
      }),
    );

    expect(
      evaluate(
        request('s3:GetObject', `${BUCKET}/a`, role, { 'aws:CurrentTime': '2020-05-01T00:00:00Z' }),
        policies,
      ).effect,
    ).toBe('Allow');
    expect(
      evaluate(
        request('s3:GetObject', `${BUCKET}/a`, role, { 'aws:CurrentTime': '2021-05-01T00:00:00Z' }),
        policies,
      ).effect,
    ).toBe('ImplicitDeny');
  });

  it('limits s3:max-keys with NumericLessThanEquals', () => {
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: BUCKET,
            Condition: { NumericLessThanEquals: { 's3:max-keys': '10' } },
          },
        ],
      }),
    );

    expect(
      evaluate(request('s3:ListBucket', BUCKET, role, { 's3:max-keys': '10' }), policies).effect,
    ).toBe('Allow');
    expect(
      evaluate(request('s3:ListBucket', BUCKET, role, { 's3:max-keys': '1000' }), policies).effect,
    ).toBe('ImplicitDeny');
  });

  it('reads condition key names case-insensitively', () => {
    // Given a statement spelling the key AWS:SourceArn, as Lambda renders permissions
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: '*',
            Condition: {
              ArnEquals: { 'AWS:SourceArn': 'arn:aws:sns:us-east-1:111122223333:events' },
            },
          },
        ],
      }),
    );

    // When the request carries aws:sourcearn
    const decision = evaluate(
      request('sqs:SendMessage', '*', role, {
        'aws:sourcearn': 'arn:aws:sns:us-east-1:111122223333:events',
      }),
      policies,
    );

    expect(decision.effect).toBe('Allow');
  });
});

describe('condition operators the engine does not know', () => {
  const withRegex = (effect: 'Allow' | 'Deny'): LabelledPolicy =>
    identityPolicy({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET },
        {
          Effect: effect,
          Action: 's3:GetObject',
          Resource: `${BUCKET}/*`,
          Condition: { StringMatchesRegex: { 's3:ExistingObjectTag/team': '^blue$' } },
        },
      ],
    });

  it('keep an Allow statement from applying, and the reason names the operator', () => {
    const decision = evaluate(request('s3:GetObject', `${BUCKET}/a`), only(withRegex('Allow')));

    expect(decision).toEqual({
      effect: 'ImplicitDeny',
      reason: `because the condition operator "StringMatchesRegex" in statement 2 of ${IDENTITY_LABEL} cannot be evaluated locally`,
    });
  });

  it('make a Deny statement apply', () => {
    const policies = only(withRegex('Deny'), identityPolicy(readObjects, 'managed policy read'));

    const decision = evaluate(request('s3:GetObject', `${BUCKET}/a`), policies);

    expect(decision).toMatchObject({
      effect: 'ExplicitDeny',
      reason: expect.stringContaining('"StringMatchesRegex" in statement 2') as unknown,
      statement: { policy: IDENTITY_LABEL, statementIndex: 1 },
    });
  });

  it('do not matter in a statement that does not otherwise match the request', () => {
    const decision = evaluate(request('s3:PutObject', `${BUCKET}/a`), only(withRegex('Allow')));

    expect(decision).toEqual({
      effect: 'ImplicitDeny',
      reason: 'because no identity-based policy allows the s3:PutObject action',
    });
  });

  it('do not matter when another statement allows the request', () => {
    const policies = only(withRegex('Allow'), identityPolicy(readObjects, 'managed policy read'));

    expect(evaluate(request('s3:GetObject', `${BUCKET}/a`), policies)).toMatchObject({
      effect: 'Allow',
      grants: [{ policy: 'managed policy read' }],
    });
  });
});

describe('policy variables', () => {
  const homeFolders = (version: string): PolicySet =>
    only(
      identityPolicy({
        Version: version,
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: `${BUCKET}/home/\${aws:username}/*`,
          },
        ],
      }),
    );

  it("substitute the request's keys in Resource", () => {
    const johndoe = { 'aws:username': 'johndoe' };

    expect(
      evaluate(
        request('s3:GetObject', `${BUCKET}/home/johndoe/a`, role, johndoe),
        homeFolders('2012-10-17'),
      ).effect,
    ).toBe('Allow');
    expect(
      evaluate(
        request('s3:GetObject', `${BUCKET}/home/janedoe/a`, role, johndoe),
        homeFolders('2012-10-17'),
      ).effect,
    ).toBe('ImplicitDeny');
  });

  it('make a Resource entry whose key is missing match nothing', () => {
    const decision = evaluate(
      request('s3:GetObject', `${BUCKET}/home/\${aws:username}/a`),
      homeFolders('2012-10-17'),
    );

    expect(decision.effect).toBe('ImplicitDeny');
  });

  it('are plain text in a document of Version 2008-10-17', () => {
    const johndoe = { 'aws:username': 'johndoe' };

    expect(
      evaluate(
        request('s3:GetObject', `${BUCKET}/home/johndoe/a`, role, johndoe),
        homeFolders('2008-10-17'),
      ).effect,
    ).toBe('ImplicitDeny');
    expect(
      evaluate(
        request('s3:GetObject', `${BUCKET}/home/\${aws:username}/a`, role, johndoe),
        homeFolders('2008-10-17'),
      ).effect,
    ).toBe('Allow');
  });

  it('substitute principal tags, with ${*} standing for a literal asterisk', () => {
    // Given a resource naming the team's folder and, literally, an object called "*"
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: `${BUCKET}/\${aws:PrincipalTag/team}/\${*}`,
          },
        ],
      }),
    );
    const blueTeam = { 'aws:PrincipalTag/team': 'blue' };

    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/blue/*`, role, blueTeam), policies).effect,
    ).toBe('Allow');
    expect(
      evaluate(request('s3:GetObject', `${BUCKET}/blue/anything`, role, blueTeam), policies).effect,
    ).toBe('ImplicitDeny');
  });

  it("substitute in condition values, as in the guide's s3:prefix home/${aws:username}/* example", () => {
    const policies = only(
      identityPolicy({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: BUCKET,
            Condition: { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/*'] } },
          },
        ],
      }),
    );
    const keys = (prefix: string) => ({ 'aws:username': 'johndoe', 's3:prefix': prefix });

    expect(
      evaluate(request('s3:ListBucket', BUCKET, role, keys('home/johndoe/photos/')), policies)
        .effect,
    ).toBe('Allow');
    expect(
      evaluate(request('s3:ListBucket', BUCKET, role, keys('home/janedoe/')), policies).effect,
    ).toBe('ImplicitDeny');
  });
});

describe('malformed policies', () => {
  it('throw naming the policy when Statement is neither an object nor a list', () => {
    const policies = only(identityPolicy({ Version: '2012-10-17', Statement: 'Allow everything' }));

    expect(() => evaluate(request('s3:GetObject', BUCKET), policies)).toThrow(
      `${IDENTITY_LABEL}: Statement must be`,
    );
  });

  it('throw naming the policy and statement when Effect is missing', () => {
    const policies = only(
      identityPolicy({ Version: '2012-10-17', Statement: [{ Action: 's3:*', Resource: '*' }] }),
    );

    expect(() => evaluate(request('s3:GetObject', BUCKET), policies)).toThrow(
      `${IDENTITY_LABEL}: statement 1: Effect must be`,
    );
  });

  it('throw when a resource-based statement names no principal', () => {
    const policy = resourcePolicy({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    });

    expect(() => validatePolicy(policy)).toThrow(
      `${RESOURCE_LABEL}: statement 1: needs exactly one of Principal and NotPrincipal`,
    );
  });

  it('are found by validatePolicy, which also lists the operators it cannot evaluate', () => {
    const policy = identityPolicy({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:*',
          Resource: '*',
          Condition: { StringMatchesRegex: { 'aws:username': '.*' } },
        },
      ],
    });

    expect(validatePolicy(policy)).toEqual({
      unsupportedOperators: [{ statementIndex: 0, operator: 'StringMatchesRegex' }],
    });
  });
});
