/** A resource registry in memory holding nothing: the model a control-plane spec writes into. */
import { ResourceRegistry } from '../../src/model/resource-registry';
import type { TopologyFacts } from '../../src/model/resource-registry';

export const EMPTY_FACTS: TopologyFacts = {
  stackDir: '/nowhere',
  region: 'us-east-1',
  accountId: '000000000000',
  endpoints: { web: 'http://w', api: 'http://a', httpApi: 'http://h', aws: 'http://aws' },
  objects: [],
  logGroups: [],
  outputs: {},
  notEmulated: {},
};

export function emptyRegistry(): ResourceRegistry {
  return ResourceRegistry.inMemory(EMPTY_FACTS);
}
