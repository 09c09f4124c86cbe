/** Lambda guardrails: logs that expire, an explicit timeout, and a role per function. */
import type { Finding, GuardrailRule } from './guardrail-rule';
import type { PlanModel, PlannedResource } from './plan-model';
import {
  blocks,
  remainingOfType,
  isPositive,
  isReferenceTo,
  referencedAddress,
  text,
} from './rules-values';

function functions(model: PlanModel): PlannedResource[] {
  return remainingOfType(model, 'aws_lambda_function');
}

/** The log groups a function writes to: the one its logging_config names, or its default one. */
function logGroupsOf(model: PlanModel, fn: PlannedResource): PlannedResource[] {
  const configured = blocks(fn.values.logging_config).map((config) => config.log_group);
  const functionName = text(fn.values.function_name);
  const defaultNames = [
    `/aws/lambda/\${${fn.address}.function_name}`,
    ...(functionName === undefined ? [] : [`/aws/lambda/${functionName}`]),
  ];
  return remainingOfType(model, 'aws_cloudwatch_log_group').filter(
    (group) =>
      configured.some(
        (logGroup) =>
          isReferenceTo(logGroup, group, ['name', 'id']) ||
          (text(logGroup) !== undefined && logGroup === group.values.name),
      ) || defaultNames.includes(text(group.values.name) ?? ''),
  );
}

export const logsWithRetention: GuardrailRule = {
  id: 'LAMBDA-001',
  title: 'Function logs expire',
  rationale:
    'Lambda creates its log group on first invoke with no retention: logs (and their cost) then grow forever.',
  fix: 'Manage the log group (/aws/lambda/<name>, or logging_config.log_group) with retention_in_days.',
  check: (model) =>
    functions(model).flatMap((fn): Finding[] => {
      const groups = logGroupsOf(model, fn);
      if (groups.some((group) => isPositive(group.values.retention_in_days))) return [];
      const message =
        groups.length === 0
          ? 'has no log group in the plan (neither logging_config.log_group nor /aws/lambda/<function_name>), so Lambda creates one that keeps logs forever'
          : `logs to ${groups.map((group) => group.address).join(', ')}, which sets no retention_in_days`;
      return [{ ruleId: 'LAMBDA-001', address: fn.address, message }];
    }),
};

export const explicitTimeout: GuardrailRule = {
  id: 'LAMBDA-002',
  title: 'Functions set their timeout',
  rationale: 'The 3 s default is rarely what is meant: it cuts off slow calls that would succeed.',
  fix: 'Set timeout to what the handler needs, below what its caller waits (29 s behind API Gateway).',
  check: (model) =>
    functions(model)
      .filter((fn) => fn.values.timeout === undefined || fn.values.timeout === null)
      .map((fn) => ({
        ruleId: 'LAMBDA-002',
        address: fn.address,
        message: 'sets no timeout, so it gets the 3 s default',
      })),
};

/** The role a value names: `aws_iam_role.x` for any of its attributes, else the literal ARN. */
function roleKey(value: unknown): string | undefined {
  const address = referencedAddress(value);
  if (address !== undefined) return address;
  return text(value);
}

export const roleOfItsOwn: GuardrailRule = {
  id: 'LAMBDA-003',
  title: 'Each function has a role of its own',
  rationale:
    'A shared role holds the union of permissions, so each function can do what any of the others may.',
  fix: 'Give each function (and each state machine) its own role with only the permissions it uses.',
  check: (model) => {
    const users = [
      ...functions(model).map((fn) => ({ resource: fn, role: roleKey(fn.values.role) })),
      ...remainingOfType(model, 'aws_sfn_state_machine').map((machine) => ({
        resource: machine,
        role: roleKey(machine.values.role_arn),
      })),
    ];
    const byRole = new Map<string, PlannedResource[]>();
    for (const { resource, role } of users) {
      if (role !== undefined) byRole.set(role, [...(byRole.get(role) ?? []), resource]);
    }
    return [...byRole.entries()]
      .filter(([, sharing]) => sharing.length > 1)
      .filter(([, sharing]) => sharing.some((resource) => resource.type === 'aws_lambda_function'))
      .flatMap(([role, sharing]) =>
        sharing.map((resource) => ({
          ruleId: 'LAMBDA-003',
          address: resource.address,
          message: `shares role ${role} with ${sharing
            .filter((other) => other !== resource)
            .map((other) => other.address)
            .join(', ')}`,
        })),
      );
  },
};
