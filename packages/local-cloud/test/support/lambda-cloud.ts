/**
 * An empty cloud for a Lambda spec file (started before all its tests, stopped after), with a
 * Lambda client and a role Lambda may assume (`lambda-role`) and one it may not (`states-role`).
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { useEmptyCloud } from './in-process-cloud';
import type { CloudOptions, InProcessCloud } from './in-process-cloud';
import { putRole } from './put-role';

export interface LambdaCloud extends InProcessCloud {
  readonly lambda: LambdaClient;
}

export function useLambdaCloud(options: CloudOptions = {}): LambdaCloud {
  const empty = useEmptyCloud(options);
  let lambda: LambdaClient | undefined;
  beforeAll(() => {
    putRole(empty.cloud, 'lambda-role', 'lambda.amazonaws.com');
    putRole(empty.cloud, 'states-role', 'states.amazonaws.com');
    lambda = empty.client(LambdaClient);
  });
  return Object.defineProperty(empty, 'lambda', {
    get: (): LambdaClient => {
      if (!lambda) throw new Error('the cloud is not started yet (use it inside hooks and tests)');
      return lambda;
    },
  }) as LambdaCloud;
}
