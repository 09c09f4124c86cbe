/**
 * Step Functions' control plane on an empty local cloud, through the SDK's SFNClient: a state
 * machine created with its role, logging configuration and tags is read back exactly, runs, is
 * updated, tagged and deleted, and outlives a restart; what AWS refuses (invalid ASL, a role Step
 * Functions cannot assume, a log group that does not exist, a name taken) is refused with AWS's
 * error. The role is put into the registry as IAM's control plane would put it.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachineVersionsCommand,
  ListTagsForResourceCommand,
  SFNClient,
  StateMachineDoesNotExist,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import type { CreateStateMachineCommandInput } from '@aws-sdk/client-sfn';
import { finishedExecution } from '../../support/finished-execution';
import { startEmptyCloud } from '../../support/in-process-cloud';
import type { InProcessCloud } from '../../support/in-process-cloud';
import { GREETING_DEFINITION, serviceRole } from '../../support/state-machine-fixtures';

const ACCOUNT = '000000000000';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/workflow`;
const MACHINE_ARN = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:publish`;
const GROUP = '/aws/vendedlogs/states/publish';
const GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`;
const DEFINITION = JSON.stringify(GREETING_DEFINITION);

const role = (service: string, arn = ROLE_ARN) => serviceRole(arn, service);

let empty: InProcessCloud;
let sfn: SFNClient;
let logs: CloudWatchLogsClient;

/** Clients of the cloud running now. */
function connect(): void {
  sfn = empty.client(SFNClient);
  logs = empty.client(CloudWatchLogsClient);
}

const create = (input: Partial<CreateStateMachineCommandInput> = {}) =>
  sfn.send(
    new CreateStateMachineCommand({
      name: 'publish',
      definition: DEFINITION,
      roleArn: ROLE_ARN,
      ...input,
    }),
  );

beforeEach(async () => {
  empty = await startEmptyCloud({ prefix: 'sfn-control-' });
  connect();
  empty.cloud.resources.put('roles', role('states.amazonaws.com'));
}, 30000);

afterEach(() => empty?.stop());

describe('CreateStateMachine', () => {
  it('creates a machine DescribeStateMachine reads back exactly', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const loggingConfiguration = {
      level: 'ERROR' as const,
      includeExecutionData: true,
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } }],
    };

    const { stateMachineArn, creationDate } = await create({
      loggingConfiguration,
      tracingConfiguration: { enabled: false },
    });
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));

    expect(stateMachineArn).toBe(MACHINE_ARN);
    expect(described).toMatchObject({
      stateMachineArn: MACHINE_ARN,
      name: 'publish',
      status: 'ACTIVE',
      definition: DEFINITION,
      roleArn: ROLE_ARN,
      type: 'STANDARD',
      creationDate,
      loggingConfiguration,
      tracingConfiguration: { enabled: false },
    });
  });

  it('runs executions of the machine it created', async () => {
    await create();

    const execution = await finishedExecution(sfn, MACHINE_ARN, '{"who":"ada"}');

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '')).toEqual({ greeting: 'hi ada' });
  });

  it('keeps the machine across a restart of the empty cloud', async () => {
    await create({ tags: [{ key: 'stage', value: 'local' }] });

    await empty.restart();
    connect();

    const { tags } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: MACHINE_ARN }));
    expect(tags).toEqual([{ key: 'stage', value: 'local' }]);
    expect((await finishedExecution(sfn, MACHINE_ARN, '{"who":"bob"}')).status).toBe('SUCCEEDED');
  });

  it('answers InvalidDefinition with the validator code for invalid ASL', async () => {
    const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } });

    await expect(create({ definition })).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringMatching(
        /^Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: /,
      ) as string,
    });
  });

  it('answers AccessDeniedException for a role Step Functions may not assume', async () => {
    const lambdaRole = `arn:aws:iam::${ACCOUNT}:role/lambda-only`;
    empty.cloud.resources.put('roles', role('lambda.amazonaws.com', lambdaRole));

    await expect(create({ roleArn: lambdaRole })).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message:
        'Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role.',
    });
  });

  it('names the role and why, as a ValidationException, when the same role is refused again', async () => {
    const lambdaRole = `arn:aws:iam::${ACCOUNT}:role/lambda-only`;
    empty.cloud.resources.put('roles', role('lambda.amazonaws.com', lambdaRole));
    await create({ roleArn: lambdaRole }).catch(() => undefined);

    // Terraform's provider retries AccessDeniedException (IAM propagation): a repeat is final.
    await expect(create({ roleArn: lambdaRole })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        `The role ${lambdaRole} cannot be assumed by Step Functions: its trust policy does not allow states.amazonaws.com`,
      ) as string,
    });
  });

  it('answers InvalidLoggingConfiguration for a log group that does not exist', async () => {
    await expect(
      create({
        loggingConfiguration: {
          level: 'ALL',
          destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } }],
        },
      }),
    ).rejects.toMatchObject({ name: 'InvalidLoggingConfiguration' });
  });

  it('answers InvalidLoggingConfiguration for a log group ARN without its :* qualifier', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));

    await expect(
      create({
        loggingConfiguration: {
          level: 'ALL',
          destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN.slice(0, -2) } }],
        },
      }),
    ).rejects.toThrow(
      "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.",
    );
  });

  it('answers the same machine for the same request, and StateMachineAlreadyExists for another definition', async () => {
    const first = await create();

    const again = await create();
    const other = create({ definition: DEFINITION.replace('hi', 'hello') });

    expect(again.creationDate).toEqual(first.creationDate);
    await expect(other).rejects.toMatchObject({
      name: 'StateMachineAlreadyExists',
      message: `State Machine Already Exists: '${MACHINE_ARN}'`,
    });
  });
});

