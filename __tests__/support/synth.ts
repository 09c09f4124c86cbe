/**
 * Typed access to synthesized Terraform JSON (`Testing.synth`, or a `cdk.tf.json`): resources by
 * type, references between them, and the IAM statements a role ends up with. The only casts of
 * parsed JSON live here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

/** A block of a resource as Terraform JSON spells it: snake_case keys, `${…}` references. */
export type Block = Record<string, unknown>;

export interface PolicyStatementBlock {
  sid?: string;
  effect?: 'Allow' | 'Deny';
  actions: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
}

export interface LambdaFunctionBlock {
  function_name: string;
  description: string;
  role: string;
  runtime: string;
  architectures: string[];
  handler: string;
  filename: string;
  source_code_hash: string;
  memory_size: number;
  timeout: number;
  reserved_concurrent_executions?: number;
  environment: { variables: Record<string, string> };
  logging_config: { log_format: string; log_group: string };
  depends_on?: string[];
}

/** What this project's tests read of each resource type; anything else is a plain Block. */
export interface Blocks {
  aws_lambda_function: LambdaFunctionBlock;
  aws_iam_policy_document: { statement: PolicyStatementBlock[] };
  aws_iam_role: { name: string; description?: string; assume_role_policy: string };
  aws_iam_role_policy: { name: string; role: string; policy: string };
  aws_cloudwatch_log_group: { name: string; retention_in_days: number };
  aws_dynamodb_table: {
    name: string;
    billing_mode: string;
    hash_key: string;
    attribute: { name: string; type: string }[];
    global_secondary_index: {
      name: string;
      hash_key: string;
      range_key: string;
      projection_type: string;
    }[];
    server_side_encryption: { enabled: boolean };
    point_in_time_recovery: { enabled: boolean };
    deletion_protection_enabled: boolean;
    ttl?: { attribute_name: string; enabled: boolean };
  };
  aws_s3_bucket: { bucket_prefix: string; force_destroy: boolean };
  aws_s3_object: {
    bucket: string;
    key: string;
    source?: string;
    content?: string;
    content_type: string;
    etag?: string;
    cache_control: string;
    depends_on?: string[];
  };
  aws_sqs_queue: {
    name: string;
    sqs_managed_sse_enabled: boolean;
    message_retention_seconds: number;
    visibility_timeout_seconds?: number;
    redrive_policy?: string;
  };
  aws_sns_topic_subscription: {
    topic_arn: string;
    protocol: string;
    endpoint: string;
    raw_message_delivery: boolean;
    filter_policy?: string;
    filter_policy_scope?: string;
    depends_on?: string[];
  };
  aws_lambda_permission: {
    statement_id: string;
    action: string;
    function_name: string;
    principal: string;
    source_arn: string;
    source_account?: string;
  };
  aws_api_gateway_rest_api: { name: string; body: string };
  aws_sfn_state_machine: {
    name: string;
    definition: string;
    role_arn: string;
    type: string;
    logging_configuration: {
      log_destination: string;
      level: string;
      include_execution_data: boolean;
    };
    depends_on?: string[];
  };
  aws_api_gateway_stage: {
    stage_name: string;
    deployment_id: string;
    rest_api_id: string;
    access_log_settings: { destination_arn: string; format: string };
    depends_on?: string[];
  };
  aws_api_gateway_method_settings: {
    method_path: string;
    stage_name: string;
    settings: {
      throttling_burst_limit: number;
      throttling_rate_limit: number;
      metrics_enabled: boolean;
      logging_level: string;
      data_trace_enabled: boolean;
    };
  };
  aws_lambda_event_source_mapping: {
    event_source_arn: string;
    function_name: string;
    batch_size: number;
    function_response_types: string[];
    scaling_config: { maximum_concurrency: number };
  };
}

export type BlockOf<T extends string> = T extends keyof Blocks ? Blocks[T] : Block;

export interface SynthesizedStack {
  resource?: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  output?: Record<string, { value: string }>;
  provider?: Record<string, Block[]>;
  terraform?: { backend?: Record<string, Block>; required_providers?: Record<string, Block> };
}

