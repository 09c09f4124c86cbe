/**
 * DynamoDB's control plane around dynalite: what Terraform's aws_dynamodb_table and the AWS CLI
 * call that dynalite does not emulate. CreateTable, UpdateTable and DeleteTable go on to dynalite
 * with deletion protection, KMS encryption and tags kept in the table's spec (the model of
 * resources); DescribeTable answers are completed from it; TTL, point-in-time recovery and tags
 * are answered from it alone. Every other operation never comes here.
 */
import { validationMessage } from '../aws-error';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { JsonObject } from '../../json';
import { isObject } from '../../json';
import type { TableSpec } from '../../stack/topology';
import type { AwsRequest, AwsResponse } from '../edge/types';
import {
  DynamoError,
  errorAnswer,
  jsonAnswer,
  resourceNotFound,
  resultAnswer,
  validation,
} from './dynamodb-answers';
import { DynaliteCalls } from './dynalite-calls';
import type { DynaliteAnswer } from './dynalite-calls';
import {
  completeDescription,
  continuousBackupsDescription,
  tableSpecOf,
  timeToLiveDescription,
} from './table-settings';
import { readTags, tagList } from './table-tags';
import type { TableRegistry } from './types';
import { tableArn } from '../../model/arns';

const OPERATIONS = [
  'CreateTable',
  'DescribeTable',
  'UpdateTable',
  'DeleteTable',
  'UpdateTimeToLive',
  'DescribeTimeToLive',
  'UpdateContinuousBackups',
  'DescribeContinuousBackups',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
] as const;
type Operation = (typeof OPERATIONS)[number];

const TABLE_ARN = /^arn:aws[\w-]*:dynamodb:[^:]+:\d{12}:table\/([A-Za-z0-9_.-]{3,255})$/;
/** PITR keeps up to 35 days unless told fewer. */
const MAX_RECOVERY_DAYS = 35;

/** The operation an `X-Amz-Target: DynamoDB_20120810.<Operation>` names, if this one answers it. */
export function controlOperationOf(target: string | string[] | undefined): Operation | undefined {
  const operation = typeof target === 'string' ? target.split('.')[1] : undefined;
  return OPERATIONS.find((candidate) => candidate === operation);
}

const passOn = (answer: DynaliteAnswer): AwsResponse => jsonAnswer(answer.status, answer.body);

export class TableControl {
  private readonly dynalite: DynaliteCalls;

  constructor(
    dynalite: Server,
    private readonly resources: TableRegistry,
    private readonly where: { region: string; accountId: string },
  ) {
    this.dynalite = new DynaliteCalls(dynalite);
  }

  async answer(operation: Operation, request: AwsRequest): Promise<AwsResponse> {
    let input: unknown;
    try {
      input = JSON.parse(request.body.toString('utf8'));
    } catch {
      input = undefined;
    }
    // What is not a JSON object is dynalite's to refuse, in its words.
    if (!isObject(input))
      return passOn(await this.dynalite.call(operation, request.body, request.headers));
    try {
      return await this.operate(operation, input, request.headers);
    } catch (error) {
      if (error instanceof DynamoError) return errorAnswer(error);
      throw error;
    }
  }

  private operate(
    operation: Operation,
    input: JsonObject,
    headers: IncomingHttpHeaders,
  ): Promise<AwsResponse> {
    const context = { input, headers };
    switch (operation) {
      case 'CreateTable':
        return this.createTable(context);
      case 'DescribeTable':
        return this.describeTable(context);
      case 'UpdateTable':
        return this.updateTable(context);
      case 'DeleteTable':
        return this.deleteTable(context);
      case 'UpdateTimeToLive':
        return this.updateTimeToLive(context);
      case 'DescribeTimeToLive':
        return this.withTable(context, (spec) => ({
          TimeToLiveDescription: timeToLiveDescription(spec),
        }));
      case 'UpdateContinuousBackups':
        return this.updateContinuousBackups(context);
      case 'DescribeContinuousBackups':
        return this.withTable(
          context,
          (spec) => ({
            ContinuousBackupsDescription: continuousBackupsDescription(spec, Date.now()),
          }),
          true,
        );
      default:
        return this.tagOperation(operation, context);
    }
  }

  // ----- tables ----------------------------------------------------------------------------------

  private async createTable({ input, headers }: Call): Promise<AwsResponse> {
    const protection = optionalBoolean(input, 'DeletionProtectionEnabled');
    const sseKmsKeyArn = this.kmsKeyOf(input.SSESpecification);
    const tags = readTags(input.Tags, false);
    const created = await this.dynalite.call('CreateTable', input, headers);
    const name = tableNameOf(input);
    // dynalite refuses an existing table with an empty message; DynamoDB names the table.
    const refusal = created.json.__type;
    if (typeof refusal === 'string' && refusal.endsWith('#ResourceInUseException')) {
      throw new DynamoError('ResourceInUseException', `Table already exists: ${name}`);
    }
    if (created.status !== 200 || !isObject(created.json.TableDescription)) {
      return passOn(created);
    }
    await this.dynalite.untilActive(name, headers);
    const spec: TableSpec = {
      ...tableSpecOf(created.json.TableDescription),
      arn: this.arnOf(name),
      address: this.arnOf(name),
      ...(protection ? { deletionProtection: true } : {}),
      ...(sseKmsKeyArn ? { sseKmsKeyArn } : {}),
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
    };
    this.resources.put('tables', spec);
    return resultAnswer({
      TableDescription: completeDescription(created.json.TableDescription, spec),
    });
  }

