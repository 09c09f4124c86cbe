/**
 * What a plan does to each resource, in one shape for the review and the guardrails: the values
 * as configured (constants as they are, references as `${aws_x.y.attr}` strings, nested blocks as
 * arrays of objects, exactly as cdk.tf.json writes them), the action, the attributes that change,
 * and the annotations the stack code left in the synthesized JSON (`//`): guardrail suppressions
 * and the reasons for `*` resources.
 *
 * It is read from `terraform show -json` (its configuration, and its resource_changes for the
 * actions), or compared against a previous plan JSON to review a change before any state exists.
 */

export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'no-op' | 'read';

export interface PlannedResource {
  /** `aws_s3_bucket.uploads_bucket_556152F0`, or `data.aws_iam_policy_document.x`. */
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** Configured values; a deleted resource keeps the values it had. */
  values: Record<string, unknown>;
  action: ChangeAction;
  /** Top-level attributes whose value changes (update and replace). */
  changedAttributes: string[];
  /** For a replacement, the attributes that force it. */
  replacedBecause: string[];
  /** The construct path in the stack code, when the synthesized JSON says it. */
  constructPath?: string;
  /** Guardrail rule id → the reason the stack code gives for not following it. */
  suppressions: Record<string, string>;
  /** Policy statement Sid → why it needs a `*` resource (IAM role policies). */
  wildcardReasons: Record<string, string>;
}

export interface PlanModel {
  resources: PlannedResource[];
  /** What the actions are relative to: `an empty account`, `the previous plan (file)`, `the state`. */
  baseline: string;
}

/** The subset of `terraform show -json` this reads. */
export interface TerraformPlanJson {
  resource_changes?: {
    address: string;
    mode: 'managed' | 'data';
    type: string;
    name: string;
    change: {
      actions: string[];
      before?: unknown;
      after?: unknown;
      after_unknown?: unknown;
      replace_paths?: (string | number)[][];
    };
  }[];
  configuration?: {
    root_module?: {
      resources?: {
        address: string;
        mode: 'managed' | 'data';
        type: string;
        name: string;
        expressions?: Record<string, unknown>;
      }[];
    };
  };
}

/** The synthesized cdk.tf.json, for its `//` annotations. */
export interface StackConfig {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
}

export function resourcesOfType(model: PlanModel, type: string): PlannedResource[] {
  return model.resources.filter(
    (resource) => resource.type === type && resource.mode === 'managed',
  );
}

export function dataOfType(model: PlanModel, type: string): PlannedResource[] {
  return model.resources.filter((resource) => resource.type === type && resource.mode === 'data');
}

/** Resources that stay after the change (everything but deletions). */
export function remaining(model: PlanModel): PlannedResource[] {
  return model.resources.filter((resource) => resource.action !== 'delete');
}
