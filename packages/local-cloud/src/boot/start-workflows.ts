/**
 * Step Functions, with the stack's state machines: tasks call the local functions and, with
 * their machine's own keys, the local services.
 */
import { join } from 'node:path';
import type { ServiceLinks } from '../iam/service-links';
import type { FunctionRuntime } from '../services/lambda/function-runtime';
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
}

export function startWorkflows(
  { topology, endpoints, dataDir, log }: BootContext,
  { functions, links, access }: WorkflowLinks,
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
    integrationsFor: (machine) => tasks.integrationsFor(machine),
    region: topology.region,
    accountId: topology.accountId,
    log,
    journalFile: join(dataDir, 'stepfunctions.journal'),
    legacyStateFile: join(dataDir, 'stepfunctions.json'),
  });
  return {
    service: stepFunctions,
    stop: () => unwind([() => tasks.destroy(), () => stepFunctions.stop()]),
  };
}
