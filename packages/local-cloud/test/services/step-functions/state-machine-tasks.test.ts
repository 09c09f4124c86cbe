/**
 * The tasks of each state machine call the local functions with the machine's role: a function
 * the role may not invoke fails the task as Step Functions' Lambda client fails it, and each
 * machine keeps its own integrations.
 */
import { createStateMachineTasks } from '../../../src/services/step-functions/state-machine-tasks';
import type { StateMachineTaskTargets } from '../../../src/services/step-functions/state-machine-tasks';
import { FIXTURE_ACCOUNT, FIXTURE_REGION } from '../../support/queue-fixtures';
import { stateMachine } from '../../support/state-machine-fixtures';

const FUNCTION_ARN = `arn:aws:lambda:${FIXTURE_REGION}:${FIXTURE_ACCOUNT}:function:validate-item`;
const PASS = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };

function targets(overrides: Partial<StateMachineTaskTargets> = {}): StateMachineTaskTargets {
  return {
    invokeFunction: () => Promise.resolve({ payload: '{"valid":true}' }),
    mayInvoke: () => ({ allowed: true }),
    // Never called: these specs make no service calls.
    awsEndpoint: 'http://127.0.0.1:1',
    region: FIXTURE_REGION,
    credentialsFor: () => ({ accessKeyId: 'AKIA', secretAccessKey: 'secret' }),
    ...overrides,
  };
}

it("invokes the function a machine's role may invoke and gives its result to the task", async () => {
  const tasks = createStateMachineTasks(targets());

  const result = await tasks
    .integrationsFor(stateMachine('publish-item', PASS))
    .lambda(FUNCTION_ARN, {});

  expect(result).toEqual({ valid: true });
});

it("fails the task as Step Functions' Lambda client does when the role may not invoke it", async () => {
  const invoked: string[] = [];
  const tasks = createStateMachineTasks(
    targets({
      invokeFunction: (arn) => {
        invoked.push(arn);
        return Promise.resolve({ payload: '{}' });
      },
      mayInvoke: () => ({
        allowed: false,
        message: 'not authorized to perform: lambda:InvokeFunction',
      }),
    }),
  );

  const task = tasks.integrationsFor(stateMachine('publish-item', PASS)).lambda(FUNCTION_ARN, {});

  await expect(task).rejects.toMatchObject({
    name: 'Lambda.AWSLambdaException',
    message:
      'not authorized to perform: lambda:InvokeFunction (Status Code: 403; Error Code: AccessDeniedException)',
  });
  expect(invoked).toEqual([]);
});

it('asks IAM about the machine whose task invokes', async () => {
  const asked: string[] = [];
  const tasks = createStateMachineTasks(
    targets({
      mayInvoke: (machine) => {
        asked.push(machine.name);
        return { allowed: true };
      },
    }),
  );

  await tasks.integrationsFor(stateMachine('publish-item', PASS)).lambda(FUNCTION_ARN, {});

  expect(asked).toEqual(['publish-item']);
});

it("keeps one set of integrations per machine, made with that machine's keys", () => {
  const keysMadeFor: string[] = [];
  const tasks = createStateMachineTasks(
    targets({
      credentialsFor: (machine) => {
        keysMadeFor.push(machine.name);
        return { accessKeyId: `AKIA-${machine.name}`, secretAccessKey: 'secret' };
      },
    }),
  );
  const publish = stateMachine('publish-item', PASS);
  const archive = stateMachine('archive-item', PASS);

  const first = tasks.integrationsFor(publish);
  const again = tasks.integrationsFor(publish);
  const other = tasks.integrationsFor(archive);

  expect(again).toBe(first);
  expect(other).not.toBe(first);
  expect(keysMadeFor).toEqual(['publish-item', 'archive-item']);
});
