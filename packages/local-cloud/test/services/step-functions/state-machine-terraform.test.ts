/**
 * aws_sfn_state_machine with the real Terraform and AWS provider 5.100.0 against an empty local
 * cloud: a machine logging to a log group applied with it, planned again with no changes, run,
 * and destroyed with its group, leaving nothing; invalid ASL fails the apply with the diagnostics
 * of Step Functions' ValidateStateMachineDefinition. The machine's role is put into the registry as IAM's control
 * plane puts the roles Terraform creates (aws_iam_role joins the configuration once IAM is served).
 */
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { finishedExecution } from '../../support/finished-execution';
import { startEmptyCloud } from '../../support/in-process-cloud';
import type { InProcessCloud } from '../../support/in-process-cloud';
import { GREETING_DEFINITION, serviceRole } from '../../support/state-machine-fixtures';

// Each terraform run starts the provider (a 500 MB binary): tens of seconds on a busy machine.
jest.setTimeout(300_000);

const ROLE_ARN = 'arn:aws:iam::000000000000:role/publish-workflow';
const GROUP = '/aws/vendedlogs/states/publish';

let empty: InProcessCloud;
let sfn: SFNClient;
let logs: CloudWatchLogsClient;

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

beforeEach(async () => {
  empty = await startEmptyCloud({ prefix: 'sfn-tf-' });
  empty.cloud.resources.put('roles', serviceRole(ROLE_ARN, 'states.amazonaws.com'));
  sfn = empty.client(SFNClient);
  logs = empty.client(CloudWatchLogsClient);
});

afterEach(() => empty?.stop());

it('applies a machine logging to its log group, plans no changes, runs it, and destroys both, leaving nothing', async () => {
  const terraform = await empty.terraform(configuration(GREETING_DEFINITION));

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
  const terraform = await empty.terraform(
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
