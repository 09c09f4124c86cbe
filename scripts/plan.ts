/**
 * npm run plan: build the zips, synthesize the stage, then terraform init / validate / plan.
 * With no AWS credentials configured, the plan runs offline (dummy credentials, provider
 * skip_* settings, provider from the local mirror). Writes plan.tfplan, plan.json and
 * plan-review.md next to the stack's cdk.tf.json, prints the review, and fails when a guardrail
 * is violated.
 *
 *   npm run plan                                   against the state (none offline: an empty account)
 *   npm run plan -- --previous <plan.json>         review the change against an earlier plan
 *   npm run plan -- --allow-destroy <address>      allow destroying or replacing that stateful resource
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCommandLine } from '@serverless-week/local-cloud';
import { buildFunctions } from './build-functions';
import {
  findProviderMirror,
  hasAwsCredentials,
  terraformEnvironment,
  terraformIn,
  terraformVersion,
  writeCliConfig,
} from './lib/terraform';
import type { PlanJson } from './lib/plan-summary';
import { synthesize } from './lib/synth';
import { evaluateGuardrails } from './lib/review/guardrails';
import type { GuardrailReport } from './lib/review/guardrails';
import type { PlanModel, StackConfig, TerraformPlanJson } from './lib/review/plan-model';
import { compareWithPrevious, loadPlanModel } from './lib/review/plan-model-loaders';
import { renderPlanReview } from './lib/review/plan-review';

export interface PlanResult {
  stackDirectory: string;
  planJsonPath: string;
  plan: PlanJson;
  offline: boolean;
  reviewPath: string;
  review: string;
  guardrails: GuardrailReport;
}

export interface PlanOptions {
  /** A plan JSON to review the change against (before any state exists). */
  previousPlanJson?: string;
  /** Stateful resources whose destruction or replacement is allowed (STATE-001). */
  allowDestroy?: string[];
}

export interface Review {
  model: PlanModel;
  review: string;
  guardrails: GuardrailReport;
}

/** The review and guardrails of a plan JSON, against a previous plan JSON when given one. */
export function reviewPlan(
  stage: string,
  plan: TerraformPlanJson,
  stackConfig: StackConfig,
  options: PlanOptions = {},
): Review {
  const current = loadPlanModel(plan, stackConfig);
  let previous: PlanModel | undefined;
  let model = current;
  if (options.previousPlanJson) {
    const earlier = JSON.parse(readFileSync(options.previousPlanJson, 'utf8')) as TerraformPlanJson;
    previous = loadPlanModel(earlier);
    model = compareWithPrevious(
      previous,
      current,
      `the previous plan (${path.basename(options.previousPlanJson)})`,
    );
  }
  const guardrails = evaluateGuardrails(model, undefined, {
    allowDestroy: options.allowDestroy ?? [],
  });
  return {
    model,
    guardrails,
    review: renderPlanReview({ stage, model, ...(previous ? { previous } : {}), guardrails }),
  };
}

export async function planStage(
  stage: string,
  offline: boolean,
  options: PlanOptions = {},
): Promise<PlanResult> {
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
  const stackConfig = JSON.parse(
    readFileSync(path.join(stackDirectory, 'cdk.tf.json'), 'utf8'),
  ) as StackConfig;
  const { review, guardrails } = reviewPlan(
    stage,
    JSON.parse(planJson) as TerraformPlanJson,
    stackConfig,
    options,
  );
  const reviewPath = path.join(stackDirectory, 'plan-review.md');
  writeFileSync(reviewPath, `${review}\n`);
  return {
    stackDirectory,
    planJsonPath,
    plan: JSON.parse(planJson) as PlanJson,
    offline,
    reviewPath,
    review,
    guardrails,
  };
}

const COMMAND_LINE = {
  usage: 'npm run plan -- [--previous <plan.json>] [--allow-destroy <address>]...',
  options: {
    previous: { type: 'string' },
    'allow-destroy': { type: 'string', multiple: true },
  },
} as const;

if (require.main === module) {
  runCommandLine(COMMAND_LINE, async ({ values: args }) => {
    const stage = process.env.STAGE ?? 'dev';
    const offline = process.env.OFFLINE_PLAN === '1' || !hasAwsCredentials();
    const started = Date.now();
    const { planJsonPath, review, reviewPath, guardrails } = await planStage(stage, offline, {
      ...(args.previous ? { previousPlanJson: args.previous } : {}),
      allowDestroy: args['allow-destroy'] ?? [],
    });
    console.log(review);
    console.log(
      `\n${offline ? 'Offline plan (no AWS credentials: dummy credentials, nothing read from AWS)' : 'Plan against AWS'} of stage "${stage}"`,
    );
    const where = (file: string): string => path.relative(process.cwd(), file);
    console.log(
      `\nPlan JSON: ${where(planJsonPath)}  Review: ${where(reviewPath)}  (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    if (guardrails.violations.length > 0) {
      console.error(`\n${guardrails.violations.length} guardrail violation(s): see the review.`);
      return 1;
    }
    return 0;
  });
}
