/**
 * The local cloud's workflow runner (runExecution of @serverless-week/local-cloud), for the workflow specs:
 * retries happen at once here, so a spec of the Retry policy does not wait out its intervals.
 */
import { runExecution as run } from '@serverless-week/local-cloud';
import type { ExecutionResult, Json, TaskIntegrations } from '@serverless-week/local-cloud';
export { TaskError } from '@serverless-week/local-cloud';
export type { ExecutionResult, TaskIntegrations } from '@serverless-week/local-cloud';

export function runExecution(
  definition: string,
  input: Json,
  integrations: TaskIntegrations,
): Promise<ExecutionResult> {
  return run(definition, input, integrations, { retryIntervalScale: 0 });
}
