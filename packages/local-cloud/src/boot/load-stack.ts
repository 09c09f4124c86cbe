/**
 * The cloud's resources: a synthesized stack, as AWS would name and shape it locally, or, with no
 * stack, what the control plane deployed to this data directory before (nothing the first time).
 * What a stack holds that is not emulated is said once.
 */
import { join } from 'node:path';
import type { LocalLog } from '../log';
import { RESOURCE_KINDS, ResourceRegistry } from '../model/resource-registry';
import { TORN_TAIL } from '../persistence/journal';
import { loadTopology } from '../stack/load-topology';
import { createNameStore } from '../stack/name-store';
import { LOCAL_ACCOUNT_ID } from '../stack/topology';
import type { LocalEndpoints } from '../stack/topology';
import type { Started } from './types';

/** The region of a cloud that starts with no stack (the provider and CLI default, us-east-1). */
export const EMPTY_CLOUD_REGION = 'us-east-1';

/** Where a cloud started with no stack keeps what gets deployed to it. */
export function deployedResourcesFile(dataDir: string): string {
  return join(dataDir, 'resources.journal');
}

export function loadStack(
  stackDir: string | undefined,
  endpoints: LocalEndpoints,
  dataDir: string,
  log: LocalLog,
): Started<ResourceRegistry> {
  const registry =
    stackDir === undefined
      ? openDeployedResources(endpoints, dataDir, log)
      : bootStack(stackDir, endpoints, dataDir, log);
  return { service: registry, stop: () => registry.close() };
}

/** The boot door: the stack's resources, rebuilt on every start (the stack is their truth). */
function bootStack(
  stackDir: string,
  endpoints: LocalEndpoints,
  dataDir: string,
  log: LocalLog,
): ResourceRegistry {
  const topology = loadTopology({
    stackDir,
    endpoints,
    names: createNameStore(join(dataDir, 'names.json')),
  });
  const skipped = Object.entries(topology.notEmulated);
  if (skipped.length > 0) {
    const list = skipped.map(([type, count]) => `${type} (${count})`).join(', ');
    log.write('info', 'boot', `not emulated (accepted as configuration only): ${list}`);
  }
  const registry = ResourceRegistry.inMemory(topology);
  registry.replaceAll(topology);
  return registry;
}

/** The control plane's door: what was deployed here before, kept in the data directory. */
function openDeployedResources(
  endpoints: LocalEndpoints,
  dataDir: string,
  log: LocalLog,
): ResourceRegistry {
  const registry = ResourceRegistry.open(deployedResourcesFile(dataDir), {
    stackDir: dataDir,
    region: EMPTY_CLOUD_REGION,
    accountId: LOCAL_ACCOUNT_ID,
    endpoints,
    objects: [],
    outputs: {},
    notEmulated: {},
    logGroups: [],
  });
  if (registry.repaired)
    log.write('warn', 'boot', `${deployedResourcesFile(dataDir)}: ${TORN_TAIL}`);
  const count = RESOURCE_KINDS.reduce((sum, kind) => sum + registry.list(kind).length, 0);
  log.write(
    'info',
    'boot',
    count === 0
      ? 'started with no stack: ready for a deploy'
      : `started with no stack: ${count} deployed resources restored`,
  );
  return registry;
}
