/**
 * What a guardrail rule is and what it finds, apart from the rule set (guardrail-rules.ts) and its
 * evaluation (guardrails.ts), so that the rules and both of those import it and not each other.
 */
import type { PlanModel } from './plan-model';

export interface Finding {
  ruleId: string;
  address: string;
  message: string;
}

export interface GuardrailRule {
  id: string;
  title: string;
  /** one line: why */
  rationale: string;
  /** one line: how to fix */
  fix: string;
  check(model: PlanModel): Finding[];
}
