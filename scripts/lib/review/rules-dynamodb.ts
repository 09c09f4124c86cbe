/** DynamoDB guardrails: point-in-time recovery and an explicit encryption setting. */
import type { GuardrailRule } from './guardrail-rule';
import type { PlanModel, PlannedResource } from './plan-model';
import { blocks, isTrue, remainingOfType } from './rules-values';

function tables(model: PlanModel): PlannedResource[] {
  return remainingOfType(model, 'aws_dynamodb_table');
}

function enabled(block: unknown): boolean {
  return blocks(block).some((values) => isTrue(values.enabled));
}

export const pointInTimeRecovery: GuardrailRule = {
  id: 'DDB-001',
  title: 'Tables have point-in-time recovery',
  rationale: 'Without it a bad write or delete cannot be undone: there is no backup to restore.',
  fix: 'Set point_in_time_recovery { enabled = true } on the table.',
  check: (model) =>
    tables(model)
      .filter((table) => !enabled(table.values.point_in_time_recovery))
      .map((table) => ({
        ruleId: 'DDB-001',
        address: table.address,
        message: 'does not enable point_in_time_recovery',
      })),
};

export const tableEncryption: GuardrailRule = {
  id: 'DDB-002',
  title: 'Tables state their encryption',
  rationale:
    'AWS encrypts every table with an AWS owned key by default; the rule asks for the explicit setting so the choice is reviewed (and can move to a KMS key).',
  fix: 'Set server_side_encryption { enabled = true } (with kms_key_arn for a customer managed key).',
  check: (model) =>
    tables(model)
      .filter((table) => !enabled(table.values.server_side_encryption))
      .map((table) => ({
        ruleId: 'DDB-002',
        address: table.address,
        message: 'does not set server_side_encryption.enabled = true',
      })),
};
