/**
 * Typed access to `terraform show -json` of a plan: what it changes (`resource_changes`, with
 * planned values) and the configuration it planned (`configuration`, with the expressions as
 * written, which is where IAM statements can be read before apply computes the policy JSON).
 */
import { readFileSync } from 'node:fs';

/** An expression of the configuration: a literal, and what it refers to. */
export interface Expression<T> {
  constant_value?: T;
  references?: string[];
}

export interface ConfiguredStatement {
  sid?: Expression<string>;
  effect?: Expression<string>;
  actions?: Expression<string[]>;
  resources?: Expression<string[]>;
}

export interface ConfiguredResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  expressions: { statement?: ConfiguredStatement[] } & Record<string, unknown>;
}

export interface ResourceChange {
  address: string;
  type: string;
  mode: 'managed' | 'data';
  change: { actions: string[]; after: Record<string, unknown> | null };
}

export interface TerraformPlan {
  terraform_version: string;
  errored: boolean;
  complete: boolean;
  applyable: boolean;
  resource_changes: ResourceChange[];
  configuration: {
    provider_config: Record<string, { expressions: Record<string, Expression<unknown>> }>;
    root_module: { resources: ConfiguredResource[] };
  };
}

export function readPlan(file: string): TerraformPlan {
  return JSON.parse(readFileSync(file, 'utf8')) as TerraformPlan;
}

/** Managed resources of a type the plan changes (creates, here). */
export function changesOf(plan: TerraformPlan, type: string): ResourceChange[] {
  return plan.resource_changes.filter(
    (change) => change.mode === 'managed' && change.type === type,
  );
}

/** A planned attribute known before apply, as a string; fails loudly otherwise. */
export function plannedString(change: ResourceChange, attribute: string): string {
  const value = change.change.after?.[attribute];
  if (typeof value !== 'string') {
    throw new Error(`${change.address}.${attribute} is not a known string in the plan`);
  }
  return value;
}

/** A statement of an `aws_iam_policy_document`, as configured (literals only). */
export interface PlannedStatement {
  document: string;
  sid?: string;
  effect: string;
  /** Undefined when the configuration computes the actions instead of listing them. */
  actions: string[] | undefined;
  resources: string[];
}

/** Every IAM statement of the configuration, read from the policy documents' expressions. */
export function configuredStatements(plan: TerraformPlan): PlannedStatement[] {
  return plan.configuration.root_module.resources
    .filter((resource) => resource.type === 'aws_iam_policy_document')
    .flatMap((document) =>
      (document.expressions.statement ?? []).map((statement) => ({
        document: document.address,
        sid: statement.sid?.constant_value,
        effect: statement.effect?.constant_value ?? 'Allow',
        actions: statement.actions?.constant_value,
        resources: statement.resources?.constant_value ?? [],
      })),
    );
}
