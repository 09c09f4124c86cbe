/**
 * npm run plan: build the zips, synthesize the stage, then terraform init / validate / plan.
 * With no AWS credentials configured, the plan runs offline (dummy credentials, provider
 * skip_* settings, provider from the local mirror). Writes plan.tfplan and plan.json next to
 * the stack's cdk.tf.json and prints a summary.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildFunctions } from './build-functions';
import {
  findProviderMirror,
  hasAwsCredentials,
  terraformEnvironment,
  terraformIn,
  terraformVersion,
  writeCliConfig,
} from './lib/terraform';
import { formatPlanSummary, summarizePlan } from './lib/plan-summary';
import type { PlanJson } from './lib/plan-summary';
import { synthesize } from './lib/synth';

export interface PlanResult {
  stackDirectory: string;
  planJsonPath: string;
  plan: PlanJson;
  offline: boolean;
}

export async function planStage(stage: string, offline: boolean): Promise<PlanResult> {
  if (!terraformVersion()) throw new Error('terraform is not on PATH');
  await buildFunctions();
  const stackDirectory = synthesize({ stage, offline });
  const mirror = findProviderMirror();
  const terraform = terraformIn(
    stackDirectory,
    terraformEnvironment(writeCliConfig(mirror), offline),
  );

  // -reconfigure: the backend may differ from the last init here (local offline, S3 otherwise);
  // a plan never writes state, so there is nothing to migrate.
  terraform(['init', '-input=false', '-no-color', '-reconfigure'], { capture: true });
  terraform(['validate', '-no-color'], { capture: true });
  terraform(['plan', '-input=false', '-no-color', '-out=plan.tfplan'], { capture: true });
  const planJson = terraform(['show', '-json', 'plan.tfplan'], { capture: true });
  const planJsonPath = path.join(stackDirectory, 'plan.json');
  writeFileSync(planJsonPath, planJson);
  return { stackDirectory, planJsonPath, plan: JSON.parse(planJson) as PlanJson, offline };
}

if (require.main === module) {
  const stage = process.env.STAGE ?? 'dev';
  const offline = process.env.OFFLINE_PLAN === '1' || !hasAwsCredentials();
  const started = Date.now();
  planStage(stage, offline)
    .then(({ planJsonPath, plan }) => {
      console.log(
        `\n${offline ? 'Offline plan (no AWS credentials: dummy credentials, nothing read from AWS)' : 'Plan against AWS'} of stage "${stage}"`,
      );
      console.log(formatPlanSummary(summarizePlan(plan)));
      console.log(
        `\nPlan JSON: ${path.relative(process.cwd(), planJsonPath)}  (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
