/**
 * What DynamoDB keeps about a table beyond what dynalite emulates (deletion protection, TTL,
 * point-in-time recovery, KMS encryption, tags), held in the table's spec in the model of
 * resources: the spec read from a table description, and a description completed from the spec.
 */
import type { Json, JsonObject } from '../../json';
import { isObject } from '../../json';
import type { TableSpec } from '../../stack/topology';

type Projection = TableSpec['globalSecondaryIndexes'][number]['projectionType'];

const objects = (value: Json | undefined): JsonObject[] =>
  Array.isArray(value) ? value.filter(isObject) : [];

const textOf = (value: Json | undefined): string => (typeof value === 'string' ? value : '');

function keysOf(schema: Json | undefined): { hashKey: string; rangeKey?: string } {
  const keys = objects(schema);
  const hashKey = textOf(keys.find((key) => key.KeyType === 'HASH')?.AttributeName);
  const rangeKey = textOf(keys.find((key) => key.KeyType === 'RANGE')?.AttributeName);
  return { hashKey, ...(rangeKey ? { rangeKey } : {}) };
}

function projectionOf(index: JsonObject): {
  projectionType: Projection;
  nonKeyAttributes?: string[];
} {
  const projection = isObject(index.Projection) ? index.Projection : {};
  const type = projection.ProjectionType;
  const nonKey = projection.NonKeyAttributes;
  return {
    projectionType: type === 'KEYS_ONLY' || type === 'INCLUDE' ? type : 'ALL',
    ...(Array.isArray(nonKey)
      ? { nonKeyAttributes: nonKey.filter((name): name is string => typeof name === 'string') }
      : {}),
  };
}

/** The spec of a described table, keeping what `previous` held beyond the description. */
export function tableSpecOf(description: JsonObject, previous?: TableSpec): TableSpec {
  const arn = textOf(description.TableArn);
  const billing = isObject(description.BillingModeSummary)
    ? description.BillingModeSummary.BillingMode
    : undefined;
  const { address: _address, ...settings } = previous ?? { address: arn };
  return {
    ...settings,
    address: previous?.address ?? arn,
    name: textOf(description.TableName),
    arn,
    ...keysOf(description.KeySchema),
    attributes: objects(description.AttributeDefinitions).map((attribute) => ({
      name: textOf(attribute.AttributeName),
      type: attribute.AttributeType === 'N' ? 'N' : attribute.AttributeType === 'B' ? 'B' : 'S',
    })),
    globalSecondaryIndexes: objects(description.GlobalSecondaryIndexes).map((index) => ({
      name: textOf(index.IndexName),
      ...keysOf(index.KeySchema),
      ...projectionOf(index),
    })),
    localSecondaryIndexes: objects(description.LocalSecondaryIndexes).map((index) => ({
      name: textOf(index.IndexName),
      rangeKey: keysOf(index.KeySchema).rangeKey ?? '',
      ...projectionOf(index),
    })),
    billingMode: billing === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
  };
}

/** A table description as DynamoDB answers it: dynalite's, with what the spec adds. */
export function completeDescription(description: JsonObject, spec?: TableSpec): JsonObject {
  return {
    ...description,
    DeletionProtectionEnabled: spec?.deletionProtection ?? false,
    ...(spec?.sseKmsKeyArn
      ? {
          SSEDescription: {
            Status: 'ENABLED',
            SSEType: 'KMS',
            KMSMasterKeyArn: spec.sseKmsKeyArn,
          },
        }
      : {}),
  };
}

/** What DescribeTimeToLive answers. */
export function timeToLiveDescription(spec: TableSpec | undefined): JsonObject {
  return spec?.ttlAttribute
    ? { TimeToLiveStatus: 'ENABLED', AttributeName: spec.ttlAttribute }
    : { TimeToLiveStatus: 'DISABLED' };
}

/** What DescribeContinuousBackups answers: backups are always on, PITR when enabled. */
export function continuousBackupsDescription(spec: TableSpec | undefined, now: number): JsonObject {
  const pitr = spec?.pointInTimeRecovery;
  const seconds = now / 1000;
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: pitr
      ? {
          PointInTimeRecoveryStatus: 'ENABLED',
          RecoveryPeriodInDays: pitr.recoveryPeriodInDays,
          EarliestRestorableDateTime: seconds,
          LatestRestorableDateTime: seconds,
        }
      : { PointInTimeRecoveryStatus: 'DISABLED' },
  };
}
