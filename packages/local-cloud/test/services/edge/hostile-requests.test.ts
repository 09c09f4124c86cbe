/**
 * What a hostile client gets from the AWS endpoint of an empty cloud (`npm start -- --empty`):
 * anything on this machine, a web page included, can send anything to it. Each control plane
 * refuses an unsigned, forged or mis-signed request in its own protocol's words before it changes
 * anything, refuses what a web page sends, and answers a request it cannot read with a 4xx.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  APIGatewayClient,
  CreateRestApiCommand,
  GetRestApisCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { signRequest } from '../../../src/iam/signature-v4';
import { MAX_REQUEST_BODY_BYTES } from '../../../src/services/edge/edge-service';
import { startEmptyCloud } from '../../support/in-process-cloud';
import type { InProcessCloud } from '../../support/in-process-cloud';
import { trustPolicy } from '../../support/policy-documents';

let empty: InProcessCloud;

beforeAll(async () => {
  empty = await startEmptyCloud();
});

afterAll(() => empty?.stop());

/** A request signed with the administrator's key for `service`, sent as is. */
async function signed(
  service: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  const url = `${empty.cloud.endpoints.aws}${path}`;
  const body = Buffer.from(init.body ?? '');
  const method = init.method ?? 'POST';
  const headers = signRequest(
    { method, url: path, headers: { host: new URL(url).host, ...init.headers }, body },
    empty.cloud.adminCredentials,
    { region: 'us-east-1', service },
  );
  const { host: _host, ...sent } = headers;
  return fetch(url, { method, headers: sent, ...(method === 'GET' ? {} : { body }) });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const logsTarget = (operation: string) => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': `Logs_20140328.${operation}`,
});

describe('a signed request whose path is no percent-encoding (/%ZZ)', () => {
  it.each([
    ['lambda', '/2015-03-31/functions/%ZZ', { method: 'GET' }],
    ['apigateway', '/restapis/%ZZ', { method: 'GET' }],
    ['apigateway', '/v2/apis/%ZZ', { method: 'GET' }],
    ['iam', '/%ZZ', { headers: FORM, body: 'Action=ListRoles&Version=2010-05-08' }],
    ['sts', '/%ZZ', { headers: FORM, body: 'Action=GetCallerIdentity&Version=2011-06-15' }],
    ['sns', '/%ZZ', { headers: FORM, body: 'Action=ListTopics' }],
    ['sqs', '/000000000000/%ZZ', { headers: FORM, body: 'Action=GetQueueAttributes' }],
    ['logs', '/%ZZ', { headers: logsTarget('DescribeLogGroups'), body: '{}' }],
  ])(
    'is answered by %s as a name that matches nothing, not with a 500 (%s)',
    async (service, path, init) => {
      const response = await signed(service, path, init);

      expect(response.status).toBeLessThan(500);
      expect(response.headers.get('x-amzn-errortype') ?? '').not.toMatch(/Signature/);
    },
  );
});

