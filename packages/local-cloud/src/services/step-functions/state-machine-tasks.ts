/**
 * What the Task states of the stack's state machines call, bound to the local cloud: the local
 * functions (when the machine's role may invoke them) and, with the machine's own keys, the local
 * services. Each machine gets its integrations at its first task, as each acts with its own role;
 * they are destroyed together when the local cloud stops.
 */
import type { StateMachineSpec } from '../../stack/topology';
import { createTaskIntegrations } from './task-integrations';
import type { LocalTaskTargets } from './task-integrations';
import type { TaskIntegrations } from './workflow-runner';

export interface StateMachineTaskTargets {
  /** Invokes a function synchronously: FunctionRuntime.invoke satisfies this. */
  invokeFunction: LocalTaskTargets['invokeFunction'];
  /** Whether the machine's role may invoke the function (IAM); when not, AWS's message. */
  mayInvoke(machine: StateMachineSpec, functionArn: string): { allowed: boolean; message?: string };
  awsEndpoint: string;
  region: string;
  /** The key pair the machine signs its service calls with. */
  credentialsFor(machine: StateMachineSpec): LocalTaskTargets['credentials'];
}

export interface StateMachineTasks {
  /** What a machine's tasks call (StepFunctionsOptions.integrationsFor). */
  integrationsFor(machine: StateMachineSpec): TaskIntegrations;
  /** Drops a machine's integrations (it changed or is gone): its next task builds them anew. */
  forget(machine: StateMachineSpec): void;
  /** Closes the service clients of every machine's integrations. */
  destroy(): void;
}

export function createStateMachineTasks(targets: StateMachineTaskTargets): StateMachineTasks {
  const integrations = new Map<string, ReturnType<typeof createTaskIntegrations>>();
  return {
    integrationsFor: (machine) => {
      let integration = integrations.get(machine.name);
      if (!integration) {
        integration = createTaskIntegrations({
          invokeFunction: invokeAs(machine, targets),
          awsEndpoint: targets.awsEndpoint,
          region: targets.region,
          credentials: targets.credentialsFor(machine),
        });
        integrations.set(machine.name, integration);
      }
      return integration;
    },
    forget: (machine) => {
      integrations.get(machine.name)?.destroy();
      integrations.delete(machine.name);
    },
    destroy: () => integrations.forEach((integration) => integration.destroy()),
  };
}

/** Invokes a function with the machine's role, refused as Step Functions' Lambda client is. */
function invokeAs(
  machine: StateMachineSpec,
  targets: StateMachineTaskTargets,
): LocalTaskTargets['invokeFunction'] {
  return (functionArn, payload) => {
    const check = targets.mayInvoke(machine, functionArn);
    if (check.allowed) return targets.invokeFunction(functionArn, payload);
    // What the Lambda client inside Step Functions raises: Lambda.AWSLambdaException.
    const denied = new Error(
      `${check.message} (Status Code: 403; Error Code: AccessDeniedException)`,
    );
    denied.name = 'AWSLambdaException';
    return Promise.reject(denied);
  };
}
