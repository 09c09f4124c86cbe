/**
 * The IAM JSON an `aws_iam_policy_document` data source renders, following the AWS provider: the
 * statement fields in IAM's order, a set of one string written as that string and larger sets
 * sorted in reverse (the provider's normalisation), principals grouped by type (`*` of type `*`
 * becoming `"*"`), conditions grouped by test then variable, `&{` turned into IAM's `${`, and
 * source/override documents merged by Sid.
 */
import type { PolicyDocument } from './topology';
import type { Json, JsonObject } from '../json';
import { compareUtf8, marshalJson } from './go-json';
import { isObject } from '../json';

/** cdktf writes a nested block as an object or as a list of objects; both mean the same. */
function blocks(value: Json | undefined): JsonObject[] {
  if (value === null || value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter(isObject);
}

function strings(value: Json | undefined, what: string): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw new Error(`aws_iam_policy_document: ${what} must be strings`);
  });
}

/** IAM policy variables are written `&{…}` in Terraform, since `${…}` would be interpolated. */
function withPolicyVariables(value: string): string {
  return value.replaceAll('&{', '${');
}

/** A set of strings as the provider writes it: one as a string, more sorted in reverse. */
function stringSet(values: string[]): Json | undefined {
  const unique = [...new Set(values)];
  if (unique.length === 0) return undefined;
  if (unique.length === 1) return unique[0] ?? null;
  return unique.sort(compareUtf8).reverse();
}

function sortedObject(entries: Map<string, Json>): JsonObject {
  const object: JsonObject = {};
  for (const key of [...entries.keys()].sort(compareUtf8)) object[key] = entries.get(key) ?? null;
  return object;
}

function renderPrincipals(value: Json | undefined): Json | undefined {
  const principals = blocks(value).map((principal) => ({
    type: strings(principal.type, 'principal types')[0] ?? '',
    identifiers: stringSet(
      strings(principal.identifiers, 'principal identifiers').map(withPolicyVariables),
    ),
  }));
  if (principals.length === 0) return undefined;
  const [only] = principals;
  if (principals.length === 1 && only?.type === '*' && only.identifiers === '*') return '*';
  const byType = new Map<string, Json>();
  for (const { type, identifiers } of principals) {
    const existing = byType.get(type);
    const added =
      identifiers === undefined ? [] : Array.isArray(identifiers) ? identifiers : [identifiers];
    if (existing === undefined) byType.set(type, identifiers ?? []);
    else byType.set(type, [...(Array.isArray(existing) ? existing : [existing]), ...added]);
  }
  return sortedObject(byType);
}

function renderConditions(value: Json | undefined): Json | undefined {
  const conditions = blocks(value);
  if (conditions.length === 0) return undefined;
  const byTest = new Map<string, Map<string, string[]>>();
  for (const condition of conditions) {
    const test = strings(condition.test, 'condition tests')[0] ?? '';
    const variable = strings(condition.variable, 'condition variables')[0] ?? '';
    // Condition values are a list, not a set: their order is kept.
    const values = strings(condition.values, 'condition values').map(withPolicyVariables);
    const variables = byTest.get(test) ?? new Map<string, string[]>();
    variables.set(variable, [...(variables.get(variable) ?? []), ...values]);
    byTest.set(test, variables);
  }
  const rendered = new Map<string, Json>();
  for (const [test, variables] of byTest) {
    const flattened = new Map<string, Json>();
    for (const [variable, values] of variables) {
      flattened.set(variable, values.length === 1 ? (values[0] ?? null) : values);
    }
    rendered.set(test, sortedObject(flattened));
  }
  return sortedObject(rendered);
}

function renderStatement(statement: JsonObject): JsonObject {
  const rendered: JsonObject = {};
  const put = (key: string, value: Json | undefined): void => {
    if (value !== undefined && value !== '') rendered[key] = value;
  };
  put('Sid', strings(statement.sid, 'sid')[0]);
  put('Effect', strings(statement.effect, 'effect')[0] ?? 'Allow');
  put('Action', stringSet(strings(statement.actions, 'actions')));
  put('NotAction', stringSet(strings(statement.not_actions, 'not_actions')));
  put('Resource', stringSet(strings(statement.resources, 'resources').map(withPolicyVariables)));
  put(
    'NotResource',
    stringSet(strings(statement.not_resources, 'not_resources').map(withPolicyVariables)),
  );
  put('Principal', renderPrincipals(statement.principals));
  put('NotPrincipal', renderPrincipals(statement.not_principals));
  put('Condition', renderConditions(statement.condition));
  return rendered;
}

const STATEMENT_ORDER = [
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
];

/** A statement from a JSON document, in the order the provider writes its fields. */
function reorderStatement(statement: JsonObject): JsonObject {
  const ordered: JsonObject = {};
  for (const key of STATEMENT_ORDER) {
    const value = statement[key];
    if (value === undefined) continue;
    ordered[key] = isObject(value) ? sortedObject(new Map(Object.entries(value))) : value;
  }
  return ordered;
}

interface Draft {
  version: string;
  id: string;
  statements: JsonObject[];
}

/** The provider's IAMPolicyDoc.Merge: a statement replaces the one with its Sid, else is added. */
function merge(into: Draft, version: string, id: string, statements: JsonObject[]): void {
  if (id !== '') into.id = id;
  if (version > into.version) into.version = version;
  for (const statement of statements) {
    const sid = typeof statement.Sid === 'string' ? statement.Sid : '';
    const existing = sid === '' ? -1 : into.statements.findIndex((item) => item.Sid === sid);
    if (existing >= 0) into.statements[existing] = statement;
    else into.statements.push(statement);
  }
}

function mergeJsonDocuments(into: Draft, value: Json | undefined, what: string): void {
  for (const text of strings(value, what)) {
    let parsed: Json;
    try {
      parsed = JSON.parse(text) as Json;
    } catch (error) {
      throw new Error(
        `aws_iam_policy_document: ${what} holds invalid JSON: ${(error as Error).message}`,
      );
    }
    if (!isObject(parsed))
      throw new Error(`aws_iam_policy_document: ${what} must hold JSON objects`);
    merge(
      into,
      typeof parsed.Version === 'string' ? parsed.Version : '',
      typeof parsed.Id === 'string' ? parsed.Id : '',
      blocks(parsed.Statement).map(reorderStatement),
    );
  }
}

/** Renders a resolved `aws_iam_policy_document` block into the policy document it stands for. */
export function renderPolicyDocument(block: JsonObject): PolicyDocument {
  const draft: Draft = { version: '', id: '', statements: [] };
  mergeJsonDocuments(draft, block.source_policy_documents, 'source_policy_documents');
  merge(
    draft,
    strings(block.version, 'version')[0] ?? '2012-10-17',
    strings(block.policy_id, 'policy_id')[0] ?? '',
    blocks(block.statement).map(renderStatement),
  );
  mergeJsonDocuments(draft, block.override_policy_documents, 'override_policy_documents');
  const document: PolicyDocument = {};
  if (draft.version !== '') document.Version = draft.version;
  if (draft.id !== '') document.Id = draft.id;
  if (draft.statements.length > 0) document.Statement = draft.statements;
  return document;
}

/** The data source's `json` attribute: indented two spaces, as the provider writes it. */
export function policyDocumentJson(document: PolicyDocument): string {
  return marshalJson(document, { indent: '  ' });
}

/** The data source's `minified_json` attribute. */
export function policyDocumentMinifiedJson(document: PolicyDocument): string {
  return marshalJson(document);
}
