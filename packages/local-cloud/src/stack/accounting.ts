/**
 * Which parts of the stack the topology accounts for. Resources of the emulated types become
 * topology entries; resources of the consumed types are configuration folded into an entry (a
 * bucket's CORS, a role's inline policy) and count only once a builder has matched them to their
 * target. Everything else is reported as not emulated, so the boot report is honest.
 */
import type { StackBlock } from './stack-model';
import { COMPUTED_DATA_TYPES } from './resource-attributes';

/** Resource types that each become an entry of the topology. */
export const EMULATED_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'aws_lambda_function',
  'aws_lambda_event_source_mapping',
  'aws_lambda_function_event_invoke_config',
  'aws_lambda_permission',
  'aws_dynamodb_table',
  'aws_s3_bucket',
  'aws_s3_object',
  'aws_s3_bucket_object',
  'aws_sqs_queue',
  'aws_sns_topic',
  'aws_sns_topic_subscription',
  'aws_sfn_state_machine',
  'aws_api_gateway_rest_api',
  'aws_apigatewayv2_api',
  'aws_iam_role',
  'aws_iam_policy',
  'aws_cloudwatch_log_group',
]);

/** Resource types read as configuration of an entry of another type. */
export const CONSUMED_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'aws_s3_bucket_cors_configuration',
  'aws_s3_bucket_website_configuration',
  'aws_s3_bucket_notification',
  'aws_s3_bucket_policy',
  'aws_sqs_queue_policy',
  'aws_sqs_queue_redrive_policy',
  'aws_sns_topic_policy',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_api_gateway_stage',
  'aws_api_gateway_deployment',
  'aws_apigatewayv2_stage',
  'aws_apigatewayv2_route',
  'aws_apigatewayv2_integration',
]);

/** Data sources the loader computes itself (policy documents, caller identity, region, partition). */
export const CONSUMED_DATA_TYPES: ReadonlySet<string> = COMPUTED_DATA_TYPES;

export interface Accounting {
  /** A block of a consumed type was folded into a topology entry. */
  consumed(address: string): void;
  /** Part of a block is not emulated (e.g. `aws_s3_bucket_notification.queue`). */
  notEmulated(kind: string): void;
}

export interface AccountingReport extends Accounting {
  /** Counts by type (`data.<type>` for data sources), sorted by type. */
  notEmulatedCounts(blocks: readonly StackBlock[]): Record<string, number>;
}

export function createAccounting(): AccountingReport {
  const consumed = new Set<string>();
  const partial = new Map<string, number>();
  return {
    consumed: (address) => {
      consumed.add(address);
    },
    notEmulated: (kind) => {
      partial.set(kind, (partial.get(kind) ?? 0) + 1);
    },
    notEmulatedCounts(blocks) {
      const counts = new Map(partial);
      for (const block of blocks) {
        const accounted =
          block.mode === 'data'
            ? CONSUMED_DATA_TYPES.has(block.type)
            : EMULATED_RESOURCE_TYPES.has(block.type) ||
              (CONSUMED_RESOURCE_TYPES.has(block.type) && consumed.has(block.address));
        if (accounted) continue;
        const key = block.mode === 'data' ? `data.${block.type}` : block.type;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    },
  };
}
