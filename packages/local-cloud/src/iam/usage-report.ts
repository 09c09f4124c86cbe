/**
 * The least-privilege report: for each function and state machine, what it did with its role in
 * the recorded runs (actions, resources, which grant allowed each), the grants it never used, and
 * the smallest identity policy that would have allowed everything it did. Built from the usage
 * files the local cloud writes (see usage-recorder.ts), which carry the policies they were judged
 * by.
 */
import type { CallerKind } from '../credentials';
import type { PolicyDocument } from '../stack/topology';
import type { Json } from '../json';
import type { LabelledPolicy, MatchedGrant } from './access-types';
import type { UsageCall, UsageFile } from './usage-recorder';

export interface GrantLine {
  policy: string;
  statementIndex: number;
  sid?: string;
  actionPattern: string;
  resourcePattern: string;
  /** The grant comes from an AWS managed policy, which the stack cannot trim. */
  awsManaged: boolean;
}

export interface CallerReport {
  kind: CallerKind;
  name: string;
  roleArn: string;
  used: (UsageCall & { allowedBy: string[] })[];
  denied: UsageCall[];
  unused: GrantLine[];
  smallestPolicy: PolicyDocument;
}

export interface UsageReport {
  files: number;
  callers: CallerReport[];
}

type Statement = { [key: string]: Json };

const list = (value: Json | undefined): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((item): item is string => typeof item === 'string')
      : [];

const grantKey = (grant: {
  policy: string;
  statementIndex: number;
  actionPattern: string;
  resourcePattern: string;
}): string =>
  `${grant.policy}#${grant.statementIndex}#${grant.actionPattern}#${grant.resourcePattern}`;

const statementsOf = (document: PolicyDocument): Statement[] => {
  const statements = document.Statement;
  const all = Array.isArray(statements) ? statements : statements ? [statements] : [];
  return all.filter(
    (statement): statement is Statement =>
      typeof statement === 'object' && statement !== null && !Array.isArray(statement),
  );
};

/** Every (action, resource) pair an identity policy's Allow statements grant, as written. */
export function grantsOf(policy: LabelledPolicy): GrantLine[] {
  return positionedGrantsOf(policy).map(({ grant }) => grant);
}

/**
 * The grants with their place in the policy (statement, action entry, resource entry): runs of the
 * same stack with other generated names (bucket suffixes) have the same places, not the same text.
 */
function positionedGrantsOf(policy: LabelledPolicy): { grant: GrantLine; place: string }[] {
  const awsManaged = /arn:aws[a-z-]*:iam::aws:policy\//.test(policy.label);
  return statementsOf(policy.document).flatMap((statement, statementIndex) => {
    if (statement.Effect !== 'Allow') return [];
    const actions =
      statement.NotAction !== undefined
        ? [`NotAction:${list(statement.NotAction).join(',')}`]
        : list(statement.Action);
    const resources =
      statement.NotResource !== undefined
        ? [`NotResource:${list(statement.NotResource).join(',')}`]
        : statement.Resource === undefined
          ? ['*']
          : list(statement.Resource);
    const sid = typeof statement.Sid === 'string' ? statement.Sid : undefined;
    return actions.flatMap((actionPattern, actionIndex) =>
      resources.map((resourcePattern, resourceIndex) => ({
        grant: {
          policy: policy.label,
          statementIndex,
          ...(sid ? { sid } : {}),
          actionPattern,
          resourcePattern,
          awsManaged,
        },
        place: `${policy.label}#${statementIndex}#${actionIndex}#${resourceIndex}`,
      })),
    );
  });
}

/**
 * Rewrites grants matched in one run into the words of the reference run's policies (same place,
 * that run's names), so runs with different generated names count towards the same grants.
 */
function translateGrants(
  grants: MatchedGrant[],
  from: LabelledPolicy[],
  to: LabelledPolicy[],
): MatchedGrant[] {
  const places = new Map(
    from.flatMap(positionedGrantsOf).map(({ grant, place }) => [grantKey(grant), place]),
  );
  const reference = new Map(
    to.flatMap(positionedGrantsOf).map(({ grant, place }) => [place, grant]),
  );
  return grants.map((grant) => {
    const place = places.get(grantKey(grant));
    const same = place === undefined ? undefined : reference.get(place);
    return same
      ? { ...grant, actionPattern: same.actionPattern, resourcePattern: same.resourcePattern }
      : grant;
  });
}

export const describeGrant = (grant: MatchedGrant): string =>
  `${grant.sid ? `"${grant.sid}"` : `statement ${grant.statementIndex + 1}`} of ${grant.policy}`;

/**
 * The smallest identity policy for the calls: each action used, on the resource patterns that
 * allowed it (a pattern stays a pattern: the keys an object prefix will hold are not all known
 * from one run), actions sharing the same resources in one statement.
 */