  private async describeTable({ input, headers }: Call): Promise<AwsResponse> {
    const described = await this.dynalite.call('DescribeTable', input, headers);
    if (described.status !== 200 || !isObject(described.json.Table)) return passOn(described);
    const spec = this.resources.get('tables', this.arnOf(tableNameOf(input)));
    return resultAnswer({ Table: completeDescription(described.json.Table, spec) });
  }

  private async updateTable({ input, headers }: Call): Promise<AwsResponse> {
    const protection = optionalBoolean(input, 'DeletionProtectionEnabled');
    const { DeletionProtectionEnabled: _protection, ...rest } = input;
    const name = tableNameOf(input);
    // An update of deletion protection alone is not dynalite's: it would refuse it as empty.
    const onlyProtection = Object.keys(rest).every((key) => key === 'TableName');
    const answer = onlyProtection
      ? await this.dynalite.call('DescribeTable', { TableName: name }, headers)
      : await this.dynalite.call('UpdateTable', { ...rest, TableName: name }, headers);
    const description = answer.json.TableDescription ?? answer.json.Table;
    if (answer.status !== 200 || !isObject(description)) return passOn(answer);
    const previous = this.resources.get('tables', this.arnOf(name));
    const spec = { ...tableSpecOf(description, previous), arn: this.arnOf(name) };
    if (protection !== undefined) spec.deletionProtection = protection;
    this.resources.put('tables', spec);
    return resultAnswer({ TableDescription: completeDescription(description, spec) });
  }

  private async deleteTable({ input, headers }: Call): Promise<AwsResponse> {
    const arn = this.arnOf(tableNameOf(input));
    const spec = this.resources.get('tables', arn);
    if (spec?.deletionProtection) {
      throw validation(
        'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
      );
    }
    const deleted = await this.dynalite.call(
      'DeleteTable',
      { ...input, TableName: spec?.name ?? tableNameOf(input) },
      headers,
    );
    if (deleted.status !== 200 || !isObject(deleted.json.TableDescription)) {
      return passOn(deleted);
    }
    this.resources.remove('tables', arn);
    return resultAnswer({
      TableDescription: completeDescription(deleted.json.TableDescription, spec),
    });
  }

  // ----- settings answered from the spec ---------------------------------------------------------