describe('UpdateStateMachine', () => {
  it('changes the definition the next executions run, with a new revision id', async () => {
    await create();

    const { revisionId } = await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: MACHINE_ARN,
        definition: DEFINITION.replace('hi', 'hello'),
      }),
    );

    const described = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN }),
    );
    expect(described.revisionId).toBe(revisionId);
    expect(
      JSON.parse((await finishedExecution(sfn, MACHINE_ARN, '{"who":"cy"}')).output ?? ''),
    ).toEqual({
      greeting: 'hello cy',
    });
  });
});

describe('DeleteStateMachine', () => {
  it('removes the machine: DescribeStateMachine answers StateMachineDoesNotExist', async () => {
    await create();

    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: MACHINE_ARN }));

    await expect(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE_ARN })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('tags, versions and validation', () => {
  it('TagResource and UntagResource change what ListTagsForResource lists', async () => {
    await create({ tags: [{ key: 'a', value: '1' }] });

    await sfn.send(
      new TagResourceCommand({ resourceArn: MACHINE_ARN, tags: [{ key: 'b', value: '2' }] }),
    );
    await sfn.send(new UntagResourceCommand({ resourceArn: MACHINE_ARN, tagKeys: ['a'] }));

    const { tags } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: MACHINE_ARN }));
    expect(tags).toEqual([{ key: 'b', value: '2' }]);
  });

  it('lists no versions of a machine never published', async () => {
    await create();

    const { stateMachineVersions } = await sfn.send(
      new ListStateMachineVersionsCommand({ stateMachineArn: MACHINE_ARN }),
    );

    expect(stateMachineVersions).toEqual([]);
  });

  it('ValidateStateMachineDefinition answers FAIL with its diagnostics for invalid ASL', async () => {
    const answer = await sfn.send(
      new ValidateStateMachineDefinitionCommand({
        definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass' } } }),
      }),
    );

    expect(answer.result).toBe('FAIL');
    expect(answer.diagnostics?.[0]).toMatchObject({ severity: 'ERROR' });
  });

  it('ValidateStateMachineDefinition answers OK for valid ASL', async () => {
    const answer = await sfn.send(
      new ValidateStateMachineDefinitionCommand({ definition: DEFINITION }),
    );

    expect(answer).toMatchObject({ result: 'OK', diagnostics: [] });
  });
});
