/**
 * The attributes AWS computes when a resource is created (ARNs, URLs, generated names and ids),
 * shaped as the AWS provider exposes them but local: the local account and the stack's region,
 * URLs on the local endpoints, generated values kept by the NameStore so they survive restarts.
 * An attribute not computed here falls back, in the stack model, to the block's own argument.
 */
import { crc32 } from 'node:zlib';
import type { LocalEndpoints } from './topology';
import type { Json } from '../json';
import type { NameStore } from './name-store';
import { apiGatewayId, iamUniqueId, uniqueIdSuffix, uuid } from './generated-ids';
import { optionalBoolean, optionalString, requiredString } from './json-values';
import {
  policyDocumentJson,
  policyDocumentMinifiedJson,
  renderPolicyDocument,
} from './policy-document';

export interface AttributeContext {
  address: string;
  region: string;
  accountId: string;
  endpoints: LocalEndpoints;
  names: NameStore;
  /** This block's argument, resolved; undefined when absent. */
  argument(name: string): Json | undefined;
  /** This block's whole body, resolved (meta-arguments left out). */
  body(): { [key: string]: Json };
  /** Another attribute of this block. */
  attribute(name: string): Json;
}

/** Returns the attribute's value, or undefined to fall back to the block's argument. */
type AttributeComputer = (context: AttributeContext, attribute: string) => Json | undefined;

export function lambdaFunctionArn(nameOrArn: string, region: string, accountId: string): string {
  if (nameOrArn.startsWith('arn:')) {
    // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]: the function itself.
    return nameOrArn.split(':').slice(0, 7).join(':');
  }
  return `arn:aws:lambda:${region}:${accountId}:function:${nameOrArn}`;
}

function text(context: AttributeContext, name: string): string {
  return requiredString(context.argument(name), `${context.address}.${name}`);
}

/**
 * A name from `name`, else `name_prefix` plus Terraform's 26-character unique suffix, else
 * `terraform-` plus one, as the provider's create.Name does.
 */
function generatedName(
  context: AttributeContext,
  nameArgument: string,
  prefixArgument: string,
  suffix = '',
): string {
  const given = optionalString(
    context.argument(nameArgument),
    `${context.address}.${nameArgument}`,
  );
  if (given !== undefined && given !== '') return given;
  const prefix =
    optionalString(context.argument(prefixArgument), `${context.address}.${prefixArgument}`) ??
    'terraform-';
  return context.names.generated(
    `${context.address}.${nameArgument}:${prefix}`,
    () => prefix + uniqueIdSuffix() + suffix,
  );
}

function stored(context: AttributeContext, key: string, make: () => string): string {
  return context.names.generated(`${context.address}.${key}`, make);
}

function webHost(endpoints: LocalEndpoints): string {
  return new URL(endpoints.web).host;
}

const lambdaFunction: AttributeComputer = (context, attribute) => {
  const { region, accountId } = context;
  const name = (): string => text(context, 'function_name');
  const arn = (): string => lambdaFunctionArn(name(), region, accountId);
  const version = (): string =>
    optionalBoolean(context.argument('publish'), 'publish') ? '1' : '$LATEST';
  const invokeArn = (target: string): string =>
    `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${target}/invocations`;
  switch (attribute) {
    case 'id':
    case 'function_name':
      return name();
    case 'arn':
      return arn();
    case 'invoke_arn':
      return invokeArn(arn());
    case 'version':
      return version();
    case 'qualified_arn':
      return `${arn()}:${version()}`;
    case 'qualified_invoke_arn':
      return invokeArn(`${arn()}:${version()}`);
    default:
      return undefined;
  }
};

const s3Bucket: AttributeComputer = (context, attribute) => {
  const bucket = (): string => generatedName(context, 'bucket', 'bucket_prefix');
  switch (attribute) {
    case 'id':
    case 'bucket':
      return bucket();
    case 'arn':
      return `arn:aws:s3:::${bucket()}`;
    case 'bucket_domain_name':
      return `${bucket()}.s3.amazonaws.com`;
    case 'bucket_regional_domain_name':
      return `${bucket()}.s3.${context.region}.amazonaws.com`;
    case 'region':
      return context.region;
    default:
      return undefined;
  }
};

/** Bucket sub-resources (cors, policy, website…) are identified by their bucket. */
const s3BucketPart: AttributeComputer = (context, attribute) =>
  attribute === 'id' ? text(context, 'bucket') : undefined;

