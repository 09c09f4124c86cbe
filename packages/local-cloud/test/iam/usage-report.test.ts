/** The least-privilege report, from usage files as the local cloud writes them. */
import { buildUsageReport, renderUsageReport } from '../../src/iam/usage-report';
import type { UsageFile } from '../../src/iam/usage-recorder';
import type { LabelledPolicy } from '../../src/iam/access-types';

const LABEL = 'inline policy least-privilege of role get-item';
const ROLE = 'arn:aws:iam::000000000000:role/get-item';
const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/items';

/** get-item's policy in a run whose processed bucket got the name `bucket`. */
function policies(bucket: string): LabelledPolicy[] {
  return [
    {
      label: LABEL,
      kind: 'identity',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE },
          {
            Effect: 'Allow',
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${bucket}/thumbnails/*`,
          },
        ],
      },
    },
    {
      label: 'managed policy arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess of role get-item',
      kind: 'identity',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'xray:PutTraceSegments', Resource: '*' }],
      },
    },
  ];
}

/** One run in which get-item made `calls`, each allowed by the grant named. */
function run(
  bucket: string,
  calls: {
    action: string;
    resource: string;
    statementIndex: number;
    actionPattern: string;
    resourcePattern: string;
  }[],
): UsageFile {
  return {
    version: 1,
    resourcePolicies: [],
    callers: [
      {
        kind: 'function',
        name: 'get-item',
        roleArn: ROLE,
        policies: policies(bucket),
        calls: calls.map(({ action, resource, ...grant }) => ({
          action,
          resource,
          allowed: 1,
          denied: 0,
          grants: [{ policy: LABEL, ...grant }],
        })),
      },
    ],
  };
}

const getItem = run('processed-1', [
  {
    action: 'dynamodb:GetItem',
    resource: TABLE,
    statementIndex: 0,
    actionPattern: 'dynamodb:GetItem',
    resourcePattern: TABLE,
  },
]);
const getThumbnail = run('processed-2', [
  {
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::processed-2/thumbnails/a.jpg',
    statementIndex: 1,
    actionPattern: 's3:GetObject',
    resourcePattern: 'arn:aws:s3:::processed-2/thumbnails/*',
  },
]);

it('counts a grant used in any run, though each run named its bucket differently', () => {
  const report = buildUsageReport([getItem, getThumbnail]);

  const unused = report.callers[0]?.unused.map((grant) => grant.actionPattern);
  expect(unused).toEqual(['dynamodb:Query', 'xray:PutTraceSegments']);
});

it('marks a grant of an AWS managed policy, which the stack cannot trim', () => {
  const report = buildUsageReport([getItem]);

  const xray = report.callers[0]?.unused.find((grant) => grant.actionPattern.startsWith('xray:'));
  expect(xray?.awsManaged).toBe(true);
});

it('proposes the smallest policy: the actions used, on the patterns that allowed them', () => {
  const report = buildUsageReport([getItem, getThumbnail]);

  expect(report.callers[0]?.smallestPolicy).toEqual({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE },
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::processed-1/thumbnails/*',
      },
    ],
  });
});

it('renders a summary row per caller and a section with its unused grants', () => {
  const markdown = renderUsageReport(buildUsageReport([getItem]));

  expect(markdown).toContain('| function get-item | 1 | 0 | 3 |');
  expect(markdown).toContain(
    '| `dynamodb:Query` | `arn:aws:dynamodb:us-east-1:000000000000:table/items` | statement 1 of inline policy least-privilege of role get-item |',
  );
});
