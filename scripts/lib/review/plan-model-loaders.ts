/**
 * Building a PlanModel: from `terraform show -json` (what Terraform decided), from a synthesized
 * cdk.tf.json alone (everything created, for reviews and specs without Terraform), and by comparing
 * two models (a change reviewed against the previous plan before any state exists).
 */
import { isDeepStrictEqual } from 'node:util';
import type {
  ChangeAction,
  PlanModel,
  PlannedResource,
  StackConfig,
  TerraformPlanJson,
} from './plan-model';

export const EMPTY_ACCOUNT = 'an empty account';

type Block = Record<string, unknown>;

interface Annotations {
  constructPath?: string;
  suppressions: Record<string, string>;
  wildcardReasons: Record<string, string>;
}

function stringRecord(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value as Block).map(([key, reason]) => [
      key,
      typeof reason === 'string' ? reason : '',
    ]),
  );
}

function annotationsOf(body: Block | undefined): Annotations {
  const comment = (body?.['//'] ?? {}) as Block;
  const metadata = (comment.metadata ?? {}) as Block;
  return {
    ...(typeof metadata.path === 'string' ? { constructPath: metadata.path } : {}),
    suppressions: stringRecord(comment.suppress_guardrails),
    wildcardReasons: stringRecord(comment.wildcard_reasons),
  };
}

function withoutComment(body: Block): Block {
  const { ['//']: _comment, ...values } = body;
  return values;
}

function configBlock(
  config: StackConfig | undefined,
  mode: 'managed' | 'data',
  type: string,
  name: string,
): Block | undefined {
  const section = mode === 'managed' ? config?.resource : config?.data;
  return section?.[type]?.[name];
}

/** `{constant_value}` / `{references}` expressions back to the configured values. */
function unwrapExpressions(expressions: unknown): unknown {
  if (Array.isArray(expressions)) return expressions.map(unwrapExpressions);
  if (expressions === null || typeof expressions !== 'object') return expressions;
  const record = expressions as Block;
  if ('constant_value' in record) return record.constant_value;
  if ('references' in record && Array.isArray(record.references)) {
    // A reference with no constant text: show what it points at, as cdk.tf.json would write it.
    return `\${${String(record.references[0])}}`;
  }
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, unwrapExpressions(value)]),
  );
}

/** Terraform's action list as one action: `[delete, create]` is a replacement. */
export function actionOf(actions: string[]): ChangeAction {
  const joined = [...actions].sort().join(',');
  if (joined === 'create') return 'create';
  if (joined === 'update') return 'update';
  if (joined === 'delete') return 'delete';
  if (joined === 'create,delete') return 'replace';
  if (joined === 'read') return 'read';
  return 'no-op';
}

function changedKeys(before: unknown, after: unknown, afterUnknown: unknown): string[] {
  const was = (before ?? {}) as Block;
  const will = (after ?? {}) as Block;
  const unknown = (afterUnknown ?? {}) as Block;
  const keys = new Set([...Object.keys(was), ...Object.keys(will), ...Object.keys(unknown)]);
  return [...keys]
    .filter((key) => unknown[key] === true || !isDeepStrictEqual(was[key], will[key]))
    .sort();
}

function resource(
  address: string,
  mode: 'managed' | 'data',
  type: string,
  name: string,
  values: Block,
  action: ChangeAction,
  annotations: Annotations,
): PlannedResource {
  return {
    address,
    mode,
    type,
    name,
    values,
    action,
    changedAttributes: [],
    replacedBecause: [],
    ...annotations,
  };
}

/** Every resource and data source of a synthesized stack, as created in an empty account. */
export function modelFromStackConfig(config: StackConfig, baseline = EMPTY_ACCOUNT): PlanModel {
  const resources: PlannedResource[] = [];
  for (const [mode, section] of [
    ['managed', config.resource],
    ['data', config.data],
  ] as const) {
    for (const [type, byName] of Object.entries(section ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        const address = mode === 'managed' ? `${type}.${name}` : `data.${type}.${name}`;
        const values = withoutComment(body);
        const created = resource(
          address,
          mode,
          type,
          name,
          values,
          mode === 'data' ? 'read' : 'create',
          annotationsOf(body),
        );
        created.changedAttributes = Object.keys(values)
          .filter((key) => key !== 'depends_on')
          .sort();
        resources.push(created);
      }
    }
  }
  return { resources, baseline };
}