function smallestPolicy(calls: UsageCall[], identityLabels: Set<string>): PolicyDocument {
  const actionsByResource = new Map<string, Set<string>>();
  for (const call of calls) {
    if (call.allowed === 0) continue;
    const identityGrants = call.grants.filter((grant) => identityLabels.has(grant.policy));
    // Allowed by a resource policy alone: nothing is needed in the role.
    for (const grant of identityGrants.slice(0, 1)) {
      const actions = actionsByResource.get(grant.resourcePattern) ?? new Set<string>();
      actions.add(call.action);
      actionsByResource.set(grant.resourcePattern, actions);
    }
  }
  const resourcesByActions = new Map<string, string[]>();
  for (const [resource, actions] of actionsByResource) {
    const key = [...actions].sort().join(',');
    resourcesByActions.set(key, [...(resourcesByActions.get(key) ?? []), resource]);
  }
  const Statement: Json[] = [...resourcesByActions.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([actions, resources]) => {
      const Action = actions.split(',');
      const Resource = resources.sort();
      return {
        Effect: 'Allow',
        Action: Action.length === 1 ? (Action[0] ?? '') : Action,
        Resource: Resource.length === 1 ? (Resource[0] ?? '') : Resource,
      };
    });
  return { Version: '2012-10-17', Statement };
}

/** Merges usage files (one per run) and reports each function and state machine. */
export function buildUsageReport(files: UsageFile[]): UsageReport {
  const callers = new Map<
    string,
    {
      kind: CallerKind;
      name: string;
      roleArn: string;
      policies: LabelledPolicy[];
      calls: Map<string, UsageCall>;
    }
  >();
  for (const file of files) {
    for (const caller of file.callers) {
      if (caller.kind === 'service' || !caller.roleArn) continue;
      const key = `${caller.kind}:${caller.name}`;
      const entry = callers.get(key) ?? {
        kind: caller.kind,
        name: caller.name,
        roleArn: caller.roleArn,
        policies: caller.policies,
        calls: new Map<string, UsageCall>(),
      };
      callers.set(key, entry);
      for (const call of caller.calls) {
        const grants = translateGrants(call.grants, caller.policies, entry.policies);
        const callKey = `${call.action} ${call.resource}`;
        const merged = entry.calls.get(callKey);
        if (!merged) {
          entry.calls.set(callKey, { ...call, grants });
          continue;
        }
        merged.allowed += call.allowed;
        merged.denied += call.denied;
        const known = new Set(merged.grants.map(grantKey));
        merged.grants.push(...grants.filter((grant) => !known.has(grantKey(grant))));
      }
    }
  }

  const reports = [...callers.values()]
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name))
    .map((caller): CallerReport => {
      const calls = [...caller.calls.values()].sort(
        (a, b) => a.action.localeCompare(b.action) || a.resource.localeCompare(b.resource),
      );
      const usedGrants = new Set(calls.flatMap((call) => call.grants.map(grantKey)));
      const identityLabels = new Set(caller.policies.map((policy) => policy.label));
      return {
        kind: caller.kind,
        name: caller.name,
        roleArn: caller.roleArn,
        used: calls
          .filter((call) => call.allowed > 0)
          .map((call) => ({ ...call, allowedBy: call.grants.map(describeGrant) })),
        denied: calls.filter((call) => call.denied > 0),
        unused: caller.policies
          .flatMap(grantsOf)
          .filter((grant) => !usedGrants.has(grantKey(grant))),
        smallestPolicy: smallestPolicy(calls, identityLabels),
      };
    });
  return { files: files.length, callers: reports };
}

const cell = (text: string): string => `\`${text.replace(/\|/g, '\\|')}\``;

/** The report as Markdown: a summary table, then one section per caller. */
export function renderUsageReport(report: UsageReport): string {
  const lines = [
    '# IAM usage',
    '',
    `From ${report.files} recorded run(s). A grant is unused when no recorded call was allowed by it.`,
    '',
    '| caller | calls | denied | unused grants |',
    '| --- | ---: | ---: | ---: |',
    ...report.callers.map(
      (caller) =>
        `| ${caller.kind} ${caller.name} | ${caller.used.reduce((sum, call) => sum + call.allowed, 0)} | ${caller.denied.reduce((sum, call) => sum + call.denied, 0)} | ${caller.unused.length} |`,
    ),
  ];
  for (const caller of report.callers) {
    lines.push('', `## ${caller.kind} ${caller.name}`, '', `Role: ${cell(caller.roleArn)}`, '');
    lines.push('| action | resource | calls | allowed by |', '| --- | --- | ---: | --- |');
    for (const call of caller.used) {
      lines.push(
        `| ${cell(call.action)} | ${cell(call.resource)} | ${call.allowed} | ${call.allowedBy.join('; ')} |`,
      );
    }
    if (caller.denied.length > 0) {
      lines.push('', 'Denied:', '', '| action | resource | times |', '| --- | --- | ---: |');
      for (const call of caller.denied) {
        lines.push(`| ${cell(call.action)} | ${cell(call.resource)} | ${call.denied} |`);
      }
    }
    if (caller.unused.length === 0) {
      lines.push('', 'Unused grants: none.');
    } else {
      lines.push(
        '',
        'Unused grants:',
        '',
        '| action | resource | statement |',
        '| --- | --- | --- |',
        ...caller.unused.map(
          (grant) =>
            `| ${cell(grant.actionPattern)} | ${cell(grant.resourcePattern)} | ${describeGrant(grant)}${grant.awsManaged ? ' (AWS managed)' : ''} |`,
        ),
      );
    }
    lines.push(
      '',
      'Smallest policy that allows what it did:',
      '',
      '```json',
      JSON.stringify(caller.smallestPolicy, null, 2),
      '```',
    );
  }
  return `${lines.join('\n')}\n`;
}
