/** The guardrail rule set, in the order reports list them. */
import type { GuardrailRule } from './guardrail-rule';
import { stageAccessLogs, stageThrottled } from './rules-api';
import { pointInTimeRecovery, tableEncryption } from './rules-dynamodb';
import { noUnexplainedWildcardResources, noWildcardActions } from './rules-iam';
import { explicitTimeout, logsWithRetention, roleOfItsOwn } from './rules-lambda';
import { encryptedAtRest, publicAccessBlocked, tlsOnly } from './rules-s3';
import { deadLetterQueue, queueEncrypted } from './rules-sqs';
import { noStatefulDestroy } from './rules-state';

export const GUARDRAIL_RULES: GuardrailRule[] = [
  noWildcardActions,
  noUnexplainedWildcardResources,
  publicAccessBlocked,
  encryptedAtRest,
  tlsOnly,
  queueEncrypted,
  deadLetterQueue,
  logsWithRetention,
  explicitTimeout,
  roleOfItsOwn,
  stageThrottled,
  stageAccessLogs,
  pointInTimeRecovery,
  tableEncryption,
  noStatefulDestroy,
];
