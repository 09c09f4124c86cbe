import { createHash } from 'node:crypto';
import {
  AddPermissionCommand,
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetEventSourceMappingCommand,
  GetFunctionCodeSigningConfigCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  RemovePermissionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import type { AddPermissionCommandInput } from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { eventually } from '@serverless-week/test-support';
import { startEmptyCloud } from '../../support/in-process-cloud';
import { invokeJson } from '../../support/invoke-json';
import { useLambdaCloud } from '../../support/lambda-cloud';
import { putRole } from '../../support/put-role';
import { zipBuffer, zipDeclaring, zipRenamed } from '../../support/function-fixtures';
import { createRoleAllowing } from '../../support/iam-roles';

/**
 * Lambda's control plane on a cloud started with no stack, through the SDK v3 LambdaClient: what
 * it creates runs in the runtime, reads back as AWS shows it, and is refused as AWS refuses it.
 */

jest.setTimeout(30_000);

const ECHO = `exports.handler = async (event) => ({ echo: event, greeting: process.env.GREETING ?? null });`;
const RECORDER = `const seen = [];
exports.handler = async (event) => {
  if (event.Records) { seen.push(...event.Records.map((record) => record.body)); return {}; }
  return seen;
};`;

const fixture = useLambdaCloud({ prefix: 'lambda-control-' });
const roleArn = 'arn:aws:iam::000000000000:role/lambda-role';
let counter = 0;

async function createFunction(source = ECHO, extra: Record<string, unknown> = {}): Promise<string> {
  counter += 1;
  const name = `fn-${counter}`;
  await fixture.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: roleArn,
      Code: { ZipFile: await zipBuffer({ 'index.js': source }) },
      ...extra,
    }),
  );
  return name;
}

/** CreateFunction of `FunctionName` from `ZipFile` (the echo handler's zip by default), sent. */
async function createFrom(FunctionName: string, ZipFile?: Uint8Array): Promise<unknown> {
  return fixture.lambda.send(
    new CreateFunctionCommand({
      FunctionName,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: roleArn,
      Code: { ZipFile: ZipFile ?? (await zipBuffer({ 'index.js': ECHO })) },
    }),
  );
}

const invoke = (name: string, payload: unknown = {}): Promise<unknown> =>
  invokeJson(fixture.lambda, name, payload);

/** AddPermission: `principal` may invoke the function, by the statement `sid`. */
const allowInvoke = (
  name: string,
  sid: string,
  principal: string,
  source: Pick<AddPermissionCommandInput, 'SourceArn' | 'SourceAccount'> = {},
) =>
  fixture.lambda.send(
    new AddPermissionCommand({
      FunctionName: name,
      StatementId: sid,
      Action: 'lambda:InvokeFunction',
      Principal: principal,
      ...source,
    }),
  );

