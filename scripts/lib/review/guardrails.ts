/**
 * Guardrails over a plan (in the spirit of checkov or cdk-nag): each rule reads the `PlanModel`
 * and names the resources that break it. The stack code may suppress a rule on one resource,
 * with a reason, through a `//.suppress_guardrails` annotation; a suppression without a reason
 * does not count, since the reason is what a reviewer reads.
 */
import type { Finding, GuardrailRule } from './guardrail-rule';
import { GUARDRAIL_RULES } from './guardrail-rules';
import type { PlanModel, PlannedResource } from './plan-model';
import { remaining } from './plan-model';

export { GUARDRAIL_RULES } from './guardrail-rules';

export interface SuppressedFinding extends Finding {
  reason: string;
}

export interface GuardrailReport {
  violations: Finding[];
  suppressed: SuppressedFinding[];
  rules: GuardrailRule[];
}

export interface GuardrailOptions {
  /** Addresses whose destruction or replacement the command line allows (STATE-001). */
  allowDestroy?: string[];
}

/** The rule whose allow, for a resource already gone from the code, only the caller can give. */
export const DESTROY_RULE_ID = 'STATE-001';
export const COMMAND_LINE_REASON = 'allowed on the command line';

function reasonOf(resource: PlannedResource | undefined, ruleId: string): string | undefined {
  // A deleted resource's annotations belong to code that no longer exists: they allow nothing.
  if (!resource || resource.action === 'delete') return undefined;
  const reason = resource.suppressions[ruleId];
  return reason !== undefined && reason.trim() !== '' ? reason : undefined;
}

function hasEmptySuppression(resource: PlannedResource, ruleId: string): boolean {
  return ruleId in resource.suppressions && reasonOf(resource, ruleId) === undefined;
}

/** Findings of rules that suppress a rule without saying why, on resources nothing else flags. */
function emptySuppressions(
  model: PlanModel,
  rules: GuardrailRule[],
  flagged: Finding[],
): Finding[] {
  return remaining(model).flatMap((resource) =>
    rules
      .filter((rule) => hasEmptySuppression(resource, rule.id))
      .filter(
        (rule) =>
          !flagged.some(
            (finding) => finding.ruleId === rule.id && finding.address === resource.address,
          ),
      )
      .map((rule) => ({
        ruleId: rule.id,
        address: resource.address,
        message: `suppresses ${rule.id} without a reason: say why, or remove the suppression`,
      })),
  );
}

export function evaluateGuardrails(
  model: PlanModel,
  rules: GuardrailRule[] = GUARDRAIL_RULES,
  options: GuardrailOptions = {},
): GuardrailReport {
  const byAddress = new Map(model.resources.map((resource) => [resource.address, resource]));
  const allowDestroy = new Set(options.allowDestroy ?? []);
  const violations: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];

  for (const rule of rules) {
    const findings = rule
      .check(model)
      .sort((a, b) => a.address.localeCompare(b.address) || a.message.localeCompare(b.message));
    for (const finding of findings) {
      const resource = byAddress.get(finding.address);
      const reason =
        rule.id === DESTROY_RULE_ID && allowDestroy.has(finding.address)
          ? COMMAND_LINE_REASON
          : reasonOf(resource, rule.id);
      if (reason !== undefined) suppressed.push({ ...finding, reason });
      else if (resource && resource.action !== 'delete' && hasEmptySuppression(resource, rule.id))
        violations.push({
          ...finding,
          message: `${finding.message} (its suppression gives no reason, so it does not count)`,
        });
      else violations.push(finding);
    }
  }
  violations.push(...emptySuppressions(model, rules, violations));
  return { violations, suppressed, rules };
}

/** One line per finding, `RULE-ID  address  message`: violations, then what was suppressed. */
export function formatFindings(report: GuardrailReport): string {
  return [
    ...report.violations.map(
      (finding) => `${finding.ruleId}  ${finding.address}  ${finding.message}`,
    ),
    ...report.suppressed.map(
      (finding) => `${finding.ruleId}  ${finding.address}  suppressed: ${finding.reason}`,
    ),
  ].join('\n');
}
