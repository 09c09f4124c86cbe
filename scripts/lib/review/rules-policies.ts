/**
 * Every IAM statement of the plan, in one shape: the statements of each
 * `data.aws_iam_policy_document` (its `statement` blocks, and literal JSON among its source and
 * override documents), and of each policy resource whose `policy` is literal JSON. A `policy`
 * that references a document's `json` is read through that document, which is where a reviewer
 * fixes it; a policy written any other way (`jsonencode(…)`) cannot be read here.
 */
import type { PlanModel, PlannedResource } from './plan-model';
import { dataOfType, remaining } from './plan-model';
import {
  blocks,
  mentionsAnywhere,
  referencedAddress,
  remainingOfType,
  text,
  texts,
} from './rules-values';

export interface PolicyCondition {
  test: string;
  variable: string;
  values: string[];
}

export interface PolicyStatement {
  /** Position in its policy, for statements without a Sid. */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
  /** `Service:sns.amazonaws.com`, `AWS:arn…`, `*`; `NOT …` for NotPrincipal. */
  principals: string[];
  conditions: PolicyCondition[];
}

export interface PolicySource {
  /** A `data.aws_iam_policy_document`, or a policy resource holding literal JSON. */
  resource: PlannedResource;
  statements: PolicyStatement[];
  /** For a document: the resources that use its JSON. For literal JSON: the resource itself. */
  usedBy: PlannedResource[];
}

/** Resources whose `policy` attribute is an IAM policy (identity or resource based). */
export const POLICY_RESOURCE_TYPES = [
  'aws_iam_role_policy',
  'aws_iam_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_s3_bucket_policy',
  'aws_sqs_queue_policy',
  'aws_sns_topic_policy',
];

const DOCUMENT_TYPE = 'aws_iam_policy_document';

function effectOf(value: unknown): 'Allow' | 'Deny' {
  return typeof value === 'string' && value.toLowerCase() === 'deny' ? 'Deny' : 'Allow';
}

/** Principal blocks of a policy document (`{type, identifiers}`), as `Type:identifier`. */
function documentPrincipals(value: unknown, prefix = ''): string[] {
  return blocks(value).flatMap((principal) =>
    texts(principal.identifiers).map((identifier) =>
      principal.type === '*'
        ? `${prefix}*`
        : `${prefix}${text(principal.type) ?? '?'}:${identifier}`,
    ),
  );
}

/** IAM JSON's `Principal`: `"*"` or `{ "Service": [...] }`. */
function jsonPrincipals(value: unknown, prefix = ''): string[] {
  if (value === undefined || value === null) return [];
  if (value === '*') return [`${prefix}*`];
  return blocks(value).flatMap((byType) =>
    Object.entries(byType).flatMap(([type, ids]) =>
      texts(ids).map((id) => `${prefix}${type}:${id}`),
    ),
  );
}

function documentStatement(block: Record<string, unknown>, index: number): PolicyStatement {
  const sid = text(block.sid);
  return {
    index,
    ...(sid === undefined ? {} : { sid }),
    effect: effectOf(block.effect),
    actions: texts(block.actions),
    notActions: texts(block.not_actions),
    resources: texts(block.resources),
    notResources: texts(block.not_resources),
    principals: [
      ...documentPrincipals(block.principals),
      ...documentPrincipals(block.not_principals, 'NOT '),
    ],
    conditions: blocks(block.condition).map((condition) => ({
      test: text(condition.test) ?? '',
      variable: text(condition.variable) ?? '',
      values: texts(condition.values),
    })),
  };
}

function conditionValues(value: unknown): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  return list
    .filter((item) => ['string', 'boolean', 'number'].includes(typeof item))
    .map((item) => String(item));
}

/** IAM JSON's `Condition`: `{ "Bool": { "aws:SecureTransport": "false" } }`. */
function jsonConditions(value: unknown): PolicyCondition[] {
  return blocks(value).flatMap((byTest) =>
    Object.entries(byTest).flatMap(([test, byVariable]) =>
      blocks(byVariable).flatMap((variables) =>
        Object.entries(variables).map(([variable, values]) => ({
          test,
          variable,
          values: conditionValues(values),
        })),
      ),
    ),
  );
}

function jsonStatement(block: Record<string, unknown>, index: number): PolicyStatement {
  const sid = text(block.Sid);
  return {
    index,
    ...(sid === undefined ? {} : { sid }),
    effect: effectOf(block.Effect),
    actions: texts(block.Action),
    notActions: texts(block.NotAction),
    resources: texts(block.Resource),
    notResources: texts(block.NotResource),
    principals: [...jsonPrincipals(block.Principal), ...jsonPrincipals(block.NotPrincipal, 'NOT ')],
    conditions: jsonConditions(block.Condition),
  };
}

/** The statements of a literal JSON policy; undefined when it is not JSON (an expression). */
export function literalPolicyStatements(policy: unknown): PolicyStatement[] | undefined {
  if (typeof policy !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    return undefined;
  }
  const document = blocks(parsed)[0];
  if (!document) return undefined;
  return blocks(document.Statement).map(jsonStatement);
}

export function documentStatements(document: PlannedResource): PolicyStatement[] {
  const own = blocks(document.values.statement).map(documentStatement);
  const merged = [
    ...texts(document.values.source_policy_documents),
    ...texts(document.values.override_policy_documents),
  ].flatMap((json) => literalPolicyStatements(json) ?? []);
  return [
    ...own,
    ...merged.map((statement, index) => ({ ...statement, index: own.length + index })),
  ];
}

/** Resources (not documents) that use a document's JSON. */
export function usersOf(model: PlanModel, document: PlannedResource): PlannedResource[] {
  return remaining(model).filter(
    (resource) =>
      resource.mode === 'managed' &&
      mentionsAnywhere(resource.values, document, ['json', 'minified_json']),
  );
}

/** The statements a `policy` attribute ends up with, read through a document it references. */
export function statementsOfPolicy(
  model: PlanModel,
  policy: unknown,
): { statements: PolicyStatement[]; document?: PlannedResource } | undefined {
  const address = referencedAddress(policy);
  if (address !== undefined) {
    const document = remaining(model).find(
      (resource) => resource.address === address && resource.type === DOCUMENT_TYPE,
    );
    return document ? { statements: documentStatements(document), document } : undefined;
  }
  const statements = literalPolicyStatements(policy);
  return statements ? { statements } : undefined;
}

export function policySources(model: PlanModel): PolicySource[] {
  const documents = dataOfType(model, DOCUMENT_TYPE)
    .filter((document) => document.action !== 'delete')
    .map((document) => ({
      resource: document,
      statements: documentStatements(document),
      usedBy: usersOf(model, document),
    }));
  const literals = POLICY_RESOURCE_TYPES.flatMap((type) => remainingOfType(model, type)).flatMap(
    (resource) => {
      const statements = literalPolicyStatements(resource.values.policy);
      return statements ? [{ resource, statements, usedBy: [resource] }] : [];
    },
  );
  return [...documents, ...literals];
}

export function describeStatement(statement: PolicyStatement): string {
  return statement.sid === undefined
    ? `statement #${statement.index + 1} (no Sid)`
    : `statement "${statement.sid}"`;
}

/** `, used by a, b` for a document; nothing for literal JSON, which is its own user. */
export function describeUse(source: PolicySource): string {
  if (source.usedBy.length === 1 && source.usedBy[0] === source.resource) return '';
  if (source.usedBy.length === 0) return ' (used by no resource)';
  return ` (used by ${source.usedBy.map((user) => user.address).join(', ')})`;
}