describe('CreateFunction', () => {
  it("creates a function from a zip that then answers an invocation with its handler's result", async () => {
    const name = await createFunction();

    expect(await invoke(name, { ping: 1 })).toEqual({ echo: { ping: 1 }, greeting: null });
  });

  it('reads the function back as AWS shows it: configuration, code, tags, active', async () => {
    const zip = await zipBuffer({ 'index.js': ECHO });
    await fixture.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'read-back',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: roleArn,
        Code: { ZipFile: zip },
        Timeout: 10,
        MemorySize: 256,
        Environment: { Variables: { GREETING: 'hi' } },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/read-back' },
        Tags: { team: 'week' },
      }),
    );

    const answer = await fixture.lambda.send(new GetFunctionCommand({ FunctionName: 'read-back' }));

    expect(answer.Configuration).toMatchObject({
      FunctionName: 'read-back',
      FunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:read-back`,
      Runtime: 'nodejs22.x',
      Role: roleArn,
      Timeout: 10,
      MemorySize: 256,
      CodeSize: zip.length,
      CodeSha256: createHash('sha256').update(zip).digest('base64'),
      Environment: { Variables: { GREETING: 'hi' } },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/read-back' },
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
    });
    expect(answer.Code?.RepositoryType).toBe('S3');
    expect(answer.Tags).toEqual({ team: 'week' });
  });

  it('reads back the architecture it was built for, x86_64 when none was given', async () => {
    const arm = await createFunction(ECHO, { Architectures: ['arm64'] });
    const unsaid = await createFunction();

    const [armAnswer, unsaidAnswer] = await Promise.all(
      [arm, unsaid].map((name) =>
        fixture.lambda.send(new GetFunctionCommand({ FunctionName: name })),
      ),
    );

    expect(armAnswer?.Configuration?.Architectures).toEqual(['arm64']);
    expect(unsaidAnswer?.Configuration?.Architectures).toEqual(['x86_64']);
  });

  it('refuses an architecture Lambda does not run with a ValidationException', async () => {
    const creating = createFunction(ECHO, { Architectures: ['sparc'] });

    await expect(creating).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("Value '[sparc]' at 'architectures'") as unknown,
    });
  });

  it("refuses a role that lambda.amazonaws.com cannot assume with AWS's message", async () => {
    const refusal = fixture.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'wrong-role',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/states-role',
        Code: { ZipFile: await zipBuffer({ 'index.js': ECHO }) },
      }),
    );

    await expect(refusal).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(refusal).rejects.toThrow(
      'The role defined for the function cannot be assumed by Lambda.',
    );
  });

  it('refuses a role that does not exist as it refuses one it cannot assume', async () => {
    const refusal = fixture.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'no-role',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/nobody',
        Code: { ZipFile: await zipBuffer({ 'index.js': ECHO }) },
      }),
    );

    await expect(refusal).rejects.toThrow(
      'The role defined for the function cannot be assumed by Lambda.',
    );
  });

  it('names the role and why when the same role is refused again for the same function', async () => {
    const create = async (): Promise<unknown> =>
      fixture.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'refused-twice',
          Runtime: 'nodejs22.x',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::000000000000:role/states-role',
          Code: { ZipFile: await zipBuffer({ 'index.js': ECHO }) },
        }),
      );
    await expect(create()).rejects.toThrow(
      'The role defined for the function cannot be assumed by Lambda.',
    );

    await expect(create()).rejects.toThrow(
      'The role defined for the function, arn:aws:iam::000000000000:role/states-role, cannot be assumed by Lambda: its trust policy does not allow lambda.amazonaws.com to call sts:AssumeRole.',
    );
  });

  it.each(['..', 'arn:aws:lambda:us-east-1:000000000000:function:..'])(
    "refuses the name %s, which would climb out of the packages' directory, with Lambda's validation message",
    async (FunctionName) => {
      const creating = createFrom(FunctionName);

      await expect(creating).rejects.toThrow(
        `1 validation error detected: Value '${FunctionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
      );
    },
  );

  it('refuses a name longer than 64 characters with its length constraint', async () => {
    const FunctionName = 'f'.repeat(65);

    const creating = createFrom(FunctionName);

    await expect(creating).rejects.toThrow(
      `1 validation error detected: Value '${FunctionName}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
  });

  it('refuses a second function of the same name with ResourceConflictException', async () => {
    const name = await createFunction();

    const again = createFrom(name);

    await expect(again).rejects.toBeInstanceOf(ResourceConflictException);
    await expect(again).rejects.toThrow(`Function already exist: ${name}`);
  });

  it('refuses code that is not a zip', async () => {
    const refusal = createFrom('not-a-zip', Buffer.from('exports.handler = 1'));

    await expect(refusal).rejects.toThrow('Could not unzip uploaded file.');
  });

  it.each([
    [
      'an entry that climbs out of its directory',
      () => zipRenamed({ 'aa/x.js': '' }, { 'aa/x.js': '../x.js' }),
    ],
    [
      'an entry with an absolute path',
      () => zipRenamed({ _tmp_x_js: '' }, { _tmp_x_js: '/tmp/x.js' }),
    ],
    ['a symbolic link', () => zipBuffer({ 'index.js': '/etc/passwd' }, { 'index.js': 0o120777 })],
    [
      'bytes after a zip signature that are no zip',
      () => Promise.resolve(Buffer.from('PK\x03\x04 and then nothing', 'latin1')),
    ],
  ])('refuses a package holding %s, and makes no function', async (_case, zip) => {
    // Given a package no function may be unpacked from
    const ZipFile = await zip();

    // When a function is created from it
    const creating = createFrom('hostile-package', ZipFile);

    // Then Lambda's InvalidParameterValueException answers, and there is no such function
    await expect(creating).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(creating).rejects.toThrow(/^Could not unzip uploaded file/);
    await expect(
      fixture.lambda.send(new GetFunctionCommand({ FunctionName: 'hostile-package' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("refuses a package that unzips to more than Lambda's 250 MB with AWS's message", async () => {
    const creating = createFrom('zip-bomb', await zipDeclaring({ 'index.js': '' }, 300_000_000));

    await expect(creating).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(creating).rejects.toThrow('Unzipped size must be smaller than 262144000 bytes');
  });

  it('lists the one version, $LATEST, and no code signing configuration', async () => {
    const name = await createFunction();

    const versions = await fixture.lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: name }),
    );
    const signing = await fixture.lambda.send(
      new GetFunctionCodeSigningConfigCommand({ FunctionName: name }),
    );

    expect(versions.Versions?.map((version) => version.Version)).toEqual(['$LATEST']);
    expect(signing.CodeSigningConfigArn ?? '').toBe('');
  });
});

describe('UpdateFunctionCode and UpdateFunctionConfiguration', () => {
  it('runs the new code from the next invocation', async () => {
    const name = await createFunction();
    await invoke(name);

    await fixture.lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: name,
        ZipFile: await zipBuffer({ 'index.js': 'exports.handler = async () => "new code";' }),
      }),
    );

    expect(await invoke(name)).toBe('new code');
  });

  it('refuses new code whose entry climbs out of its directory, and keeps running the old', async () => {
    const name = await createFunction();

    const updating = fixture.lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: name,
        ZipFile: await zipRenamed({ 'aa/x.js': '' }, { 'aa/x.js': '../x.js' }),
      }),
    );

    await expect(updating).rejects.toBeInstanceOf(InvalidParameterValueException);
    expect(await invoke(name, { still: 'old' })).toEqual({
      echo: { still: 'old' },
      greeting: null,
    });
  });

  it('gives the function its new environment', async () => {
    const name = await createFunction();

    await fixture.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        Environment: { Variables: { GREETING: 'updated' } },
      }),
    );

    expect(await invoke(name)).toEqual({ echo: {}, greeting: 'updated' });
  });

  it('refuses reserved environment variables', async () => {
    const name = await createFunction();

    const refusal = fixture.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        Environment: { Variables: { AWS_REGION: 'eu-west-1' } },
      }),
    );

    await expect(refusal).rejects.toThrow('Reserved keys used in this request: AWS_REGION');
  });
});

describe('DeleteFunction', () => {
  it('removes the function: GetFunction then answers ResourceNotFoundException', async () => {
    const name = await createFunction();

    await fixture.lambda.send(new DeleteFunctionCommand({ FunctionName: name }));

    const read = fixture.lambda.send(new GetFunctionCommand({ FunctionName: name }));
    await expect(read).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(read).rejects.toThrow(
      `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    );
  });
});

