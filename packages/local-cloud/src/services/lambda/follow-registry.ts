/**
 * The runtime follows the registry: a function put (created, or changed through Lambda's API) runs
 * from its new spec on the next invocation, a removed one no more; its invoke configuration
 * likewise. `admit` lets IAM know a new function's key pair as it knows a booted one's.
 */
import type { ResourceRegistry } from '../../model/resource-registry';
import type { FunctionSpec } from '../../stack/topology';
import type { FunctionRuntime } from './function-runtime';

type Followed = Pick<
  FunctionRuntime,
  'put' | 'remove' | 'putAsyncInvokeConfig' | 'removeAsyncInvokeConfig'
>;

/** Starts following; the answer stops it. */
export function followRegistry(
  registry: ResourceRegistry,
  runtime: Followed,
  admit: (fn: FunctionSpec) => void,
): () => void {
  const unsubscribe = [
    registry.subscribe('functions', (change) => {
      if (change.type === 'removed') {
        runtime.remove(change.spec.name);
        return;
      }
      if (change.previous?.roleArn !== change.spec.roleArn) admit(change.spec);
      runtime.put(change.spec);
    }),
    registry.subscribe('asyncInvokeConfigs', (change) => {
      if (change.type === 'removed') runtime.removeAsyncInvokeConfig(change.spec.functionArn);
      else runtime.putAsyncInvokeConfig(change.spec);
    }),
  ];
  return () => unsubscribe.forEach((stop) => stop());
}
