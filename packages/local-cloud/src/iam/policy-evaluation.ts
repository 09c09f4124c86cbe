/**
 * AWS's policy evaluation logic for a request within one account: an explicit deny in any policy
 * wins; otherwise an allow in an identity-based policy or in the resource-based policy (naming
 * the caller) grants; otherwise the request is implicitly denied. Pure: no I/O, no clock (the
 * caller puts aws:CurrentTime and friends into the condition keys).
 */
import type {
  Decision,
  EvaluationRequest,
  LabelledPolicy,
  MatchedGrant,
  PolicySet,
  Principal,
} from './access-types';
import type { PolicyDocument } from '../stack/topology';
import type { Json } from '../json';
import {
  conditionKeyLookup,
  evaluateCondition,
  parseConditionBlock,
  resolvePolicyVariables,
  type ConditionKeys,
} from './condition-operators';
import { wildcardMatch } from './wildcard-match';
import { isObject } from '../json';

interface PatternList {
  not: boolean;
  patterns: string[];
}

interface PrincipalList {
  not: boolean;
  everyone: boolean;
  aws: string[];
  services: string[];
}

interface ParsedStatement {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  actions: PatternList;
  /** Undefined when the statement has neither Resource nor NotResource: the resource itself. */
  resources?: PatternList;
  /** Resource-based policies only. */
  principals?: PrincipalList;
  condition?: Json;
}

interface ParsedPolicy {
  /** Policy variables are only substituted in documents of this version. */
  variables: boolean;
  statements: ParsedStatement[];
}

/** Statements as people count them (statement 1 is Statement[0]), as the denial log lines do. */
const statementName = (index: number): string => `statement ${index + 1}`;

function stringList(value: Json, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((item) => typeof item === 'string')) {
    throw new Error(`${where} must be a string or a non-empty list of strings`);
  }
  return list;
}

function patternList(
  statement: { [key: string]: Json },
  element: string,
  where: string,
): PatternList | undefined {
  const positive = statement[element];
  const negative = statement[`Not${element}`];
  if (positive !== undefined && negative !== undefined) {
    throw new Error(`${where}: has both ${element} and Not${element}`);
  }
  if (positive !== undefined) {
    return { not: false, patterns: stringList(positive, `${where}: ${element}`) };
  }
  if (negative !== undefined) {
    return { not: true, patterns: stringList(negative, `${where}: Not${element}`) };
  }
  return undefined;
}

function principalList(value: Json, not: boolean, where: string): PrincipalList {
  const list: PrincipalList = { not, everyone: false, aws: [], services: [] };
  if (value === '*') return { ...list, everyone: true };
  if (!isObject(value)) throw new Error(`${where} must be "*" or an object`);
  for (const [type, entries] of Object.entries(value)) {
    const names = stringList(entries, `${where}.${type}`);
    if (type === 'AWS') {
      if (names.includes('*')) list.everyone = true;
      list.aws.push(...names);
    } else if (type === 'Service') list.services.push(...names);
    else if (type !== 'Federated' && type !== 'CanonicalUser') {
      throw new Error(`${where}: unknown principal type ${type}`);
    }
    // Federated and CanonicalUser principals never make requests in the local cloud.
  }
  return list;
}

function parseStatement(statement: Json, index: number, policy: LabelledPolicy): ParsedStatement {
  const where = `${policy.label}: ${statementName(index)}`;
  if (!isObject(statement)) throw new Error(`${where} is not an object`);
  const effect = statement.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw new Error(`${where}: Effect must be "Allow" or "Deny"`);
  }
  const actions = patternList(statement, 'Action', where);
  if (!actions) throw new Error(`${where}: has neither Action nor NotAction`);
  const principal = statement.Principal;
  const notPrincipal = statement.NotPrincipal;
  let principals: PrincipalList | undefined;
  if (policy.kind === 'identity') {
    if (principal !== undefined || notPrincipal !== undefined) {
      throw new Error(`${where}: an identity-based policy must not name a principal`);
    }
  } else {
    if ((principal === undefined) === (notPrincipal === undefined)) {
      throw new Error(`${where}: needs exactly one of Principal and NotPrincipal`);
    }
    principals =
      principal !== undefined
        ? principalList(principal, false, `${where}: Principal`)
        : principalList(notPrincipal ?? null, true, `${where}: NotPrincipal`);
  }
  const sid = statement.Sid;
  if (sid !== undefined && typeof sid !== 'string')
    throw new Error(`${where}: Sid must be a string`);
  parseConditionBlock(statement.Condition, where);
  return {
    index,
    sid,
    effect,
    actions,
    resources: patternList(statement, 'Resource', where),
    principals,
    condition: statement.Condition,
  };
}