/** What `terraform show -json` says the plan does, with the stack's annotations. */
export function loadPlanModel(
  plan: TerraformPlanJson,
  config?: StackConfig,
  baseline = EMPTY_ACCOUNT,
): PlanModel {
  const changes = new Map((plan.resource_changes ?? []).map((change) => [change.address, change]));
  const resources: PlannedResource[] = [];
  const seen = new Set<string>();
  for (const configured of plan.configuration?.root_module?.resources ?? []) {
    const change = changes.get(configured.address);
    const action = change
      ? actionOf(change.change.actions)
      : configured.mode === 'data'
        ? 'read'
        : 'no-op';
    const values = unwrapExpressions(configured.expressions ?? {}) as Block;
    const planned = resource(
      configured.address,
      configured.mode,
      configured.type,
      configured.name,
      values,
      action,
      annotationsOf(configBlock(config, configured.mode, configured.type, configured.name)),
    );
    if (change && (action === 'update' || action === 'replace')) {
      planned.changedAttributes = changedKeys(
        change.change.before,
        change.change.after,
        change.change.after_unknown,
      );
      planned.replacedBecause = [
        ...new Set((change.change.replace_paths ?? []).map((path) => String(path[0]))),
      ];
    } else if (action === 'create') {
      planned.changedAttributes = Object.keys(values).sort();
    }
    resources.push(planned);
    seen.add(configured.address);
  }
  // Resources removed from the code are only in resource_changes, with their last values.
  for (const [address, change] of changes) {
    if (seen.has(address) || actionOf(change.change.actions) !== 'delete') continue;
    resources.push(
      resource(
        address,
        change.mode,
        change.type,
        change.name,
        (change.change.before ?? {}) as Block,
        'delete',
        {
          suppressions: {},
          wildcardReasons: {},
        },
      ),
    );
  }
  return { resources, baseline };
}

/**
 * Attributes whose change makes the AWS provider replace the resource (ForceNew in its schema),
 * for the types the review must not get wrong. Used when comparing two plans, where Terraform has
 * not decided: a real plan against state says it itself (replace_paths).
 */
export const REPLACING_ATTRIBUTES: Record<string, string[]> = {
  aws_dynamodb_table: ['name', 'hash_key', 'range_key', 'local_secondary_index'],
  aws_s3_bucket: ['bucket', 'bucket_prefix', 'object_lock_enabled'],
  aws_sqs_queue: ['name', 'name_prefix', 'fifo_queue'],
  aws_sns_topic: ['name', 'name_prefix', 'fifo_topic'],
  aws_sns_topic_subscription: ['topic_arn', 'endpoint', 'protocol'],
  aws_lambda_function: ['function_name'],
  aws_lambda_permission: [
    'action',
    'function_name',
    'principal',
    'source_arn',
    'source_account',
    'statement_id',
    'qualifier',
  ],
  aws_lambda_event_source_mapping: ['event_source_arn', 'starting_position'],
  aws_iam_role: ['name', 'name_prefix', 'path'],
  aws_iam_role_policy: ['name', 'role'],
  aws_sfn_state_machine: ['name', 'type'],
  aws_cloudwatch_log_group: ['name', 'name_prefix'],
  aws_s3_object: ['bucket', 'key'],
  aws_api_gateway_stage: ['rest_api_id', 'stage_name'],
};

/** The current model's actions relative to a previous one (both usually against an empty account). */
export function compareWithPrevious(
  previous: PlanModel,
  current: PlanModel,
  baseline: string,
): PlanModel {
  const before = new Map(previous.resources.map((item) => [item.address, item]));
  const resources: PlannedResource[] = current.resources.map((item) => {
    const was = before.get(item.address);
    if (!was) return { ...item, action: item.mode === 'data' ? 'read' : 'create' };
    const keys = new Set([...Object.keys(was.values), ...Object.keys(item.values)]);
    const changed = [...keys]
      .filter((key) => !isDeepStrictEqual(was.values[key], item.values[key]))
      .sort();
    if (changed.length === 0) {
      return { ...item, action: item.mode === 'data' ? 'read' : 'no-op', changedAttributes: [] };
    }
    const replacing = changed.filter((key) => REPLACING_ATTRIBUTES[item.type]?.includes(key));
    return {
      ...item,
      action: item.mode === 'data' ? 'read' : replacing.length > 0 ? 'replace' : 'update',
      changedAttributes: changed,
      replacedBecause: replacing,
    };
  });
  const now = new Set(current.resources.map((item) => item.address));
  for (const was of previous.resources) {
    if (now.has(was.address) || was.mode !== 'managed') continue;
    resources.push({ ...was, action: 'delete', changedAttributes: [], replacedBecause: [] });
  }
  return { resources, baseline };
}
