/**
 * A graceful stop: every port stops taking requests, what is in flight finishes (bounded by the
 * drain timeout), then every service stops in the reverse order of boot. Unfinished asynchronous
 * invocations stay journaled for the next boot.
 */
import type { IncomingMessage } from 'node:http';
import type { CallerKind, Credentials } from '../credentials';
import { roleNameOf } from '../iam/access-control';
import type { LocalLog } from '../log';
import { integrationRoleArns } from '../services/api-gateway/integration-roles';
import { credentialOf } from '../services/edge/aws-edge';
import { drain } from '../services/edge/drain';
import type { HttpEndpoint } from '../services/edge/http-endpoint';
import type { FunctionRuntime } from '../services/lambda/function-runtime';
import type { StackTopology } from '../stack/topology';
import type { QueuePollers } from '../triggers/queue-pollers';
import type { StartedServices } from './started-services';

export interface Draining {
  ports: { web: HttpEndpoint; api: HttpEndpoint; httpApi: HttpEndpoint; aws: HttpEndpoint };
  functions: FunctionRuntime;
  pollers: QueuePollers;
  /** Those who may still call the AWS endpoint while it drains. */
  fromInside: (request: IncomingMessage) => boolean;
  drainTimeoutMs: number;
  log: LocalLog;
}

export async function stopGracefully(started: StartedServices, draining: Draining): Promise<void> {
  const { ports, functions, pollers, drainTimeoutMs, log } = draining;
  ports.web.stopAccepting();
  ports.api.stopAccepting();
  ports.httpApi.stopAccepting();
  ports.aws.stopAccepting(draining.fromInside);
  functions.stopTakingAsyncWork();
  pollers.stop();
  const { web, api, httpApi, aws } = ports;
  const inFlight = [web, api, httpApi, aws, functions.invocations, pollers];
  const drained = await drain(inFlight, drainTimeoutMs);
  if (!drained) {
    log.write(
      'warn',
      'boot',
      `requests or invocations still in flight after ${drainTimeoutMs} ms: cut short`,
    );
  }
  // The ports were drained together above: their own close has nothing left to wait for.
  await started.stopAll();
}

/**
 * While the cloud drains, the AWS endpoint still serves its own functions, state machines and API
 * integrations (an invocation or API request that runs may finish its calls); everyone else gets 503.
 */
export function callersFromInside(
  topology: StackTopology,
  credentialsFor: (kind: CallerKind, name: string) => Credentials,
): (request: IncomingMessage) => boolean {
  const ownKeys = new Set([
    ...topology.functions.map((fn) => credentialsFor('function', fn.name).accessKeyId),
    ...topology.stateMachines.map(
      (machine) => credentialsFor('state-machine', machine.name).accessKeyId,
    ),
    ...integrationRoleArns(topology.restApis).map(
      (roleArn) => credentialsFor('api-integration', roleNameOf(roleArn)).accessKeyId,
    ),
  ]);
  return (request) => ownKeys.has(credentialOf(request)?.accessKeyId ?? '');
}
