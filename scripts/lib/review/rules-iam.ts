/** IAM guardrails: no Allow of every action of a service, no `*` resource without a reason. */
import type { Finding, GuardrailRule } from './guardrail-rule';
import { describeStatement, describeUse, policySources } from './rules-policies';
import type { PolicySource, PolicyStatement } from './rules-policies';
import { text } from './rules-values';

/** `*` or `service:*`: a prefix like `s3:Get*` is narrower and left to review. */
function isWildcardAction(action: string): boolean {
  return action === '*' || /^[\w-]+:\*$/.test(action);
}

function allows(statement: PolicyStatement): boolean {
  return statement.effect === 'Allow';
}

function wildcardActionFindings(source: PolicySource): Finding[] {
  return source.statements.filter(allows).flatMap((statement) => {
    const problems: string[] = [];
    const wildcards = statement.actions.filter(isWildcardAction);
    if (wildcards.length > 0) {
      problems.push(`allows ${wildcards.join(', ')} (every action of the service)`);
    }
    if (statement.notActions.length > 0) {
      problems.push(`allows every action but NotAction ${statement.notActions.join(', ')}`);
    }
    return problems.map((problem) => ({
      ruleId: 'IAM-001',
      address: source.resource.address,
      message: `${describeStatement(statement)} ${problem}${describeUse(source)}`,
    }));
  });
}

export const noWildcardActions: GuardrailRule = {
  id: 'IAM-001',
  title: 'No wildcard actions in Allow statements',
  rationale:
    'An Allow of `*`, `service:*` or NotAction grants actions nobody reviewed, including ones AWS adds later.',
  fix: 'List the actions the code calls; keep wildcards for Deny statements only (e.g. a TLS-only deny).',
  check: (model) => policySources(model).flatMap(wildcardActionFindings),
};

function wildcardResourceFindings(source: PolicySource): Finding[] {
  return source.statements
    .filter((statement) => allows(statement) && statement.resources.includes('*'))
    .flatMap((statement) => {
      const sid = statement.sid;
      const unexplained =
        sid === undefined
          ? source.usedBy
          : source.usedBy.filter((user) => text(user.wildcardReasons[sid]) === undefined);
      if (source.usedBy.length > 0 && unexplained.length === 0) return [];
      const missing =
        sid === undefined
          ? 'it has no Sid, so no wildcard_reasons entry can explain it'
          : source.usedBy.length === 0
            ? 'no policy uses it to give a wildcard_reasons entry'
            : `no wildcard_reasons["${sid}"] on ${unexplained.map((user) => user.address).join(', ')}`;
      const actions = [...statement.actions, ...statement.notActions.map((a) => `not ${a}`)];
      return [
        {
          ruleId: 'IAM-002',
          address: source.resource.address,
          message: `${describeStatement(statement)} allows ${actions.join(', ')} on resource *${describeUse(source)}: ${missing}`,
        },
      ];
    });
}

export const noUnexplainedWildcardResources: GuardrailRule = {
  id: 'IAM-002',
  title: 'No `*` resource without a reason',
  rationale:
    'An Allow on every resource reaches data the function has no business with; only actions without resource-level permissions need it.',
  fix: 'Name the ARNs; if the actions support no resource-level permissions, give the statement a Sid and a `wildcardReason` (wildcard_reasons on the role policy).',
  check: (model) => policySources(model).flatMap(wildcardResourceFindings),
};
