import type { TerraformResource } from 'cdktf';

/**
 * Records, in the synthesized JSON, why a resource does not follow one guardrail rule of
 * `npm run plan`. Terraform ignores `//` keys; the plan review lists every suppression with its
 * reason, and a suppression without one does not count. Use it for decisions, not to silence.
 */
export function suppressGuardrail(
  resource: TerraformResource,
  ruleId: string,
  reason: string,
): void {
  if (!/^[A-Z0-9]+-\d{3}$/.test(ruleId)) {
    throw new Error(`"${ruleId}" is not a guardrail rule id (like S3-003)`);
  }
  if (reason.trim().length < 10) {
    throw new Error(`Suppressing ${ruleId} needs a reason a reviewer can judge`);
  }
  resource.addOverride(`//.suppress_guardrails.${ruleId}`, reason);
}
