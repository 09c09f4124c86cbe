/**
 * DynamoDB's JSON operations as IAM sees them: most are `dynamodb:<Operation>` on the table (or
 * the index a Query/Scan reads); batches need their action on every table they touch;
 * transactions and PartiQL statements need the per-item actions instead.
 */
import type { ActionContext, RequiredAuthorization } from '../access-types';
import { isObject } from '../../json';
import { tableArn } from '../../model/arns';

type Input = Record<string, unknown>;
type Keys = Record<string, string | string[]>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const grant = (action: string, resource: string, conditionKeys: Keys): RequiredAuthorization => ({
  action: `dynamodb:${action}`,
  resource,
  conditionKeys,
});

/** TableName may be a table's ARN (DynamoDB accepts both since 2024). */
function tableArnOf(table: string, context: ActionContext): string {
  return table.startsWith('arn:') ? table : tableArn(context, table);
}

function tableOrIndexArn(input: Input, context: ActionContext): string | undefined {
  const table = text(input.TableName);
  if (!table) return undefined;
  const index = text(input.IndexName);
  return index ? `${tableArnOf(table, context)}/index/${index}` : tableArnOf(table, context);
}

// ----- dynamodb:Attributes -------------------------------------------------------------------------

function names(input: Input): Record<string, unknown> {
  return isObject(input.ExpressionAttributeNames) ? input.ExpressionAttributeNames : {};
}

function resolve(token: string, input: Input): string {
  if (!token.startsWith('#')) return token;
  const name = names(input)[token];
  return typeof name === 'string' ? name : token;
}