describe('concurrency and tags', () => {
  it('reads back the reserved concurrency it was given', async () => {
    const name = await createFunction();

    await fixture.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 3 }),
    );

    const answer = await fixture.lambda.send(
      new GetFunctionConcurrencyCommand({ FunctionName: name }),
    );
    expect(answer.ReservedConcurrentExecutions).toBe(3);
  });

  it('lists the tags a function was given later', async () => {
    const name = await createFunction();
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

    await fixture.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { stage: 'local' } }));

    expect((await fixture.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({
      stage: 'local',
    });
  });
});

describe('AddPermission, GetPolicy, RemovePermission', () => {
  it('shows a permission as AWS writes the statement', async () => {
    const name = await createFunction();

    await allowInvoke(name, 'from-bucket', 's3.amazonaws.com', {
      SourceArn: 'arn:aws:s3:::uploads',
      SourceAccount: '000000000000',
    });

    const policy = await fixture.lambda.send(new GetPolicyCommand({ FunctionName: name }));
    expect(JSON.parse(policy.Policy ?? '{}')).toEqual({
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        {
          Sid: 'from-bucket',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
          Condition: {
            ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' },
            StringEquals: { 'AWS:SourceAccount': '000000000000' },
          },
        },
      ],
    });
  });

  it('refuses a statement id the policy already has with ResourceConflictException', async () => {
    const name = await createFunction();
    await allowInvoke(name, 'twice', 'sns.amazonaws.com');

    await expect(allowInvoke(name, 'twice', 'sns.amazonaws.com')).rejects.toBeInstanceOf(
      ResourceConflictException,
    );
  });

  it('answers GetPolicy with ResourceNotFoundException once the last statement is removed', async () => {
    const name = await createFunction();
    await allowInvoke(name, 'gone', 'sns.amazonaws.com');

    await fixture.lambda.send(
      new RemovePermissionCommand({ FunctionName: name, StatementId: 'gone' }),
    );

    await expect(
      fixture.lambda.send(new GetPolicyCommand({ FunctionName: name })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('IAM for deployed functions', () => {
  /** A client that signs with the key pair of a deployed function (as its code would). */
  function clientOf(name: string): LambdaClient {
    return fixture.client(LambdaClient, fixture.cloud.credentialsFor('function', name));
  }

  it("lets a deployed function's own key pair sign, judged by the function's role", async () => {
    const caller = await createFunction();
    const target = await createFunction();
    const signed = clientOf(caller);

    const refusal = signed.send(new InvokeCommand({ FunctionName: target }));

    await expect(refusal).rejects.toThrow(
      `User: arn:aws:sts::000000000000:assumed-role/lambda-role/${caller} is not authorized to perform: lambda:InvokeFunction`,
    );
    signed.destroy();
  });

  it('allows what a permission added through the API allows, as a booted one does', async () => {
    const caller = await createFunction();
    const target = await createFunction();
    const signed = clientOf(caller);
    await allowInvoke(target, 'from-caller-role', roleArn);

    const answer = await signed.send(new InvokeCommand({ FunctionName: target }));

    expect(answer.StatusCode).toBe(200);
    signed.destroy();
  });
});

describe('event invoke configs', () => {
  it('reads back what PutFunctionEventInvokeConfig set, and nothing once deleted', async () => {
    const name = await createFunction();
    const queueArn = 'arn:aws:sqs:us-east-1:000000000000:failures';

    await fixture.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: queueArn } },
      }),
    );
    const read = await fixture.lambda.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: name }),
    );
    await fixture.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: name }));

    expect(read).toMatchObject({
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
    expect(read.MaximumEventAgeInSeconds).toBeUndefined();
    await expect(
      fixture.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('event source mappings', () => {
  const POLLER = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
  let sqs: SQSClient;
  let iam: IAMClient;

  beforeAll(() => {
    sqs = fixture.client(SQSClient);
    iam = fixture.client(IAMClient);
  });

  async function createQueue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    return { url: QueueUrl ?? '', arn: Attributes?.QueueArn ?? '' };
  }

  /** A role Lambda may assume, made with IAM's API, allowed `actions` on `queueArn`. */
  const roleAllowing = (name: string, actions: string[], queueArn: string): Promise<string> =>
    createRoleAllowing(iam, name, 'lambda.amazonaws.com', actions, queueArn);

  const createMapping = (functionName: string, queueArn: string) =>
    fixture.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: functionName,
        EventSourceArn: queueArn,
        BatchSize: 1,
      }),
    );

  const mappingsOf = (queueArn: string) =>
    fixture.cloud.resources
      .list('eventSourceMappings')
      .filter((mapping) => mapping.eventSourceArn === queueArn);

  it('delivers a message sent to the queue to the deployed function', async () => {
    // Given a queue and a function whose role may poll it
    const queue = await createQueue('mapped');
    const role = await roleAllowing('mapped-poller', POLLER, queue.arn);
    // One sandbox, so the invocation that asks what it saw is the one that saw it.
    const name = await createFunction(RECORDER, { Role: role });
    await fixture.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 1 }),
    );

    // When a mapping is created and a message sent
    const created = await createMapping(name, queue.arn);
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'hello' }));

    // Then the function receives it, and the mapping is gone once deleted
    expect(created.State).toBe('Creating');
    await eventually(
      async () => ((await invoke(name)) as string[]).includes('hello') || undefined,
      {
        what: 'the message to reach the function',
      },
    );
    await fixture.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
    await expect(
      fixture.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it("refuses a mapping whose function's role may not receive from the queue, in AWS's words", async () => {
    // Given a queue and a function whose role has no policy on it
    const queue = await createQueue('unreadable');
    const name = await createFunction(ECHO, {
      Role: await roleAllowing('no-poller', [], queue.arn),
    });

    // When a mapping from the queue to the function is created
    const creating = createMapping(name, queue.arn);

    // Then Lambda refuses it, and there is no mapping
    await expect(creating).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(creating).rejects.toThrow(
      'The function execution role does not have permissions to call ReceiveMessage on SQS',
    );
    expect(mappingsOf(queue.arn)).toEqual([]);
  });

  it('names the first action the role lacks when it may receive but not delete', async () => {
    // Given a function whose role may receive from the queue and read its attributes only
    const queue = await createQueue('undeletable');
    const role = await roleAllowing(
      'receive-only',
      ['sqs:ReceiveMessage', 'sqs:GetQueueAttributes'],
      queue.arn,
    );
    const name = await createFunction(ECHO, { Role: role });

    // When a mapping from the queue to the function is created
    const creating = createMapping(name, queue.arn);

    // Then Lambda names DeleteMessage
    await expect(creating).rejects.toThrow(
      'The function execution role does not have permissions to call DeleteMessage on SQS',
    );
  });

  it('names the role, the queue and why when the same mapping is refused again', async () => {
    // Given a mapping refused once for a role that may not poll
    const queue = await createQueue('refused-twice');
    const role = await roleAllowing('refused-poller', [], queue.arn);
    const name = await createFunction(ECHO, { Role: role });
    await expect(createMapping(name, queue.arn)).rejects.toThrow(
      'execution role does not have permissions',
    );

    // When it is created again (as a client retrying for IAM's propagation would)
    const again = createMapping(name, queue.arn);

    // Then the refusal says why, in words such a client does not retry on
    await expect(again).rejects.toThrow(
      `The role of function ${name}, ${role}, may not call sqs:ReceiveMessage on ${queue.arn}: no policy of the role or the queue allows it.`,
    );
  });

  it('creates the mapping once a policy put on the role allows polling', async () => {
    // Given a mapping refused for a role that may not poll
    const queue = await createQueue('allowed-later');
    const name = await createFunction(ECHO, {
      Role: await roleAllowing('later-poller', [], queue.arn),
    });
    await expect(createMapping(name, queue.arn)).rejects.toThrow('ReceiveMessage');

    // When the role is given the poller's actions on the queue
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'later-poller',
        PolicyName: 'poll',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: POLLER, Resource: queue.arn }],
        }),
      }),
    );

    // Then the mapping is created
    const created = await createMapping(name, queue.arn);
    expect(mappingsOf(queue.arn).map((mapping) => mapping.uuid)).toEqual([created.UUID]);
  });
});

describe('a restart', () => {
  it('keeps a deployed function, which still runs', async () => {
    const restarted = await startEmptyCloud({ prefix: 'lambda-restart-' });
    putRole(restarted.cloud, 'lambda-role', 'lambda.amazonaws.com');
    await restarted.client(LambdaClient).send(
      new CreateFunctionCommand({
        FunctionName: 'survivor',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: roleArn,
        Code: {
          ZipFile: await zipBuffer({ 'index.js': 'exports.handler = async () => "still here";' }),
        },
      }),
    );

    await restarted.restart();
    const answer = await restarted
      .client(LambdaClient)
      .send(new InvokeCommand({ FunctionName: 'survivor' }));
    await restarted.stop();

    expect(Buffer.from(answer.Payload ?? []).toString('utf8')).toBe('"still here"');
  });
});
