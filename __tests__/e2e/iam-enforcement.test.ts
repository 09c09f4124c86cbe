/**
 * IAM in the local cloud, on a variant of the real stack with permissions taken away the way they
 * get forgotten: a statement missing from a function's policy, an aws_lambda_permission missing
 * for the S3 trigger and for an API route, an API integration role without its action, a queue policy without the topic, a state machine
 * role without its task's function. AWS would refuse each of these; so does the local cloud, with
 * AWS's error shapes, through the real SDK clients.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildUsageReport } from '@serverless-week/local-cloud';
import type { FunctionSpec, UsageFile } from '@serverless-week/local-cloud';
import { eventually } from '@serverless-week/test-support';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';
import { synthesizeLocalStack } from '../support/local-stack';

interface Statement {
  sid?: string;
  actions?: string[];
}
interface StackFile {
  data: { aws_iam_policy_document: Record<string, { statement: Statement[] }> };
  resource: { aws_lambda_permission: Record<string, unknown> };
}

/** The one block of `blocks` whose name starts with `prefix` (construct ids end in a hash). */
function named<T>(blocks: Record<string, T>, prefix: string): [string, T] {
  const found = Object.entries(blocks).filter(([name]) => name.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one block named ${prefix}…`);
  return found[0] as [string, T];
}

/** The real stack with six permissions forgotten. */
function variantStack(): string {
  const stackDir = synthesizeLocalStack();
  const file = join(stackDir, 'cdk.tf.json');
  const stack = JSON.parse(readFileSync(file, 'utf8')) as StackFile;
  const documents = stack.data.aws_iam_policy_document;
  const without = (prefix: string, drop: (statement: Statement) => boolean): void => {
    const [, document] = named(documents, prefix);
    document.statement = document.statement.filter((statement) => !drop(statement));
  };
  // get-item's role loses dynamodb:GetItem.
  without('items_get-item_policy_', (s) => s.actions?.includes('dynamodb:GetItem') === true);
  // The state machine's role loses lambda:InvokeFunction on the validator.
  without('publish-workflow_policy_', (s) => s.actions?.includes('lambda:InvokeFunction') === true);
  // The role API Gateway assumes for POST /messages may no longer send to the inbox.
  const [, integrationPolicy] = named(documents, 'messaging_send-to-inbox_policy_');
  for (const statement of integrationPolicy.statement) {
    if (statement.actions?.includes('sqs:SendMessage')) statement.actions = ['sqs:GetQueueUrl'];
  }
  // The inbox queue's policy no longer lets the topic send.
  without('inbox-queue_topic-only_', (s) => s.sid === 'AllowEventsTopic');
  // S3 may no longer invoke the image processor; API Gateway may no longer invoke list-audit.
  const permissions = stack.resource.aws_lambda_permission;
  delete permissions[named(permissions, 'images_allow-s3_')[0]];
  delete permissions[named(permissions, 'api_invoke-listAudit_')[0]];
  writeFileSync(file, JSON.stringify(stack));
  return stackDir;
}

let stackDir: string;
let cloud: TestCloud;

function fn(suffix: string): FunctionSpec {
  const found = cloud.topology.functions.find((candidate) => candidate.name.endsWith(suffix));
  if (!found) throw new Error(`no function ${suffix}`);
  return found;
}

/** An SDK client config acting as the function: its own keys, as the local runtime hands them. */
function asFunction(suffix: string, secret?: string) {
  const keys = cloud.credentialsFor('function', fn(suffix).name);
  return {
    endpoint: cloud.endpoints.aws,
    region: cloud.topology.region,
    credentials: { ...keys, ...(secret ? { secretAccessKey: secret } : {}) },
  };
}

const iamLines = (): string[] => cloud.lines.filter((line) => line.startsWith('iam'));

beforeAll(async () => {
  stackDir = variantStack();
  cloud = await startTestCloud({ stackDir });
}, 60000);

afterAll(async () => {
  await cloud?.dispose();
});

describe('at boot', () => {
  it('reports each path between services that the policies break, and no other', () => {
    const report = iamLines().join('\n');

    expect(report).toContain(
      '4 path(s) between services that AWS would refuse; these paths do not run',
    );
    expect(report).toMatch(/S3 bucket \S+-uploads-\S+ → function \S+-image-processor/);
    expect(report).toMatch(/SNS topic \S+-events → sqs \S+-inbox/);
    expect(report).toMatch(/API \S+ GET \/audit → function \S+-list-audit/);
    expect(report).toMatch(
      /state machine \S+-publish-item, state ValidateItem → lambda:InvokeFunction/,
    );
  });
});

describe('a function whose role lost one statement', () => {
  it('gets AccessDeniedException from DynamoDB on exactly that call, through the real SDK', async () => {
    // Given get-item's own keys and the items table
    const dynamodb = new DynamoDBClient(asFunction('-get-item'));
    const table = cloud.topology.tables.find((candidate) => candidate.name.endsWith('-items'));

    // When it reads an item
    const call = dynamodb.send(
      new GetItemCommand({ TableName: table?.name, Key: { id: { S: 'any' } } }),
    );

    // Then DynamoDB refuses it, naming the role session, the action, the resource and why
    await expect(call).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
      message: `User: arn:aws:sts::000000000000:assumed-role/${fn('-get-item').name}/${fn('-get-item').name} is not authorized to perform: dynamodb:GetItem on resource: ${table?.arn} because no identity-based policy allows the dynamodb:GetItem action`,
    });
  });

  it('keeps the calls it is still granted', async () => {
    const s3 = new S3Client({ ...asFunction('-get-item'), forcePathStyle: true });
    const processed = cloud.topology.buckets.find((bucket) => bucket.name.includes('-processed-'));

    const call = s3.send(
      new GetObjectCommand({ Bucket: processed?.name, Key: 'thumbnails/none.jpg' }),
    );

    // S3 looked for the object: the role allowed the read.
    await expect(call).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('is refused with S3 AccessDenied where it has no grant at all', async () => {
    const s3 = new S3Client({ ...asFunction('-get-item'), forcePathStyle: true });
    const uploads = cloud.topology.buckets.find((bucket) => bucket.name.includes('-uploads-'));

    const call = s3.send(new GetObjectCommand({ Bucket: uploads?.name, Key: 'uploads/x.jpg' }));

    await expect(call).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('is refused by SNS with AuthorizationError (403), raised by the SDK as AuthorizationErrorException', async () => {
    const topic = cloud.topology.topics[0];

    const call = new SNSClient(asFunction('-get-item')).send(
      new PublishCommand({ TopicArn: topic?.arn, Message: 'not mine to send' }),
    );

    await expect(call).rejects.toMatchObject({
      name: 'AuthorizationErrorException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('is refused by SQS with AccessDenied (403) where it has no grant', async () => {
    const queue = cloud.topology.queues.find((each) => each.name.endsWith('-inbox'));

    const call = new SQSClient(asFunction('-get-item')).send(
      new SendMessageCommand({ QueueUrl: queue?.url, MessageBody: 'not mine to send' }),
    );

    await expect(call).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('is refused by Lambda with AccessDeniedException (403) where it has no grant', async () => {
    const call = new LambdaClient(asFunction('-get-item')).send(
      new InvokeCommand({ FunctionName: fn('-list-items').name }),
    );

    await expect(call).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('is refused by Step Functions with AccessDeniedException where it has no grant', async () => {
    const machine = cloud.topology.stateMachines[0];

    const call = new SFNClient(asFunction('-get-item')).send(
      new StartExecutionCommand({ stateMachineArn: machine?.arn, input: '{}' }),
    );

    await expect(call).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('makes its API route fail, and the log line names the function, action, resource and why', async () => {
    const response = await cloud.api('/items/some-id');

    expect(response.status).toBe(500);
    expect(iamLines().join('\n')).toMatch(
      /denied: function \S+-get-item → dynamodb:GetItem on arn:aws:dynamodb:us-east-1:000000000000:table\/\S+-items: no identity-based policy allows the dynamodb:GetItem action/,
    );
  });
});

describe('a request signed with the wrong secret for a function key', () => {
  it('is refused with SignatureDoesNotMatch', async () => {
    const s3 = new S3Client({ ...asFunction('-get-item', 'not-the-secret'), forcePathStyle: true });
    const processed = cloud.topology.buckets.find((bucket) => bucket.name.includes('-processed-'));

    const call = s3.send(
      new GetObjectCommand({ Bucket: processed?.name, Key: 'thumbnails/a.jpg' }),
    );

    await expect(call).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
  });
});

describe('service-to-service paths without their permission', () => {
  it('does not fire the S3 trigger whose aws_lambda_permission is missing', async () => {
    // Given an item with an upload URL
    const created = (await (await cloud.post('/items', { name: 'Never processed' })).json()) as {
      id: string;
    };

    // When the image is uploaded (S3 accepts the object itself)
    const put = await cloud.uploadImage(created.id, Buffer.from('bytes'));

    // Then S3 does not invoke the image processor: it never starts
    expect(put.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(cloud.lines.some((line) => /image-processor\s+START/.test(line))).toBe(false);
  });

  it('does not deliver to a queue whose policy does not allow the topic', async () => {
    // Given a notification the inbox subscription's filter would let through
    const message = `kept out ${Date.now()}`;

    // When it is published
    expect((await cloud.post('/notifications', { message, type: 'notification' })).status).toBe(
      202,
    );

    // Then SNS's delivery to the inbox is refused, and the inbox stays without it
    const refused = await eventually(
      () =>
        Promise.resolve(
          cloud.lines.find((line) => line.includes('not delivered') && line.includes('-inbox')),
        ),
      { what: 'the refused delivery' },
    );
    expect(refused).toMatch(/its policy does not let sns\.amazonaws\.com deliver from \S+-events/);
    const inbox = await cloud.getJson<{ messages: { body: string }[] }>('/messages');
    expect(inbox.messages.some((received) => received.body.includes(message))).toBe(false);
  });

  it("answers POST /messages with the API's mapped error, with CORS, when its integration role may not send to the queue", async () => {
    const response = await cloud.post(
      '/messages',
      { body: 'Never queued' },
      { Origin: cloud.endpoints.web },
    );

    expect(response.status).toBe(500);
    expect(response.headers.get('access-control-allow-origin')).toBe(cloud.endpoints.web);
    expect(await response.json()).toEqual({ message: 'The inbox refused the message' });
    expect(iamLines()).toContainEqual(
      expect.stringMatching(
        /denied: API Gateway integration role \S+-send-to-inbox → sqs:SendMessage on arn:aws:sqs:\S+-inbox:/,
      ),
    );
  });

  it('answers 500 on the API route whose function has no permission for API Gateway', async () => {
    const response = await cloud.api('/audit');

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
  });

  it('fails the workflow task the state machine role may not invoke', async () => {
    const created = (await (await cloud.post('/items', { name: 'Never published' })).json()) as {
      id: string;
    };

    const started = await cloud.post('/workflows', { itemId: created.id });
    const { executionId } = (await started.json()) as { executionId: string };
    const result = await eventually(
      async () => {
        const status = await cloud.getJson<{ status: string; error?: { cause: string } }>(
          `/workflows/${executionId}`,
        );
        return status.status === 'RUNNING' ? undefined : status;
      },
      { what: 'the workflow to finish' },
    );

    expect(result.status).toBe('FAILED');
    expect(result.error?.cause).toContain('is not authorized to perform: lambda:InvokeFunction');
  });
});

describe('the usage record', () => {
  it('lists the denied call and the grants the functions never used', async () => {
    // Given the calls above, recorded as the cloud stops
    await cloud.stop();
    const usage = JSON.parse(
      readFileSync(join(cloud.dataDir, 'iam-usage.json'), 'utf8'),
    ) as UsageFile;

    // When the report is built
    const report = buildUsageReport([usage]);

    // Then get-item's denied read is there, with the smallest policy for what it did
    const getItem = report.callers.find((caller) => caller.name === fn('-get-item').name);
    expect(getItem?.denied.map((call) => call.action)).toContain('dynamodb:GetItem');
    const processed = cloud.topology.buckets.find((bucket) => bucket.name.includes('-processed-'));
    expect(getItem?.smallestPolicy.Statement).toContainEqual({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${processed?.arn}/thumbnails/*`,
    });
    // And the role API Gateway assumed for POST /messages is there, with its refused send
    const integration = report.callers.find((caller) => caller.name.endsWith('-send-to-inbox'));
    expect(integration?.kind).toBe('api-integration');
    expect(integration?.denied.map((call) => call.action)).toEqual(['sqs:SendMessage']);
    // And a function this spec never ran is there too, with every grant unused
    const deleteMessage = report.callers.find(
      (caller) => caller.name === fn('-delete-message').name,
    );
    expect(deleteMessage?.used).toEqual([]);
    expect(deleteMessage?.unused.map((grant) => grant.actionPattern).sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sqs:DeleteMessage',
    ]);
  });
});

describe('in warn mode', () => {
  let warned: TestCloud;

  beforeAll(async () => {
    warned = await startTestCloud({ stackDir, overrides: { iam: 'warn' } });
  }, 60000);

  afterAll(async () => {
    await warned?.dispose();
  });

  it('lets the call through and logs what enforce mode would have refused', async () => {
    // Given get-item's keys on a cloud that only warns
    const getItem = warned.topology.functions.find((each) => each.name.endsWith('-get-item'));
    const table = warned.topology.tables.find((each) => each.name.endsWith('-items'));
    const dynamodb = new DynamoDBClient({
      endpoint: warned.endpoints.aws,
      region: warned.topology.region,
      credentials: warned.credentialsFor('function', getItem?.name ?? ''),
    });

    // When it makes the call its role does not allow
    const answer = await dynamodb.send(
      new GetItemCommand({ TableName: table?.name, Key: { id: { S: 'missing' } } }),
    );

    // Then DynamoDB answers, and the log says it would have been denied
    expect(answer.Item).toBeUndefined();
    expect(warned.lines.join('\n')).toMatch(
      /would deny \(allowed: --iam warn\): function \S+-get-item → dynamodb:GetItem/,
    );
  });
});
