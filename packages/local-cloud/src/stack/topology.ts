/**
 * What the local cloud needs to know about a synthesized stack, shaped the way AWS would shape it
 * locally: names are final (a bucket_prefix has its generated suffix), ARNs use the local account
 * and the stack's region, URLs point at the local endpoints. Built by `loadTopology` from the
 * stage's cdk.tf.json; nothing here is written by hand.
 */

/** The fixed account id of the local cloud (LocalStack uses the same). */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Base URLs of the local endpoints, without a trailing slash. */
export interface LocalEndpoints {
  /** The website, e.g. http://127.0.0.1:3000 */
  web: string;
  /** The REST API, e.g. http://127.0.0.1:3001 */
  api: string;
  /** The HTTP API (API Gateway v2), e.g. http://127.0.0.1:3002 */
  httpApi: string;
  /** The AWS endpoint for SDK clients, e.g. http://127.0.0.1:4566 */
  aws: string;
}

import type { Json } from '../json';

/** An IAM policy document as JSON (Version, Statement[]), already resolved. */
export type PolicyDocument = { [key: string]: Json };

interface Addressed {
  /** Terraform address, e.g. `aws_sqs_queue.audit-queue_2A389D5B`. */
  address: string;
}

export interface FunctionSpec extends Addressed {
  name: string;
  arn: string;
  /** `index.handler`: file (without .js) and export. */
  handler: string;
  runtime: string;
  /** Absolute path of the deployment zip. */
  zipPath: string;
  sourceCodeHash: string;
  /** Terraform's default is 3. */
  timeoutSeconds: number;
  /** Terraform's default is 128. */
  memoryMb: number;
  /** The stack's variables, resolved. */
  environment: Record<string, string>;
  roleArn: string;
  logGroupName: string;
  logFormat: 'JSON' | 'Text';
  /** reserved_concurrent_executions, when the stack sets one (-1 means unreserved). */
  reservedConcurrency?: number;
  /** The instruction set it is built for; Lambda's default is x86_64. */
  architecture?: 'x86_64' | 'arm64';
  /** What the control plane keeps of a function that Lambda's API was given (none at boot). */
  deployed?: DeployedFunction;
}

/** A function as CreateFunction/Update* set it: what GetFunction reads back besides the spec. */
export interface DeployedFunction {
  description: string;
  tags: Record<string, string>;
  /** Lambda's format: 2024-01-01T00:00:00.000+0000. */
  lastModified: string;
  revisionId: string;
  codeSize: number;
  /** logging_config's levels (JSON format only). */
  applicationLogLevel?: string;
  systemLogLevel?: string;
}

export interface TableSpec extends Addressed {
  name: string;
  arn: string;
  hashKey: string;
  rangeKey?: string;
  attributes: { name: string; type: 'S' | 'N' | 'B' }[];
  globalSecondaryIndexes: {
    name: string;
    hashKey: string;
    rangeKey?: string;
    projectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
    nonKeyAttributes?: string[];
  }[];
  localSecondaryIndexes: {
    name: string;
    rangeKey: string;
    projectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
    nonKeyAttributes?: string[];
  }[];
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  ttlAttribute?: string;
  /** DeletionProtectionEnabled: DeleteTable is refused while it is on. */
  deletionProtection?: boolean;
  /** Point-in-time recovery (continuous backups), with its recovery period in days. */
  pointInTimeRecovery?: { recoveryPeriodInDays: number };
  /** Encryption at rest with a KMS key (SSESpecification Enabled), this key's ARN. */
  sseKmsKeyArn?: string;
  /** Tags set at creation or since (TagResource). */
  tags?: Record<string, string>;
}

export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export interface BucketNotification {
  id?: string;
  /** The target function's ARN. */
  functionArn: string;
  /** e.g. `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`. */
  events: string[];
  filterPrefix?: string;
  filterSuffix?: string;
}

export interface BucketSpec extends Addressed {
  name: string;
  arn: string;
  cors: CorsRule[];
  website?: { indexDocument: string; errorDocument?: string };
  notifications: BucketNotification[];
  policy?: PolicyDocument;
}

/** An aws_s3_object the stack uploads (website files, runtime config). */
export interface ObjectSpec extends Addressed {
  bucket: string;
  key: string;
  body: Buffer;
  contentType?: string;
  cacheControl?: string;
}

export interface QueueSpec extends Addressed {
  name: string;
  arn: string;
  /** On the local AWS endpoint: `${aws}/${account}/${name}`. */
  url: string;
  fifo: boolean;
  visibilityTimeoutSeconds: number;
  messageRetentionSeconds: number;
  delaySeconds: number;
  receiveWaitTimeSeconds: number;
  maxMessageSize: number;
  redrive?: { deadLetterTargetArn: string; maxReceiveCount: number };
  /** A dead-letter queue's RedriveAllowPolicy: which source queues may use it. */
  redriveAllow?: {
    redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
    sourceQueueArns?: string[];
  };
  policy?: PolicyDocument;
}