/** One resource (or data source) of the stack, with its Terraform address. */
export interface Element<T> {
  type: string;
  /** The logical name, e.g. `items-table_1F7CDFD5`. */
  name: string;
  /** `aws_dynamodb_table.items-table_1F7CDFD5`, or `data.aws_iam_policy_document.…`. */
  address: string;
  block: T;
}

export type Synthesized = string | SynthesizedStack;

export function parseSynth(synthesized: Synthesized): SynthesizedStack {
  return typeof synthesized === 'string'
    ? (JSON.parse(synthesized) as SynthesizedStack)
    : synthesized;
}

function elementsOf<T extends string>(
  section: Record<string, Record<string, Block>> | undefined,
  type: T,
  prefix: string,
): Element<BlockOf<T>>[] {
  return Object.entries(section?.[type] ?? {}).map(([name, block]) => ({
    type,
    name,
    address: `${prefix}${type}.${name}`,
    block: block as BlockOf<T>,
  }));
}

/** Every resource of a type: `resourcesOf(json, 'aws_lambda_function')`. */
export function resourcesOf<T extends string>(
  synthesized: Synthesized,
  type: T,
): Element<BlockOf<T>>[] {
  return elementsOf(parseSynth(synthesized).resource, type, '');
}

export function dataSourcesOf<T extends string>(
  synthesized: Synthesized,
  type: T,
): Element<BlockOf<T>>[] {
  return elementsOf(parseSynth(synthesized).data, type, 'data.');
}

/** The one resource of a type that satisfies `matches`; fails loudly on none or several. */
export function theResource<T extends string>(
  synthesized: Synthesized,
  type: T,
  matches: (block: BlockOf<T>) => boolean = () => true,
): Element<BlockOf<T>> {
  const found = resourcesOf(synthesized, type).filter((element) => matches(element.block));
  if (found.length !== 1) {
    throw new Error(`Expected exactly one matching ${type}, found ${found.length}`);
  }
  return found[0] as Element<BlockOf<T>>;
}

/** `${aws_sqs_queue.x.arn}`: how a synthesized block refers to an attribute of an element. */
export function ref(element: { address: string }, attribute: string): string {
  return `\${${element.address}.${attribute}}`;
}

/** The address a whole-value reference points to: `${aws_iam_role.x.arn}` → `aws_iam_role.x`. */
export function addressOf(reference: string): string {
  const match = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(reference);
  if (!match?.[1]) throw new Error(`Not a reference to one attribute: ${reference}`);
  return match[1];
}

/** The statements of a policy document referenced as `${data.aws_iam_policy_document.x.json}`. */
export function statementsOfDocument(
  synthesized: Synthesized,
  reference: string,
): PolicyStatementBlock[] {
  const address = addressOf(reference);
  const document = dataSourcesOf(synthesized, 'aws_iam_policy_document').find(
    (element) => element.address === address,
  );
  if (!document) throw new Error(`No policy document ${address}`);
  return document.block.statement;
}

/** The inline policies attached to a role (by `aws_iam_role_policy`), as one list of statements. */
export function policyStatementsOf(
  synthesized: Synthesized,
  roleAddress: string,
): PolicyStatementBlock[] {
  return resourcesOf(synthesized, 'aws_iam_role_policy')
    .filter((policy) => addressOf(policy.block.role) === roleAddress)
    .flatMap((policy) => statementsOfDocument(synthesized, policy.block.policy));
}

/** The trust policy of a role. */
export function trustStatementsOf(
  synthesized: Synthesized,
  roleAddress: string,
): PolicyStatementBlock[] {
  const role = resourcesOf(synthesized, 'aws_iam_role').find(
    (element) => element.address === roleAddress,
  );
  if (!role) throw new Error(`No role ${roleAddress}`);
  return statementsOfDocument(synthesized, role.block.assume_role_policy);
}

/** A Lambda function by its physical name. */
export function functionNamed(
  synthesized: Synthesized,
  functionName: string,
): Element<LambdaFunctionBlock> {
  return theResource(
    synthesized,
    'aws_lambda_function',
    (block) => block.function_name === functionName,
  );
}

