/**
 * plan-review.md: what a change does to the account, on one page a reviewer can read in a pull
 * request. Dangerous changes to stateful resources come first, then the counts, the guardrails,
 * IAM grants per role, anything that changes who can reach what, and the changes by type.
 */
import type { GuardrailReport } from './guardrails';
import { compareExposure } from './exposure';
import { compareGrants } from './iam-grants';
import type { Grant } from './iam-grants';
import type { ChangeAction, PlanModel, PlannedResource } from './plan-model';

/** Resources that hold data: replacing or destroying one loses it. */
export const STATEFUL_TYPES = [
  'aws_dynamodb_table',
  'aws_s3_bucket',
  'aws_sqs_queue',
  'aws_sns_topic',
];

export interface ChangeCounts {
  create: number;
  update: number;
  replace: number;
  delete: number;
}

export interface ReviewInput {
  stage: string;
  model: PlanModel;
  /** The model the change is compared with; absent means an empty account. */
  previous?: PlanModel;
  guardrails: GuardrailReport;
}

export function countChanges(model: PlanModel): ChangeCounts {
  const counts: ChangeCounts = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const item of model.resources) {
    if (item.mode !== 'managed') continue;
    if (item.action in counts) counts[item.action as keyof ChangeCounts] += 1;
  }
  return counts;
}

/** Markdown table cell: pipes escaped, newlines flattened. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

function table(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

function dangerSection(model: PlanModel): string[] {
  const dangerous = model.resources.filter(
    (item) =>
      STATEFUL_TYPES.includes(item.type) && (item.action === 'replace' || item.action === 'delete'),
  );
  if (dangerous.length === 0) return [];
  return [
    '> [!CAUTION]',
    '> **Data at risk.** This change destroys or replaces resources that hold data:',
    '>',
    ...dangerous.map(
      (item) =>
        `> - ${item.action === 'delete' ? '**destroys**' : '**replaces**'} ${code(item.address)}` +
        (item.replacedBecause.length > 0
          ? ` (because ${item.replacedBecause.map(code).join(', ')} changes)`
          : ''),
    ),
    '',
  ];
}

function guardrailSection(report: GuardrailReport): string[] {
  const lines = ['## Guardrails', ''];
  if (report.violations.length === 0) {
    lines.push(`All ${report.rules.length} rules pass.`, '');
  } else {
    const fixes = new Map(report.rules.map((rule) => [rule.id, rule.fix]));
    lines.push(
      `**${report.violations.length} violation(s): the plan is refused.**`,
      '',
      ...table(
        ['Rule', 'Resource', 'Problem', 'Fix'],
        report.violations.map((finding) => [
          finding.ruleId,
          code(finding.address),
          finding.message,
          fixes.get(finding.ruleId) ?? '',
        ]),
      ),
      '',
    );
  }
  if (report.suppressed.length > 0) {
    lines.push(
      'Suppressed in the stack code, with the reason given there:',
      '',
      ...table(
        ['Rule', 'Resource', 'Reason'],
        report.suppressed.map((finding) => [finding.ruleId, code(finding.address), finding.reason]),
      ),
      '',
    );
  }
  return lines;
}

function wildcardSection(model: PlanModel): string[] {
  const reasons = model.resources.flatMap((item) =>
    Object.entries(item.wildcardReasons).map(([sid, reason]) => [code(item.address), sid, reason]),
  );
  if (reasons.length === 0) return [];
  return [
    'Allow-listed `*` resources, with the reason the stack code gives:',
    '',
    ...table(['Policy', 'Statement', 'Reason'], reasons),
    '',
  ];
}

function grantRows(change: string, grants: Grant[]): string[][] {
  // One row per effect, resource and condition, with its actions together: readable, and exact.
  const rows = new Map<string, { grant: Grant; actions: string[] }>();
  for (const grant of grants) {
    const id = `${grant.effect}\u0000${grant.resource}\u0000${grant.condition}`;
    const row = rows.get(id) ?? { grant, actions: [] };
    row.actions.push(grant.action);
    rows.set(id, row);
  }
  return [...rows.values()].map(({ grant, actions }) => [
    change,
    grant.effect,
    actions.sort().join(', '),
    grant.resource,
    grant.condition,
  ]);
}

function iamSection(previous: PlanModel | undefined, model: PlanModel): string[] {
  const changes = compareGrants(previous, model);
  const lines = ['## IAM', ''];
  if (changes.length === 0) return [...lines, 'No role gains or loses a permission.', ''];
  for (const change of changes) {
    lines.push(
      `### ${code(change.role)}`,
      '',
      ...table(
        ['Change', 'Effect', 'Actions', 'Resource', 'Condition'],
        [...grantRows('granted', change.granted), ...grantRows('revoked', change.revoked)],
      ),
      '',
    );
  }
  return lines;
}

function exposureSection(previous: PlanModel | undefined, model: PlanModel): string[] {
  const changes = compareExposure(previous, model).filter(
    (change) => change.opened.length > 0 || change.closed.length > 0,
  );
  const lines = ['## Exposure', ''];
  if (changes.length === 0) return [...lines, 'Nothing changes who can reach what.', ''];
  lines.push('`+` opens or sets, `-` closes or removes.', '');
  for (const change of changes) {
    lines.push(
      `### ${change.category}`,
      '',
      '```diff',
      ...change.opened.map((fact) => `+ ${fact}`),
      ...change.closed.map((fact) => `- ${fact}`),
      '```',
      '',
    );
  }
  return lines;
}

const ORDER: ChangeAction[] = ['delete', 'replace', 'update', 'create'];

function changesSection(model: PlanModel): string[] {
  const changed = model.resources.filter(
    (item) => item.mode === 'managed' && ORDER.includes(item.action),
  );
  const byType = new Map<string, PlannedResource[]>();
  for (const item of changed) byType.set(item.type, [...(byType.get(item.type) ?? []), item]);
  const lines = ['## Changes by resource type', ''];
  if (byType.size === 0) return [...lines, 'No resource changes.', ''];
  for (const [type, items] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...items].sort(
      (a, b) =>
        ORDER.indexOf(a.action) - ORDER.indexOf(b.action) || a.address.localeCompare(b.address),
    );
    const summary = ORDER.map(
      (action) => [action, items.filter((item) => item.action === action).length] as const,
    )
      .filter(([, count]) => count > 0)
      .map(([action, count]) => `${count} ${action}`)
      .join(', ');
    lines.push(
      `<details><summary><code>${type}</code>: ${summary}</summary>`,
      '',
      ...table(
        ['Resource', 'Action', 'Attributes'],
        sorted.map((item) => [
          code(item.address),
          item.action,
          item.changedAttributes.filter((attribute) => attribute !== 'depends_on').join(', '),
        ]),
      ),
      '',
      '</details>',
      '',
    );
  }
  return lines;
}

export function renderPlanReview(input: ReviewInput): string {
  const { model, previous, guardrails } = input;
  const counts = countChanges(model);
  return [
    `# Plan review: stage \`${input.stage}\``,
    '',
    `Compared with ${model.baseline}.`,
    '',
    ...dangerSection(model),
    `**${counts.create} to add, ${counts.update} to change, ${counts.replace} to replace, ${counts.delete} to destroy.**` +
      (guardrails.violations.length > 0
        ? ` Guardrails: **${guardrails.violations.length} violation(s)**.`
        : ' Guardrails pass.'),
    '',
    ...guardrailSection(guardrails),
    ...wildcardSection(model),
    ...iamSection(previous, model),
    ...exposureSection(previous, model),
    ...changesSection(model),
  ].join('\n');
}