/** The top-level attributes of `a, b.c, #d[0]`: a, b and what #d stands for. */
function projectionAttributes(input: Input): string[] {
  const legacy = list(input.AttributesToGet).filter(
    (item): item is string => typeof item === 'string',
  );
  const expression = text(input.ProjectionExpression);
  if (!expression) return legacy;
  const roots = expression
    .split(',')
    .map((path) => /^\s*(#?[^\s.[]+)/.exec(path)?.[1])
    .filter((root): root is string => root !== undefined)
    .map((root) => resolve(root, input));
  return [...legacy, ...roots];
}

const UPDATE_CLAUSES = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);

/**
 * The top-level attributes an update expression names, read or written:
 * `SET #a = if_not_exists(#a, :zero) + :one, b.c = list_append(d, :l) REMOVE e[1]` → a, b, d, e.
 * Functions (a name followed by `(`), values (`:v`), nested path parts (after `.`) and the clause
 * keywords are not attributes.
 */
function updateExpressionAttributes(input: Input): string[] {
  const expression = text(input.UpdateExpression);
  if (!expression) return [];
  const tokens = expression.match(/#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|\S/g) ?? [];
  const out: string[] = [];
  tokens.forEach((token, index) => {
    if (!/^[#A-Za-z_]/.test(token)) return;
    if (tokens[index - 1] === '.' || tokens[index + 1] === '(') return;
    if (!token.startsWith('#') && UPDATE_CLAUSES.has(token.toUpperCase())) return;
    out.push(resolve(token, input));
  });
  return out;
}

/**
 * dynamodb:Attributes, the attribute names a request reads or writes. Filter and condition
 * expressions are not counted: AWS documents the key for projected, put and updated attributes.
 */
function attributesOf(action: string, input: Input): string[] {
  switch (action) {
    case 'GetItem':
    case 'BatchGetItem':
    case 'Query':
    case 'Scan':
      return projectionAttributes(input);
    case 'PutItem':
      return isObject(input.Item) ? Object.keys(input.Item) : [];
    case 'UpdateItem': {
      const key = isObject(input.Key) ? Object.keys(input.Key) : [];
      const legacy = isObject(input.AttributeUpdates) ? Object.keys(input.AttributeUpdates) : [];
      return [...key, ...legacy, ...updateExpressionAttributes(input)];
    }
    default:
      return [];
  }
}

/** The service condition keys an item request carries (`request` holds the request-wide ones). */
function conditionKeys(action: string, input: Input, request: Input = input): Keys {
  const keys: Keys = {};
  const attributes = [...new Set(attributesOf(action, input))];
  if (attributes.length > 0) keys['dynamodb:Attributes'] = attributes;
  const select = text(input.Select);
  if (select) keys['dynamodb:Select'] = select;
  const returnValues = text(input.ReturnValues);
  if (returnValues) keys['dynamodb:ReturnValues'] = returnValues;
  const capacity = text(request.ReturnConsumedCapacity);
  if (capacity) keys['dynamodb:ReturnConsumedCapacity'] = capacity;
  return keys;
}

// ----- batches, transactions, PartiQL -----------------------------------------------------------

function batch(action: string, input: Input, context: ActionContext): RequiredAuthorization[] {
  const items = isObject(input.RequestItems) ? input.RequestItems : {};
  return Object.entries(items).map(([table, perTable]) =>
    grant(
      action,
      tableArnOf(table, context),
      conditionKeys(action, isObject(perTable) ? perTable : {}, input),
    ),
  );
}

const TRANSACT_WRITES: [string, string][] = [
  ['Put', 'PutItem'],
  ['Update', 'UpdateItem'],
  ['Delete', 'DeleteItem'],
  ['ConditionCheck', 'ConditionCheckItem'],
];

/** Each item of a transaction needs its own action, marked as enclosed by the transaction. */
function transaction(
  operation: 'TransactGetItems' | 'TransactWriteItems',
  input: Input,
  context: ActionContext,
): RequiredAuthorization[] {
  const kinds: [string, string][] =
    operation === 'TransactGetItems' ? [['Get', 'GetItem']] : TRANSACT_WRITES;
  const out: RequiredAuthorization[] = [];
  for (const item of list(input.TransactItems)) {
    if (!isObject(item)) continue;
    for (const [field, action] of kinds) {
      const request = item[field];
      if (!isObject(request)) continue;
      const resource = tableOrIndexArn(request, context) ?? '*';
      out.push(
        grant(action, resource, {
          ...conditionKeys(action, request, input),
          'dynamodb:EnclosingOperation': operation,
        }),
      );
    }
  }
  return out;
}

const IDENTIFIER = String.raw`("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)`;
const STATEMENTS: [RegExp, string][] = [
  [
    new RegExp(
      String.raw`^\s*(?:EXISTS\s*\(\s*)?SELECT\b[\s\S]*?\bFROM\s+${IDENTIFIER}(?:\s*\.\s*${IDENTIFIER})?`,
      'i',
    ),
    'PartiQLSelect',
  ],
  [new RegExp(String.raw`^\s*INSERT\s+INTO\s+${IDENTIFIER}`, 'i'), 'PartiQLInsert'],
  [new RegExp(String.raw`^\s*UPDATE\s+${IDENTIFIER}`, 'i'), 'PartiQLUpdate'],
  [new RegExp(String.raw`^\s*DELETE\s+FROM\s+${IDENTIFIER}`, 'i'), 'PartiQLDelete'],
];

const unquote = (identifier: string): string =>
  identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier;

/** `SELECT … FROM "Table"."Index"` → dynamodb:PartiQLSelect on the index. */
function statement(value: unknown, context: ActionContext): RequiredAuthorization | undefined {
  const sql = text(value);
  if (!sql) return undefined;
  for (const [pattern, action] of STATEMENTS) {
    const match = pattern.exec(sql);
    if (!match?.[1]) continue;
    const table = tableArnOf(unquote(match[1]), context);
    return grant(action, match[2] ? `${table}/index/${unquote(match[2])}` : table, {});
  }
  return undefined;
}

function partiql(operation: string, input: Input, context: ActionContext): RequiredAuthorization[] {
  const statements =
    operation === 'ExecuteStatement'
      ? [input.Statement]
      : list(operation === 'ExecuteTransaction' ? input.TransactStatements : input.Statements).map(
          (entry) => (isObject(entry) ? entry.Statement : undefined),
        );
  const out = statements.map((sql) => statement(sql, context));
  // A statement this reading does not understand (DynamoDB will answer it) needs the operation.
  return out.every((entry) => entry !== undefined) ? out : [grant(operation, '*', {})];
}

// ----- the operations --------------------------------------------------------------------------

/** Operations on a table (or what a field names); another operation needs its action on `*`. */
const ON_RESOURCE = new Set([
  'CreateBackup',
  'CreateTable',
  'DeleteBackup',
  'DeleteItem',
  'DeleteResourcePolicy',
  'DeleteTable',
  'DescribeBackup',
  'DescribeContinuousBackups',
  'DescribeContributorInsights',
  'DescribeExport',
  'DescribeImport',
  'DescribeKinesisStreamingDestination',
  'DescribeStream',
  'DescribeTable',
  'DescribeTableReplicaAutoScaling',
  'DescribeTimeToLive',
  'DisableKinesisStreamingDestination',
  'EnableKinesisStreamingDestination',
  'ExportTableToPointInTime',
  'GetItem',
  'GetResourcePolicy',
  'GetShardIterator',
  'ImportTable',
  'ListTagsOfResource',
  'PutItem',
  'PutResourcePolicy',
  'Query',
  'RestoreTableFromBackup',
  'RestoreTableToPointInTime',
  'Scan',
  'TagResource',
  'UntagResource',
  'UpdateContinuousBackups',
  'UpdateContributorInsights',
  'UpdateItem',
  'UpdateKinesisStreamingDestination',
  'UpdateTable',
  'UpdateTableReplicaAutoScaling',
  'UpdateTimeToLive',
]);

const GLOBAL_TABLE_OPERATIONS = new Set([
  'CreateGlobalTable',
  'DescribeGlobalTable',
  'DescribeGlobalTableSettings',
  'UpdateGlobalTable',
  'UpdateGlobalTableSettings',
]);

/** The ARN an operation names, in the field it names it by. */
function resourceOf(operation: string, input: Input, context: ActionContext): string | undefined {
  if (GLOBAL_TABLE_OPERATIONS.has(operation)) {
    const name = text(input.GlobalTableName);
    // Global tables span regions: their ARN has none.
    return name ? `arn:aws:dynamodb::${context.accountId}:global-table/${name}` : undefined;
  }
  if (!ON_RESOURCE.has(operation)) return undefined;
  if (operation === 'RestoreTableToPointInTime') {
    const source = text(input.SourceTableArn) ?? text(input.SourceTableName);
    return source ? tableArnOf(source, context) : undefined;
  }
  if (operation === 'ImportTable' && isObject(input.TableCreationParameters)) {
    return tableOrIndexArn(input.TableCreationParameters, context);
  }
  for (const field of [
    'ResourceArn',
    'BackupArn',
    'StreamArn',
    'ExportArn',
    'ImportArn',
    'TableArn',
  ]) {
    const arn = text(input[field]);
    if (arn) return arn;
  }
  return tableOrIndexArn(input, context);
}

export function dynamodbAuthorizations(
  operation: string,
  input: Input | undefined,
  context: ActionContext,
): RequiredAuthorization[] {
  // An unreadable body: DynamoDB rejects it; it still needs the operation's permission.
  if (!input) return [grant(operation, '*', {})];
  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return batch(operation, input, context);
    case 'TransactGetItems':
    case 'TransactWriteItems':
      return transaction(operation, input, context);
    case 'ExecuteStatement':
    case 'BatchExecuteStatement':
    case 'ExecuteTransaction':
      return partiql(operation, input, context);
    default: {
      const resource = resourceOf(operation, input, context) ?? '*';
      return [grant(operation, resource, conditionKeys(operation, input))];
    }
  }
}
