/**
 * aws_sfn_state_machine with the real Terraform and AWS provider 5.100.0 against an empty local
 * cloud: a machine logging to a log group applied with it, planned again with no changes, run,
 * and destroyed with its group, leaving nothing; invalid ASL fails the apply with the diagnostics
 * of Step Functions' ValidateStateMachineDefinition. The machine's role is put into the registry as IAM's control
 * plane puts the roles Terraform creates (aws_iam_role joins the configuration once IAM is served).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { LocalTerraform } from '@serverless-week/test-support';
import { startLocalCloud } from '../../../src/local-cloud';
import type { LocalCloud } from '../../../src/local-cloud';
import { silentLog } from '../../../src/log';
import { finishedExecution } from '../../support/finished-execution';
import { GREETING_DEFINITION, serviceRole } from '../../support/state-machine-fixtures';

// Each terraform run starts the provider (a 500 MB binary): tens of seconds on a busy machine.
jest.setTimeout(300_000);

const ROLE_ARN = 'arn:aws:iam::000000000000:role/publish-workflow';
const GROUP = '/aws/vendedlogs/states/publish';

let dataDir: string;
let cloud: LocalCloud;
let sfn: SFNClient;
let logs: CloudWatchLogsClient;
let terraform: LocalTerraform | undefined;

/** A log group and a machine logging to it, whose definition `definition` writes. */
function configuration(definition: Record<string, unknown>): Record<string, unknown> {
  return {
    resource: {
      aws_cloudwatch_log_group: { states: { name: GROUP, retention_in_days: 7 } },
      aws_sfn_state_machine: {
        publish: {
          name: 'publish',
          role_arn: ROLE_ARN,
          definition: JSON.stringify(definition),
          logging_configuration: [
            {
              log_destination: '${aws_cloudwatch_log_group.states.arn}:*',
              level: 'ERROR',
              include_execution_data: true,
            },
          ],
          tags: { stage: 'local' },
        },
      },
    },
    output: { arn: { value: '${aws_sfn_state_machine.publish.arn}' } },
  };
}

const target = () => ({ aws: cloud.endpoints.aws, credentials: cloud.adminCredentials });

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sfn-tf-'));
  cloud = await startLocalCloud({
    dataDir,
    ports: { web: 0, api: 0, httpApi: 0, aws: 0 },
    log: silentLog,
  });
  cloud.resources.put('roles', serviceRole(ROLE_ARN, 'states.amazonaws.com'));
  const client = {
    endpoint: cloud.endpoints.aws,
    region: 'us-east-1',
    credentials: cloud.adminCredentials,
  };
  sfn = new SFNClient(client);
  logs = new CloudWatchLogsClient(client);
});

afterEach(async () => {
  terraform?.remove();
  sfn.destroy();
  logs.destroy();
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('applies a machine logging to its log group, plans no changes, runs it, and destroys both, leaving nothing', async () => {
  terraform = await LocalTerraform.create(target(), configuration(GREETING_DEFINITION));

  const apply = await terraform.apply();
  const plan = await terraform.plan();
  const { arn } = await terraform.outputs();
  const execution = await finishedExecution(sfn, String(arn), '{"who":"ada"}');
  const destroy = await terraform.destroy();

  expect(apply).toMatchObject({ exitCode: 0 });
  expect(plan).toMatchObject({ exitCode: 0 });
  expect(execution).toMatchObject({ status: 'SUCCEEDED', output: '{"greeting":"hi ada"}' });
  expect(destroy).toMatchObject({ exitCode: 0 });
  const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
  const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));
  expect(stateMachines).toEqual([]);
  expect(logGroups).toEqual([]);
});

it("fails the apply with Step Functions' diagnostics for a definition that is not valid ASL", async () => {
  terraform = await LocalTerraform.create(
    target(),
    configuration({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } }),
  );

  // Provider 5.100.0 asks ValidateStateMachineDefinition when it plans (and again at apply, once
  // the definition is known), so CreateStateMachine's InvalidDefinition is never reached.
  const apply = await terraform.apply();

  expect(apply.exitCode).toBe(1);
  expect(apply.output).toContain(
    'invalid Step Functions State Machine definition: ERROR (MISSING_TRANSITION_TARGET)',
  );
  const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
  expect(stateMachines).toEqual([]);
});
