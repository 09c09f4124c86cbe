/**
 * Policy statements as a reviewer reads them: references shown as the addresses they point at,
 * conditions as one line. The statements themselves come from rules-policies.ts, the one reader
 * of policy documents and policy JSON that the guardrails use too.
 */
import type { PlanModel } from './plan-model';
import { statementsOfPolicy as readPolicy } from './rules-policies';
import type { PolicyStatement } from './rules-policies';

export { referencedAddress } from './rules-values';
export type { PolicyStatement } from './rules-policies';

/** `${aws_sqs_queue.x.arn}/index/*` → `aws_sqs_queue.x.arn/index/*`: references read as addresses. */
export function readable(text: string): string {
  return text.replace(/\$\{([^}]*)\}/g, '$1');
}

/** `Bool aws:SecureTransport = false; ArnEquals aws:SourceArn = aws_sns_topic.events.arn`. */
export function conditionText(statement: PolicyStatement): string {
  return statement.conditions
    .map((condition) =>
      readable(`${condition.test} ${condition.variable} = ${condition.values.join('|')}`),
    )
    .join('; ');
}

/** The statements a `policy` value stands for; none when it cannot be read before apply. */
export function statementsOfPolicy(model: PlanModel, policy: unknown): PolicyStatement[] {
  return readPolicy(model, policy)?.statements ?? [];
}
