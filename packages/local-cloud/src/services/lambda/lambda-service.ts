/**
 * Lambda on the AWS endpoint: the control plane (functions, permissions, event source mappings,
 * invoke configs, tags) in front of the runtime's invoke API (Invoke, GetFunction, ListFunctions).
 */
import { buffered } from '../edge/edge-service';
import type { EdgeService } from '../edge/types';
import type { FunctionRuntime } from './function-runtime';
import { invokeApi } from './invoke-api';
import { lambdaControlApi } from './lambda-control-api';
import type { LambdaControlContext } from './lambda-control-context';

export function lambdaService(
  runtime: FunctionRuntime,
  context: LambdaControlContext,
): EdgeService {
  const control = lambdaControlApi(context);
  const invoke = invokeApi(runtime);
  return {
    signingName: runtime.signingName,
    handle: buffered(runtime.signingName, async (request) => control(request) ?? invoke(request)),
  };
}