const s3Website: AttributeComputer = (context, attribute) => {
  switch (attribute) {
    // The website is served locally on endpoints.web, so `http://${website_endpoint}` (how a
    // stack spells the site's origin) is that URL.
    case 'website_endpoint':
    case 'website_domain':
      return webHost(context.endpoints);
    default:
      return s3BucketPart(context, attribute);
  }
};

const s3Object: AttributeComputer = (context, attribute) =>
  attribute === 'id' ? text(context, 'key') : undefined;

const sqsQueue: AttributeComputer = (context, attribute) => {
  const fifo = optionalBoolean(context.argument('fifo_queue'), 'fifo_queue') ?? false;
  const name = (): string => generatedName(context, 'name', 'name_prefix', fifo ? '.fifo' : '');
  const url = (): string => `${context.endpoints.aws}/${context.accountId}/${name()}`;
  switch (attribute) {
    case 'name':
      return name();
    case 'id':
    case 'url':
      return url();
    case 'arn':
      return `arn:aws:sqs:${context.region}:${context.accountId}:${name()}`;
    default:
      return undefined;
  }
};

const byQueueUrl: AttributeComputer = (context, attribute) =>
  attribute === 'id' ? text(context, 'queue_url') : undefined;

const snsTopic: AttributeComputer = (context, attribute) => {
  const fifo = optionalBoolean(context.argument('fifo_topic'), 'fifo_topic') ?? false;
  const name = (): string => generatedName(context, 'name', 'name_prefix', fifo ? '.fifo' : '');
  switch (attribute) {
    case 'name':
      return name();
    case 'id':
    case 'arn':
      return `arn:aws:sns:${context.region}:${context.accountId}:${name()}`;
    case 'owner':
      return context.accountId;
    default:
      return undefined;
  }
};

const snsSubscription: AttributeComputer = (context, attribute) => {
  switch (attribute) {
    case 'id':
    case 'arn':
      return `${text(context, 'topic_arn')}:${stored(context, 'uuid', uuid)}`;
    case 'owner_id':
      return context.accountId;
    default:
      return undefined;
  }
};

const snsTopicPolicy: AttributeComputer = (context, attribute) =>
  attribute === 'id' ? text(context, 'arn') : undefined;

const dynamodbTable: AttributeComputer = (context, attribute) => {
  const name = (): string => text(context, 'name');
  const arn = (): string =>
    `arn:aws:dynamodb:${context.region}:${context.accountId}:table/${name()}`;
  const streaming = (): boolean =>
    optionalBoolean(context.argument('stream_enabled'), 'stream_enabled') ?? false;
  // DynamoDB labels a stream with its creation time, e.g. 2026-11-26T15:09:40.123.
  const label = (): string =>
    streaming() ? stored(context, 'stream_label', () => new Date().toISOString().slice(0, 23)) : '';
  switch (attribute) {
    case 'id':
    case 'name':
      return name();
    case 'arn':
      return arn();
    case 'stream_label':
      return label();
    case 'stream_arn':
      return streaming() ? `${arn()}/stream/${label()}` : '';
    default:
      return undefined;
  }
};

const stateMachine: AttributeComputer = (context, attribute) => {
  const name = (): string => generatedName(context, 'name', 'name_prefix');
  switch (attribute) {
    case 'name':
      return name();
    case 'id':
    case 'arn':
      return `arn:aws:states:${context.region}:${context.accountId}:stateMachine:${name()}`;
    case 'status':
      return 'ACTIVE';
    default:
      return undefined;
  }
};

const restApi: AttributeComputer = (context, attribute) => {
  const id = (): string => stored(context, 'id', () => apiGatewayId());
  switch (attribute) {
    case 'id':
      return id();
    case 'root_resource_id':
      return stored(context, 'root_resource_id', () => apiGatewayId());
    case 'execution_arn':
      return `arn:aws:execute-api:${context.region}:${context.accountId}:${id()}`;
    case 'arn':
      return `arn:aws:apigateway:${context.region}::/restapis/${id()}`;
    default:
      return undefined;
  }
};

const apiStage: AttributeComputer = (context, attribute) => {
  const apiId = (): string => text(context, 'rest_api_id');
  const stage = (): string => text(context, 'stage_name');
  switch (attribute) {
    case 'id':
      return `ags-${apiId()}-${stage()}`;
    // The local API serves the stage at its root.
    case 'invoke_url':
      return context.endpoints.api;
    case 'execution_arn':
      return `arn:aws:execute-api:${context.region}:${context.accountId}:${apiId()}/${stage()}`;
    case 'arn':
      return `arn:aws:apigateway:${context.region}::/restapis/${apiId()}/stages/${stage()}`;
    default:
      return undefined;
  }
};