const parsedPolicies = new WeakMap<PolicyDocument, Map<LabelledPolicy['kind'], ParsedPolicy>>();

function parsePolicy(policy: LabelledPolicy): ParsedPolicy {
  const byKind = parsedPolicies.get(policy.document);
  const cached = byKind?.get(policy.kind);
  if (cached) return cached;
  const { Statement: statements, Version: version } = policy.document;
  if (!isObject(statements) && !Array.isArray(statements)) {
    throw new Error(`${policy.label}: Statement must be an object or a list of objects`);
  }
  const parsed: ParsedPolicy = {
    variables: version === '2012-10-17',
    statements: (Array.isArray(statements) ? statements : [statements]).map((s, i) =>
      parseStatement(s, i, policy),
    ),
  };
  parsedPolicies.set(
    policy.document,
    (byKind ?? new Map<LabelledPolicy['kind'], ParsedPolicy>()).set(policy.kind, parsed),
  );
  return parsed;
}

export interface PolicyCheck {
  /** Condition operators that cannot be evaluated locally, for a warning at boot. */
  unsupportedOperators: { statementIndex: number; operator: string }[];
}

/** Throws, naming the policy's label, when the document is malformed. */
export function validatePolicy(policy: LabelledPolicy): PolicyCheck {
  const unsupportedOperators: PolicyCheck['unsupportedOperators'] = [];
  for (const statement of parsePolicy(policy).statements) {
    const where = `${policy.label}: ${statementName(statement.index)}`;
    for (const clause of parseConditionBlock(statement.condition, where)) {
      if (!clause.parsed) {
        unsupportedOperators.push({ statementIndex: statement.index, operator: clause.operator });
      }
    }
  }
  return { unsupportedOperators };
}

const ACCOUNT_ROOT = /^arn:[^:]+:iam::(\d{12}):root$/;

function namesAccount(entry: string, accountId: string): boolean {
  return entry === accountId || ACCOUNT_ROOT.exec(entry)?.[1] === accountId;
}

/**
 * How a principal list names the caller: `direct` (the caller itself, or everyone), `account`
 * (only the caller's account, which delegates to its identity policies), or not at all.
 */
function principalMatch(
  list: PrincipalList,
  principal: Principal,
): 'direct' | 'account' | undefined {
  if (list.everyone) return 'direct';
  switch (principal.kind) {
    case 'anonymous':
      return undefined;
    case 'service':
      return list.services.some((s) => s.toLowerCase() === principal.service.toLowerCase())
        ? 'direct'
        : undefined;
    case 'role':
      if (list.aws.includes(principal.roleArn) || list.aws.includes(principal.sessionArn)) {
        return 'direct';
      }
      return list.aws.some((e) => namesAccount(e, principal.accountId)) ? 'account' : undefined;
    case 'account-admin':
      if (list.aws.includes(principal.arn)) return 'direct';
      return list.aws.some((e) => namesAccount(e, principal.accountId)) ? 'account' : undefined;
  }
}

interface StatementMatch {
  grant: MatchedGrant;
  via: 'direct' | 'account';
  /** A condition operator that could not be evaluated; every other part matched. */
  unsupported?: string;
}

