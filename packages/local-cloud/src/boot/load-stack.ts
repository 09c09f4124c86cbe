/** The stack, as AWS would name and shape it locally; what is not emulated is said once. */
import { join } from 'node:path';
import type { LocalLog } from '../log';
import { loadTopology } from '../stack/load-topology';
import { createNameStore } from '../stack/name-store';
import type { LocalEndpoints, StackTopology } from '../stack/topology';

export function loadStack(
  stackDir: string,
  endpoints: LocalEndpoints,
  dataDir: string,
  log: LocalLog,
): StackTopology {
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
  return topology;
}