const apiDeployment: AttributeComputer = (context, attribute) => {
  switch (attribute) {
    case 'id':
      return stored(context, 'id', () => apiGatewayId(6));
    case 'invoke_url':
      return context.endpoints.api;
    case 'execution_arn': {
      const stage = optionalString(context.argument('stage_name'), 'stage_name') ?? '';
      const apiId = text(context, 'rest_api_id');
      return `arn:aws:execute-api:${context.region}:${context.accountId}:${apiId}/${stage}`;
    }
    default:
      return undefined;
  }
};

const httpApi: AttributeComputer = (context, attribute) => {
  const id = (): string => stored(context, 'id', () => apiGatewayId());
  switch (attribute) {
    case 'id':
      return id();
    // The local HTTP API serves its $default stage at the root of its own port.
    case 'api_endpoint':
      return context.endpoints.httpApi;
    case 'execution_arn':
      return `arn:aws:execute-api:${context.region}:${context.accountId}:${id()}`;
    case 'arn':
      return `arn:aws:apigateway:${context.region}::/apis/${id()}`;
    default:
      return undefined;
  }
};

const httpApiStage: AttributeComputer = (context, attribute) => {
  const apiId = (): string => text(context, 'api_id');
  const name = (): string => text(context, 'name');
  switch (attribute) {
    case 'id':
      return name();
    case 'invoke_url':
      return context.endpoints.httpApi;
    case 'execution_arn':
      return `arn:aws:execute-api:${context.region}:${context.accountId}:${apiId()}/${name()}`;
    case 'arn':
      return `arn:aws:apigateway:${context.region}::/apis/${apiId()}/stages/${name()}`;
    default:
      return undefined;
  }
};

/** Integrations and routes: API Gateway gives each a 7-character id. */
const httpApiPart: AttributeComputer = (context, attribute) =>
  attribute === 'id' ? stored(context, 'id', () => apiGatewayId(7)) : undefined;

function iamPath(context: AttributeContext): string {
  return optionalString(context.argument('path'), 'path') ?? '/';
}

const iamRole: AttributeComputer = (context, attribute) => {
  const name = (): string => generatedName(context, 'name', 'name_prefix');
  switch (attribute) {
    case 'id':
    case 'name':
      return name();
    case 'arn':
      return `arn:aws:iam::${context.accountId}:role${iamPath(context)}${name()}`;
    case 'unique_id':
      return stored(context, 'unique_id', () => iamUniqueId('AROA'));
    default:
      return undefined;
  }
};

const iamPolicy: AttributeComputer = (context, attribute) => {
  const name = (): string => generatedName(context, 'name', 'name_prefix');
  const arn = (): string => `arn:aws:iam::${context.accountId}:policy${iamPath(context)}${name()}`;
  switch (attribute) {
    case 'name':
      return name();
    case 'id':
    case 'arn':
      return arn();
    case 'policy_id':
      return stored(context, 'policy_id', () => iamUniqueId('ANPA'));
    default:
      return undefined;
  }
};

const iamRolePolicy: AttributeComputer = (context, attribute) => {
  const name = (): string => generatedName(context, 'name', 'name_prefix');
  switch (attribute) {
    case 'name':
      return name();
    case 'id':
      return `${text(context, 'role')}:${name()}`;
    default:
      return undefined;
  }
};

const logGroup: AttributeComputer = (context, attribute) => {
  const name = (): string => generatedName(context, 'name', 'name_prefix');
  switch (attribute) {
    case 'id':
    case 'name':
      return name();
    case 'arn':
      return `arn:aws:logs:${context.region}:${context.accountId}:log-group:${name()}`;
    default:
      return undefined;
  }
};

const eventSourceMapping: AttributeComputer = (context, attribute) => {
  switch (attribute) {
    case 'id':
    case 'uuid':
      return stored(context, 'uuid', uuid);
    case 'function_arn':
      return lambdaFunctionArn(text(context, 'function_name'), context.region, context.accountId);
    case 'state':
      return optionalBoolean(context.argument('enabled'), 'enabled') === false
        ? 'Disabled'
        : 'Enabled';
    default:
      return undefined;
  }
};

const lambdaPermission: AttributeComputer = (context, attribute) => {
  switch (attribute) {
    case 'id':
    case 'statement_id':
      return generatedName(context, 'statement_id', 'statement_id_prefix');
    default:
      return undefined;
  }
};

const eventInvokeConfig: AttributeComputer = (context, attribute) => {
  if (attribute !== 'id') return undefined;
  const qualifier = optionalString(context.argument('qualifier'), 'qualifier');
  const name = text(context, 'function_name');
  return qualifier ? `${name}:${qualifier}` : name;
};