/** What a function's role may do: the inline statements of the role the function runs as. */
export function functionStatements(
  synthesized: Synthesized,
  functionName: string,
): PolicyStatementBlock[] {
  return policyStatementsOf(
    synthesized,
    addressOf(functionNamed(synthesized, functionName).block.role),
  );
}

/**
 * Allowed actions and the resources each may touch, merged over statements: the shape to compare
 * with an expected grant table (`{ 'sns:Publish': [topicArn] }`). Resources come out sorted.
 */
export function grantsOf(statements: PolicyStatementBlock[]): Record<string, string[]> {
  const grants: Record<string, Set<string>> = {};
  for (const statement of statements.filter((s) => (s.effect ?? 'Allow') === 'Allow')) {
    for (const action of statement.actions) {
      grants[action] ??= new Set();
      for (const resource of statement.resources ?? []) grants[action].add(resource);
    }
  }
  return Object.fromEntries(
    Object.entries(grants).map(([action, resources]) => [action, [...resources].sort()]),
  );
}

/** Builds an expected grant table: the same actions on the same resources. */
export function grant(actions: string[], resources: string[]): Record<string, string[]> {
  return Object.fromEntries(actions.map((action) => [action, [...resources].sort()]));
}

/** Every statement of every policy document in the stack, with the document's address. */
export function allStatements(
  synthesized: Synthesized,
): { document: string; statement: PolicyStatementBlock }[] {
  return dataSourcesOf(synthesized, 'aws_iam_policy_document').flatMap((document) =>
    document.block.statement.map((statement) => ({ document: document.address, statement })),
  );
}

/** An action that grants a whole service (`sqs:*`) or everything (`*`). */
export function isWildcardAction(action: string): boolean {
  return action === '*' || action.endsWith(':*');
}

/**
 * `Testing.synthScope` with a temporary output directory of our own, removed afterwards (nothing
 * is written there by `Testing.synth`, but the directory itself would stay behind).
 */
export function synthScope(build: (scope: Construct) => void): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'stack-spec-'));
  try {
    const stack = new TerraformStack(Testing.app({ outdir }), 'stack');
    build(stack);
    return Testing.synth(stack);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The parts of an OpenAPI document with API Gateway extensions that the specs read. */
export interface ApiGatewayIntegration {
  type: string;
  httpMethod?: string;
  uri?: string;
  credentials?: string;
  requestParameters?: Record<string, string>;
  passthroughBehavior?: string;
  requestTemplates?: Record<string, string>;
  responses?: Record<
    string,
    {
      statusCode: string;
      responseParameters?: Record<string, string>;
      responseTemplates?: Record<string, string>;
    }
  >;
}
export interface ApiGatewayOperation {
  operationId?: string;
  requestBody?: unknown;
  responses?: Record<string, { headers?: Record<string, unknown> }>;
  'x-amazon-apigateway-integration': ApiGatewayIntegration;
  'x-amazon-apigateway-request-validator'?: string;
}
export interface ApiGatewayDocument {
  paths: Record<string, Record<string, ApiGatewayOperation>>;
  'x-amazon-apigateway-request-validators': Record<
    string,
    { validateRequestBody: boolean; validateRequestParameters: boolean }
  >;
  'x-amazon-apigateway-gateway-responses': Record<
    string,
    { responseParameters: Record<string, string>; responseTemplates: Record<string, string> }
  >;
}

/** The parsed body of the one REST API of the stack, references left as `${…}` strings. */
export function restApiBodyOf(synthesized: Synthesized): ApiGatewayDocument {
  return JSON.parse(
    theResource(synthesized, 'aws_api_gateway_rest_api').block.body,
  ) as ApiGatewayDocument;
}

/** The parts of an Amazon States Language definition that the specs read. */
export interface AslDefinition {
  StartAt: string;
  States: Record<
    string,
    { Type: string; Resource?: string; Parameters?: { TableName?: string; TopicArn?: string } }
  >;
}

export function parseAsl(definition: string): AslDefinition {
  return JSON.parse(definition) as AslDefinition;
}