function matchStatement(
  statement: ParsedStatement,
  policy: LabelledPolicy,
  parsed: ParsedPolicy,
  request: EvaluationRequest,
  keys: ConditionKeys,
): StatementMatch | undefined {
  const { actions, resources } = statement;
  const action = actions.patterns.find((p) =>
    wildcardMatch(p, request.action, { ignoreCase: true }),
  );
  if (actions.not === (action !== undefined)) return undefined;
  const resourceMatches = (pattern: string): boolean => {
    const pieces = parsed.variables ? resolvePolicyVariables(pattern, keys) : pattern;
    return pieces !== undefined && wildcardMatch(pieces, request.resource);
  };
  const resource = resources?.patterns.find(resourceMatches);
  if (resources && resources.not === (resource !== undefined)) return undefined;
  let via: StatementMatch['via'] = 'direct';
  if (statement.principals) {
    const named = principalMatch(statement.principals, request.principal);
    if (statement.principals.not) {
      if (named) return undefined;
    } else if (!named) return undefined;
    else via = named;
  }
  const condition = evaluateCondition(statement.condition, keys, {
    where: `${policy.label}: ${statementName(statement.index)}`,
    variables: parsed.variables,
  });
  if (!condition.matches) return undefined;
  const grant: MatchedGrant = {
    policy: policy.label,
    statementIndex: statement.index,
    actionPattern: actions.not ? `NotAction:${actions.patterns.join(',')}` : (action ?? ''),
    resourcePattern: !resources
      ? '*'
      : resources.not
        ? `NotResource:${resources.patterns.join(',')}`
        : (resource ?? ''),
  };
  if (statement.sid !== undefined) grant.sid = statement.sid;
  return { grant, via, ...(condition.unsupported ? { unsupported: condition.unsupported } : {}) };
}

function unsupportedNote(match: StatementMatch): string {
  return `the condition operator "${match.unsupported}" in ${statementName(match.grant.statementIndex)} of ${match.grant.policy} cannot be evaluated locally`;
}

/**
 * Decides one authorization. Throws (naming the policy) when a policy is malformed; an operator
 * the engine does not know makes its Allow statement not apply and its Deny statement apply.
 * Condition keys are read only through `keys` (by lower-cased name): DecisionMemo relies on it.
 */
export function evaluate(
  request: EvaluationRequest,
  policies: PolicySet,
  keys: ConditionKeys = conditionKeyLookup(request.conditionKeys),
): Decision {
  const denies: { match: StatementMatch; kind: LabelledPolicy['kind'] }[] = [];
  const allows: StatementMatch[] = [];
  const accountAllows: StatementMatch[] = [];
  const unevaluated: StatementMatch[] = [];
  let identityAllows = false;
  const all = [
    ...policies.identityPolicies,
    ...(policies.resourcePolicy ? [policies.resourcePolicy] : []),
  ];
  for (const policy of all) {
    const parsed = parsePolicy(policy);
    for (const statement of parsed.statements) {
      const match = matchStatement(statement, policy, parsed, request, keys);
      if (!match) continue;
      if (statement.effect === 'Deny') denies.push({ match, kind: policy.kind });
      else if (match.unsupported) unevaluated.push(match);
      else if (match.via === 'account') accountAllows.push(match);
      else {
        allows.push(match);
        if (policy.kind === 'identity') identityAllows = true;
      }
    }
  }

  const deny = denies.find((d) => !d.match.unsupported) ?? denies[0];
  if (deny) {
    const where = deny.kind === 'identity' ? 'an identity-based' : 'a resource-based';
    const reason = `with an explicit deny in ${where} policy`;
    return {
      effect: 'ExplicitDeny',
      statement: deny.match.grant,
      reason: deny.match.unsupported
        ? `${reason} (${unsupportedNote(deny.match)}, so the deny applies)`
        : reason,
    };
  }
  if (allows.length > 0) {
    // An Allow naming only the account delegates to identity policies: it counts alongside them.
    const grants = [...allows, ...(identityAllows ? accountAllows : [])].map((m) => m.grant);
    return { effect: 'Allow', grants };
  }
  const [first] = unevaluated;
  if (first) return { effect: 'ImplicitDeny', reason: `because ${unsupportedNote(first)}` };
  const byIdentity = policies.identityPolicies.length > 0 || request.principal.kind === 'role';
  return {
    effect: 'ImplicitDeny',
    reason: `because no ${byIdentity ? 'identity-based' : 'resource-based'} policy allows the ${request.action} action`,
  };
}