export interface TopicSpec extends Addressed {
  name: string;
  arn: string;
  fifo: boolean;
  policy?: PolicyDocument;
  /**
   * The other attributes the control plane set (DisplayName, DeliveryPolicy, KmsMasterKeyId,
   * ContentBasedDeduplication…), as GetTopicAttributes reads them back.
   */
  attributes?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface SubscriptionSpec extends Addressed {
  /** `${topicArn}:${uuid}`, stable across boots. */
  arn: string;
  topicArn: string;
  /** `sqs`, `lambda`, or another SNS protocol the local cloud does not deliver to. */
  protocol: string;
  /** Queue ARN for sqs, function ARN for lambda. */
  endpoint: string;
  rawMessageDelivery: boolean;
  filterPolicy?: { [key: string]: Json };
  filterPolicyScope: 'MessageAttributes' | 'MessageBody';
  /** The other attributes the control plane set (RedrivePolicy, DeliveryPolicy…), as given. */
  attributes?: Record<string, string>;
  /** False until an http(s) or email endpoint confirms (sqs and lambda confirm at once). */
  pendingConfirmation?: boolean;
}

export interface EventSourceMappingSpec extends Addressed {
  uuid: string;
  functionArn: string;
  eventSourceArn: string;
  enabled: boolean;
  /** Terraform's default for SQS is 10. */
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  maximumConcurrency?: number;
  /** Set by the control plane: its tags and when it last changed (epoch seconds). */
  tags?: Record<string, string>;
  lastModified?: number;
}

export interface AsyncInvokeConfigSpec extends Addressed {
  functionArn: string;
  /** Lambda's default is 2. */
  maximumRetryAttempts: number;
  /** Lambda's default is 21600. */
  maximumEventAgeSeconds: number;
  onFailureDestination?: string;
  onSuccessDestination?: string;
  /** Set by the control plane when the caller gave no maximum event age (Lambda reads none back). */
  maximumEventAgeUnset?: true;
  /** Set by the control plane: when it last changed (epoch seconds). */
  lastModified?: number;
}

export interface StateMachineSpec extends Addressed {
  name: string;
  arn: string;
  /** The ASL, with every reference resolved. */
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  /** logging_configuration.level; Step Functions checks the role may deliver logs unless OFF. */
  loggingLevel: 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
  /** What the control plane was given and reads back (a booted machine has none of these). */
  includeExecutionData?: boolean;
  /** Log group ARNs (`…:log-group:<name>:*`) the execution logs go to. */
  logDestinations?: string[];
  tracingEnabled?: boolean;
  tags?: Record<string, string>;
  /** When CreateStateMachine made it (ms since the epoch). */
  creationDate?: number;
  /** Changes with each UpdateStateMachine. */
  revisionId?: string;
}

/** An aws_cloudwatch_log_group of the stack: CloudWatch Logs holds it from the boot. */
export interface LogGroupSpec extends Addressed {
  name: string;
  retentionInDays?: number;
  tags?: Record<string, string>;
}

export interface RestApiSpec extends Addressed {
  id: string;
  name: string;
  /** The OpenAPI document (body), parsed, with every reference resolved. */
  body: { [key: string]: Json };
  /** arn:aws:execute-api:<region>:<account>:<id> */
  executionArn: string;
  /** The first stage the stack deploys it to. */
  stageName: string;
  binaryMediaTypes: string[];
  /** What the API Gateway control plane keeps of an API it created (absent when booted). */
  control?: RestApiControl;
}

/** A REST API's settings, deployments and stages, as API Gateway's control plane answers them. */
export interface RestApiControl {
  description?: string;
  /** Epoch seconds. */
  createdDate: number;
  apiKeySource: string;
  endpointConfiguration: { types: string[]; ipAddressType?: string; vpcEndpointIds?: string[] };
  disableExecuteApiEndpoint: boolean;
  minimumCompressionSize?: number;
  /** The resource policy, as JSON text. */
  policy?: string;
  tags: Record<string, string>;
  deployments: RestApiDeployment[];
  stages: RestApiStage[];
}

/** A deployment: a snapshot of the API's document, which stages serve. */
export interface RestApiDeployment {
  id: string;
  description?: string;
  createdDate: number;
  body: { [key: string]: Json };
  binaryMediaTypes: string[];
}

/** aws_api_gateway_method_settings' values for one method path (`items/GET`, or all methods). */
export type MethodSetting = Record<string, string | number | boolean>;

export interface RestApiStage {
  stageName: string;
  deploymentId: string;
  description?: string;
  variables: Record<string, string>;
  accessLogSettings?: { destinationArn?: string; format?: string };
  /** By method path: `<resource path>/<METHOD>`, stars for all. */
  methodSettings: Record<string, MethodSetting>;
  tracingEnabled: boolean;
  cacheClusterEnabled: boolean;
  cacheClusterSize?: string;
  documentationVersion?: string;
  clientCertificateId?: string;
  tags: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
}

/** aws_apigatewayv2_api's cors_configuration: API Gateway answers preflights and adds headers. */
export interface HttpApiCorsSpec {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAgeSeconds?: number;
}

/** An aws_apigatewayv2_route with its Lambda proxy integration. */
export interface HttpApiRouteSpec {
  /** `GET /items/{id}`, `ANY /files/{proxy+}` or `$default`. */
  routeKey: string;
  functionArn: string;
  payloadFormatVersion: '1.0' | '2.0';
  /** The integration's timeout_milliseconds (API Gateway's default and most: 30000). */
  timeoutMs: number;
}

/** An HTTP API (aws_apigatewayv2_api, protocol HTTP), its stage, routes and integrations. */
export interface HttpApiSpec extends Addressed {
  id: string;
  name: string;
  /** arn:aws:execute-api:<region>:<account>:<id> */
  executionArn: string;
  /** The stage the stack deploys it to (`$default` serves at the root). */
  stageName: string;
  cors?: HttpApiCorsSpec;
  routes: HttpApiRouteSpec[];
  /** What the API Gateway v2 control plane keeps of an API it created (absent when booted). */
  control?: HttpApiControl;
}

/**
 * An HTTP API as API Gateway v2's control plane answers it: the API, its integrations, routes
 * and stages, each the JSON GetApi/GetIntegration/GetRoute/GetStage answers (by id, or name).
 */
export interface HttpApiControl {
  api: { [key: string]: Json };
  integrations: Record<string, { [key: string]: Json }>;
  routes: Record<string, { [key: string]: Json }>;
  stages: Record<string, { [key: string]: Json }>;
}

/** aws_lambda_permission: who may invoke a function (resource policy). */
export interface PermissionSpec extends Addressed {
  functionArn: string;
  action: string;
  principal: string;
  sourceArn?: string;
  sourceAccount?: string;
  statementId?: string;
}

export interface RoleSpec extends Addressed {
  name: string;
  arn: string;
  /** The RoleId IAM gave it (`AROA…`); derived from the ARN when absent (see iam/role-id.ts). */
  id?: string;
  assumeRolePolicy: PolicyDocument;
  /** Inline policies (aws_iam_role_policy and inline_policy blocks) by name. */
  inlinePolicies: Record<string, PolicyDocument>;
  /** Managed policy ARNs attached (aws_iam_role_policy_attachment, managed_policy_arns). */
  managedPolicyArns: string[];
  /** What IAM's CreateRole/UpdateRole set (absent: IAM's defaults, `/` and 3600 s). */
  path?: string;
  description?: string;
  maxSessionDuration?: number;
  permissionsBoundary?: string;
  tags?: Record<string, string>;
  /** ISO 8601. */
  createDate?: string;
}

/** A customer managed policy (aws_iam_policy), which roles attach by ARN. */
export interface ManagedPolicySpec extends Addressed {
  name: string;
  arn: string;
  /** The default version's document: what the policy grants. */
  document: PolicyDocument;
  /** What IAM's CreatePolicy set; the versions (absent: one, v1, holding `document`). */
  id?: string;
  path?: string;
  description?: string;
  tags?: Record<string, string>;
  createDate?: string;
  versions?: PolicyVersionSpec[];
}

/** One version of a customer managed policy. */
export interface PolicyVersionSpec {
  /** `v1`, `v2`… */
  id: string;
  document: PolicyDocument;
  isDefault: boolean;
  createDate: string;
}

export interface StackTopology {
  /** Absolute directory of the stack (where cdk.tf.json is). */
  stackDir: string;
  region: string;
  accountId: string;
  endpoints: LocalEndpoints;
  functions: FunctionSpec[];
  tables: TableSpec[];
  buckets: BucketSpec[];
  objects: ObjectSpec[];
  queues: QueueSpec[];
  topics: TopicSpec[];
  subscriptions: SubscriptionSpec[];
  eventSourceMappings: EventSourceMappingSpec[];
  asyncInvokeConfigs: AsyncInvokeConfigSpec[];
  stateMachines: StateMachineSpec[];
  restApis: RestApiSpec[];
  httpApis: HttpApiSpec[];
  permissions: PermissionSpec[];
  roles: RoleSpec[];
  managedPolicies: ManagedPolicySpec[];
  /**
   * The stack's log groups (not a registry kind: CloudWatch Logs keeps groups with their events in
   * the data directory, the control plane's too).
   */
  logGroups: LogGroupSpec[];
  /** Stack outputs, resolved. */
  outputs: Record<string, Json>;
  /**
   * Resource and data source types found in the stack that the local cloud does not emulate, with
   * how many of each (e.g. `aws_cloudwatch_log_group: 17`). Reported once at boot.
   */
  notEmulated: Record<string, number>;
}
