/**
 * The local cloud's workflow runner (local/services/workflow-runner.ts), for the workflow specs:
 * retries happen at once here, so a spec of the Retry policy does not wait out its intervals.
 */
import { runExecution as run } from '../../local/services/workflow-runner';
import type { ExecutionResult, Json, TaskIntegrations } from '../../local/services/workflow-runner';

export { TaskError } from '../../local/services/workflow-runner';
export type { ExecutionResult, TaskIntegrations } from '../../local/services/workflow-runner';

export function runExecution(
  definition: string,
  input: Json,
  integrations: TaskIntegrations,
): Promise<ExecutionResult> {
  return run(definition, input, integrations, { retryIntervalScale: 0 });
}