describe('an unsigned control-plane request', () => {
  it('is refused by API Gateway with its MissingAuthenticationTokenException, not routed to S3', async () => {
    const response = await fetch(`${empty.cloud.endpoints.aws}/restapis`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'unsigned' }),
    });

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    const { items } = await empty.client(APIGatewayClient).send(new GetRestApisCommand({}));
    expect(items ?? []).toEqual([]);
  });

  it('is refused by Lambda with its MissingAuthenticationTokenException for an event source mapping', async () => {
    const response = await fetch(`${empty.cloud.endpoints.aws}/2015-03-31/event-source-mappings/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        FunctionName: 'any',
        EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q',
      }),
    });

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

describe('a key the cloud never issued', () => {
  const forged = { accessKeyId: 'AKIAFORGEDFORGED0000', secretAccessKey: 'forged' };

  it('is refused by IAM with InvalidClientTokenId, and no role is made', async () => {
    const iam = empty.client(IAMClient, forged);

    const creating = iam.send(
      new CreateRoleCommand({
        RoleName: 'forged',
        AssumeRolePolicyDocument: trustPolicy('lambda.amazonaws.com'),
      }),
    );

    await expect(creating).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    await expect(
      empty.client(IAMClient).send(new GetRoleCommand({ RoleName: 'forged' })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it('is refused by STS with InvalidClientTokenId', async () => {
    const sts = empty.client(STSClient, forged);

    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
    });
  });

  it('is refused by CloudWatch Logs with UnrecognizedClientException, and no group is made', async () => {
    const logs = empty.client(CloudWatchLogsClient, forged);

    await expect(
      logs.send(new CreateLogGroupCommand({ logGroupName: 'forged' })),
    ).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
    const { logGroups } = await empty
      .client(CloudWatchLogsClient)
      .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'forged' }));
    expect(logGroups).toEqual([]);
  });

  it('is refused by API Gateway with UnrecognizedClientException', async () => {
    const apigateway = empty.client(APIGatewayClient, forged);

    await expect(
      apigateway.send(new CreateRestApiCommand({ name: 'forged' })),
    ).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });
});

describe('a wrong signature with the administrator’s key', () => {
  it('is refused by IAM with SignatureDoesNotMatch', async () => {
    const iam = empty.client(IAMClient, {
      accessKeyId: empty.cloud.adminCredentials.accessKeyId,
      secretAccessKey: 'not-the-secret',
    });

    await expect(
      iam.send(
        new CreateRoleCommand({
          RoleName: 'missigned',
          AssumeRolePolicyDocument: trustPolicy('lambda.amazonaws.com'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
  });
});

describe('a cross-site form a web page posts', () => {
  it.each([
    ['application/x-www-form-urlencoded', 'iam', '/'],
    ['text/plain', 'iam', '/'],
    ['application/x-www-form-urlencoded', 'sts', '/'],
    ['text/plain', 'logs', '/'],
    ['text/plain', 'apigateway', '/restapis'],
  ])('as %s to %s is refused, and its answer is no page’s to read', async (type, service, path) => {
    // Given what a page's <form> or no-cors fetch can send: no header of its own but the type,
    // and a body signed as the page could sign it with the well-known administrator key
    const body = 'Action=CreateRole&RoleName=from-a-page&AssumeRolePolicyDocument=%7B%7D';

    // When the browser posts it, saying where the page is from
    const response = await signed(service, path, {
      headers: {
        'content-type': type,
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      body,
    });

    // Then it is refused, with no CORS header that would let the page read the answer
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    await expect(
      empty.client(IAMClient).send(new GetRoleCommand({ RoleName: 'from-a-page' })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it('to IAM without a signature is refused before IAM reads it', async () => {
    const response = await fetch(`${empty.cloud.endpoints.aws}/`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'null' },
      body: 'Action=CreateRole&RoleName=from-a-page&AssumeRolePolicyDocument=%7B%7D',
    });

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('a body larger than the endpoint reads', () => {
  const tooLarge = Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, 'a');

  it.each([
    ['iam', 'text/xml', '<Code>RequestEntityTooLarge</Code>'],
    ['sts', 'text/xml', '<Code>RequestEntityTooLarge</Code>'],
    ['apigateway', 'application/json', '{"message":"The request body is larger than'],
  ])('is refused by %s with 413 in its protocol’s shape', async (service, type, shape) => {
    const response = await fetch(`${empty.cloud.endpoints.aws}/`, {
      method: 'POST',
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=test/20261205/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: tooLarge,
    });

    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe(type);
    expect(await response.text()).toContain(shape);
  });
});

describe('a DynamoDB request whose body is JSON null', () => {
  it.each(['CreateTable', 'PutItem'])(
    'is refused as %s’s SerializationException, and the cloud goes on answering',
    async (operation) => {
      const response = await signed('dynamodb', '/', {
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${operation}`,
        },
        body: 'null',
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        __type: 'com.amazon.coral.service#SerializationException',
      });
      const { Account } = await empty.client(STSClient).send(new GetCallerIdentityCommand({}));
      expect(Account).toBe('000000000000');
    },
  );
});

describe('a name that climbs directories', () => {
  const name = '../../outside';
  const trust = trustPolicy('lambda.amazonaws.com');

  it.each([
    [
      'IAM',
      'ValidationError',
      () =>
        empty
          .client(IAMClient)
          .send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust })),
    ],
    [
      'DynamoDB',
      'ValidationException',
      () =>
        empty.client(DynamoDBClient).send(
          new CreateTableCommand({
            TableName: name,
            AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        ),
    ],
    [
      'SQS',
      'InvalidParameterValue',
      () => empty.client(SQSClient).send(new CreateQueueCommand({ QueueName: name })),
    ],
    [
      'SNS',
      'InvalidParameter',
      () => empty.client(SNSClient).send(new CreateTopicCommand({ Name: name })),
    ],
    [
      'Step Functions',
      'InvalidName',
      () =>
        empty.client(SFNClient).send(
          new CreateStateMachineCommand({
            name,
            roleArn: 'arn:aws:iam::000000000000:role/any',
            definition: '{}',
          }),
        ),
    ],
  ])('is refused by %s with its %s', async (_service, code, create) => {
    await expect(create()).rejects.toMatchObject({
      name: expect.stringContaining(code) as string,
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('is refused by S3 with its InvalidBucketName (the SDK refuses it before sending)', async () => {
    const response = await signed('s3', `/${encodeURIComponent(name)}`, { method: 'PUT' });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidBucketName</Code>');
  });
});

describe('a request that leaves out a required member', () => {
  it.each([
    ['logs', '/', { headers: logsTarget('CreateLogGroup'), body: '{}' }, 'logGroupName'],
    [
      'states',
      '/',
      {
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AWSStepFunctions.CreateStateMachine',
        },
        body: '{}',
      },
      'name',
    ],
    [
      'lambda',
      '/2015-03-31/functions',
      { headers: { 'content-type': 'application/json' }, body: '{}' },
      'functionName',
    ],
  ])(
    'is answered by %s with AWS’s words for a value it did not get: Value null, unquoted',
    async (service, path, init, field) => {
      const response = await signed(service, path, init);

      expect(response.status).toBe(400);
      expect(await response.text()).toContain(
        `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
      );
    },
  );
});
