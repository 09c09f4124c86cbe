/**
 * Step Functions, with the stack's state machines and those the control plane deploys (it
 * follows the registry): tasks call the local functions and, with their machine's own keys, the
 * local services.
 */
import { join } from 'node:path';
import type { ServiceLinks } from '../iam/service-links';
import type { FunctionRuntime } from '../services/lambda/function-runtime';
import { StateMachineControl } from '../services/step-functions/state-machine-control';
import { createStateMachineTasks } from '../services/step-functions/state-machine-tasks';
import { StepFunctionsService } from '../services/step-functions/step-functions';
import { unwind } from './started-services';
import type { Access } from './control-access';
import type { BootContext, Started } from './types';

export interface WorkflowLinks {
  functions: FunctionRuntime;
  links: ServiceLinks;
  /** Each state machine signs with its own key pair. */
  access: Access;
  /** Whether CloudWatch Logs has the log group a logging configuration names. */
  logGroupExists: (name: string) => boolean;
}

export function startWorkflows(
  { topology, resources, endpoints, dataDir, log }: BootContext,
  { functions, links, access, logGroupExists }: WorkflowLinks,
): Started<StepFunctionsService> {
  const tasks = createStateMachineTasks({
    invokeFunction: (arn, payload) => functions.invoke(arn, payload),
    mayInvoke: (machine, arn) => links.mayInvokeFromStateMachine(machine, arn),
    awsEndpoint: endpoints.aws,
    region: topology.region,
    credentialsFor: (machine) => access.credentialsFor('state-machine', machine.name),
  });
  const stepFunctions = new StepFunctionsService({
    stateMachines: topology.stateMachines,
    control: new StateMachineControl({
      resources,
      region: topology.region,
      accountId: topology.accountId,
      logGroupExists,
    }),
    integrationsFor: (machine) => tasks.integrationsFor(machine),
    region: topology.region,
    accountId: topology.accountId,
    log,
    journalFile: join(dataDir, 'stepfunctions.journal'),
    legacyStateFile: join(dataDir, 'stepfunctions.json'),
  });
  const unsubscribe = resources.subscribe('stateMachines', (change) => {
    // Its integrations were bound to the spec it had (its role): they are made anew.
    tasks.forget(change.type === 'put' ? (change.previous ?? change.spec) : change.spec);
    if (change.type === 'put') stepFunctions.deploy(change.spec);
    else stepFunctions.retire(change.spec.arn);
  });
  return {
    service: stepFunctions,
    stop: () => unwind([unsubscribe, () => tasks.destroy(), () => stepFunctions.stop()]),
  };
}