  private async updateTimeToLive(call: Call): Promise<AwsResponse> {
    const specification = call.input.TimeToLiveSpecification;
    if (!isObject(specification)) {
      throw validation(
        validationMessage('timeToLiveSpecification', null, 'Member must not be null'),
      );
    }
    const enabled = specification.Enabled;
    const attribute = specification.AttributeName;
    if (typeof enabled !== 'boolean' || typeof attribute !== 'string' || attribute === '') {
      throw validation(
        'One or more parameter values were invalid: TimeToLiveSpecification needs Enabled and a non-empty AttributeName',
      );
    }
    const spec = await this.specOf(call);
    const current = spec.ttlAttribute;
    if (enabled && current !== undefined) throw validation('TimeToLive is already enabled');
    if (!enabled && current === undefined) throw validation('TimeToLive is already disabled');
    if (!enabled && current !== attribute) {
      throw validation(
        `TimeToLive is active on a different AttributeName: current AttributeName is ${current}`,
      );
    }
    const { ttlAttribute: _ttl, ...rest } = spec;
    this.resources.put('tables', enabled ? { ...rest, ttlAttribute: attribute } : rest);
    return resultAnswer({
      TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute },
    });
  }

  private async updateContinuousBackups(call: Call): Promise<AwsResponse> {
    const specification = call.input.PointInTimeRecoverySpecification;
    const enabled = isObject(specification) ? specification.PointInTimeRecoveryEnabled : undefined;
    if (!isObject(specification) || typeof enabled !== 'boolean') {
      throw validation(
        validationMessage(
          'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled',
          null,
          'Member must not be null',
        ),
      );
    }
    const days = specification.RecoveryPeriodInDays;
    if (days !== undefined && !enabled) {
      throw validation(
        'Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.',
      );
    }
    if (
      days !== undefined &&
      (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_RECOVERY_DAYS)
    ) {
      throw validation(
        validationMessage(
          'pointInTimeRecoverySpecification.recoveryPeriodInDays',
          JSON.stringify(days),
          `Member must have value between 1 and ${MAX_RECOVERY_DAYS}`,
        ),
      );
    }
    const spec = await this.specOf(call, true);
    const { pointInTimeRecovery: _pitr, ...rest } = spec;
    const next: TableSpec = enabled
      ? {
          ...rest,
          pointInTimeRecovery: {
            recoveryPeriodInDays: typeof days === 'number' ? days : MAX_RECOVERY_DAYS,
          },
        }
      : rest;
    this.resources.put('tables', next);
    return resultAnswer({
      ContinuousBackupsDescription: continuousBackupsDescription(next, Date.now()),
    });
  }

  private async tagOperation(operation: Operation, call: Call): Promise<AwsResponse> {
    const arn = call.input.ResourceArn;
    const name = typeof arn === 'string' ? TABLE_ARN.exec(arn)?.[1] : undefined;
    if (typeof arn !== 'string' || name === undefined) {
      throw validation(
        `Invalid TableArn: Invalid ResourceArn provided as input ${typeof arn === 'string' ? arn : ''}`,
      );
    }
    const described = await this.dynalite.describe(name, call.headers);
    if (!described)
      throw resourceNotFound(`Requested resource not found: ResourcArn: ${arn} not found`);
    const spec = this.resources.get('tables', this.arnOf(name)) ?? this.adopt(described);
    const current = spec.tags ?? {};
    if (operation === 'ListTagsOfResource') return resultAnswer({ Tags: tagList(current) });
    const tags =
      operation === 'TagResource'
        ? { ...current, ...readTags(call.input.Tags, true) }
        : Object.fromEntries(
            Object.entries(current).filter(([key]) => !keysToRemove(call.input).includes(key)),
          );
    if (Object.keys(tags).length > 50) {
      throw validation('One or more parameter values were invalid: Too many tags');
    }
    const { tags: _tags, ...rest } = spec;
    this.resources.put('tables', Object.keys(tags).length > 0 ? { ...rest, tags } : rest);
    return resultAnswer({});
  }

  private async withTable(
    call: Call,
    answer: (spec: TableSpec) => object,
    backups = false,
  ): Promise<AwsResponse> {
    return resultAnswer(answer(await this.specOf(call, backups)));
  }

  // ----- helpers ---------------------------------------------------------------------------------

  /** The spec of the table a call names (one made from its description if the model has none). */
  private async specOf({ input, headers }: Call, backups = false): Promise<TableSpec> {
    const name = tableNameOf(input);
    const described = await this.dynalite.describe(name, headers);
    if (!described) {
      throw backups
        ? new DynamoError('TableNotFoundException', `Table not found: ${name}`)
        : resourceNotFound(`Requested resource not found: Table: ${name} not found`);
    }
    return this.resources.get('tables', this.arnOf(name)) ?? this.adopt(described);
  }

  /** A table dynalite has and the model does not (created before the model kept tables). */
  private adopt(description: JsonObject): TableSpec {
    const name = typeof description.TableName === 'string' ? description.TableName : '';
    return { ...tableSpecOf(description), arn: this.arnOf(name), address: this.arnOf(name) };
  }

  private kmsKeyOf(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (!isObject(value)) throw validation('SSESpecification must be an object');
    const enabled = value.Enabled;
    if (enabled !== undefined && typeof enabled !== 'boolean') {
      throw validation('SSESpecification.Enabled must be a boolean');
    }
    if (!enabled) return undefined;
    if (value.SSEType !== undefined && value.SSEType !== 'KMS') {
      throw validation(
        validationMessage(
          'sSESpecification.sSEType',
          JSON.stringify(value.SSEType),
          'Member must satisfy enum value set: [KMS]',
        ),
      );
    }
    const key = value.KMSMasterKeyId;
    if (typeof key === 'string' && key.startsWith('arn:')) return key;
    // The AWS managed key of DynamoDB (alias/aws/dynamodb) when none is named.
    const id = typeof key === 'string' && key !== '' ? key.replace(/^alias\//, '') : 'aws-dynamodb';
    return `arn:aws:kms:${this.where.region}:${this.where.accountId}:key/${id}`;
  }

  private arnOf(name: string): string {
    return tableArn(this.where, name);
  }
}

interface Call {
  input: JsonObject;
  headers: IncomingHttpHeaders;
}

/** TableName, which DynamoDB also takes as the table's ARN. */
function tableNameOf(input: JsonObject): string {
  const name = input.TableName;
  if (typeof name !== 'string') return '';
  return TABLE_ARN.exec(name)?.[1] ?? name;
}

function optionalBoolean(input: JsonObject, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw new DynamoError('SerializationException', `${name} must be a boolean`);
  }
  return value;
}

function keysToRemove(input: JsonObject): string[] {
  const keys = input.TagKeys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => typeof key === 'string')) {
    throw validation(validationMessage('tagKeys', null, 'Member must not be null'));
  }
  return keys.filter((key): key is string => typeof key === 'string');
}
