/** What Terraform would change against the local cloud, for the specs' "plan shows no change". */
import type { LocalTerraform } from '@serverless-week/test-support';

/** What `plan -detailed-exitcode` would change: '' when it plans nothing, else its output. */
export async function plannedChanges(terraform: LocalTerraform): Promise<string> {
  const planned = await terraform.plan();
  return planned.exitCode === 0 ? '' : planned.output;
}