/** The provider's create.StringHashcode: CRC-32 of the string. */
function stringHashcode(value: string): string {
  return String(crc32(value));
}

const policyDocument: AttributeComputer = (context, attribute) => {
  const document = () => renderPolicyDocument(context.body());
  switch (attribute) {
    case 'json':
      return policyDocumentJson(document());
    case 'minified_json':
      return policyDocumentMinifiedJson(document());
    case 'id':
      return stringHashcode(policyDocumentJson(document()));
    default:
      return undefined;
  }
};

const callerIdentity: AttributeComputer = (context, attribute) => {
  switch (attribute) {
    case 'id':
    case 'account_id':
      return context.accountId;
    case 'arn':
      return `arn:aws:iam::${context.accountId}:root`;
    case 'user_id':
      return context.accountId;
    default:
      return undefined;
  }
};

const region: AttributeComputer = (context, attribute) => {
  // The data source may ask for a named region; by default it is the provider's.
  const named = (): string =>
    optionalString(context.argument('region') ?? context.argument('name'), 'region') ??
    context.region;
  switch (attribute) {
    case 'id':
    case 'name':
    case 'region':
      return named();
    case 'endpoint':
      return `ec2.${named()}.amazonaws.com`;
    default:
      return undefined;
  }
};

const partition: AttributeComputer = (_context, attribute) => {
  switch (attribute) {
    case 'id':
    case 'partition':
      return 'aws';
    case 'dns_suffix':
      return 'amazonaws.com';
    case 'reverse_dns_prefix':
      return 'com.amazonaws';
    default:
      return undefined;
  }
};

const RESOURCE_ATTRIBUTES: Record<string, AttributeComputer> = {
  aws_lambda_function: lambdaFunction,
  aws_lambda_permission: lambdaPermission,
  aws_lambda_event_source_mapping: eventSourceMapping,
  aws_lambda_function_event_invoke_config: eventInvokeConfig,
  aws_s3_bucket: s3Bucket,
  aws_s3_bucket_website_configuration: s3Website,
  aws_s3_bucket_cors_configuration: s3BucketPart,
  aws_s3_bucket_notification: s3BucketPart,
  aws_s3_bucket_policy: s3BucketPart,
  aws_s3_bucket_public_access_block: s3BucketPart,
  aws_s3_bucket_ownership_controls: s3BucketPart,
  aws_s3_bucket_server_side_encryption_configuration: s3BucketPart,
  aws_s3_bucket_lifecycle_configuration: s3BucketPart,
  aws_s3_bucket_versioning: s3BucketPart,
  aws_s3_object: s3Object,
  aws_s3_bucket_object: s3Object,
  aws_sqs_queue: sqsQueue,
  aws_sqs_queue_policy: byQueueUrl,
  aws_sqs_queue_redrive_policy: byQueueUrl,
  aws_sqs_queue_redrive_allow_policy: byQueueUrl,
  aws_sns_topic: snsTopic,
  aws_sns_topic_policy: snsTopicPolicy,
  aws_sns_topic_subscription: snsSubscription,
  aws_dynamodb_table: dynamodbTable,
  aws_sfn_state_machine: stateMachine,
  aws_api_gateway_rest_api: restApi,
  aws_api_gateway_stage: apiStage,
  aws_api_gateway_deployment: apiDeployment,
  aws_apigatewayv2_api: httpApi,
  aws_apigatewayv2_stage: httpApiStage,
  aws_apigatewayv2_integration: httpApiPart,
  aws_apigatewayv2_route: httpApiPart,
  aws_iam_role: iamRole,
  aws_iam_policy: iamPolicy,
  aws_iam_role_policy: iamRolePolicy,
  aws_cloudwatch_log_group: logGroup,
};

const DATA_ATTRIBUTES: Record<string, AttributeComputer> = {
  aws_iam_policy_document: policyDocument,
  aws_caller_identity: callerIdentity,
  aws_region: region,
  aws_partition: partition,
};

/** Data sources whose every attribute is computed here (they read nothing from AWS). */
export const COMPUTED_DATA_TYPES: ReadonlySet<string> = new Set(Object.keys(DATA_ATTRIBUTES));

export function computeAttribute(
  mode: 'resource' | 'data',
  type: string,
  context: AttributeContext,
  attribute: string,
): Json | undefined {
  const computer = (mode === 'data' ? DATA_ATTRIBUTES : RESOURCE_ATTRIBUTES)[type];
  return computer?.(context, attribute);
}
