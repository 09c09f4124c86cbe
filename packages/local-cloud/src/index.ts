/**
 * The local cloud's public surface: what an app's scripts and specs use. Everything else in src/
 * is the package's own and may change; import from here only (a lint rule enforces it).
 */

// Boot a synthesized stack, and run it from a command line.
export { startLocalCloud } from './local-cloud';
export type { LocalCloud, LocalCloudOptions } from './local-cloud';
export {
  commandLineOptions,
  dataDirectoryOf,
  LOCAL_CLOUD_FLAGS,
  LOCAL_CLOUD_USAGE,
  logLevel,
  stopOnSignals,
} from './command-line';
export type { CommandLineOptions, LocalCloudFlags } from './command-line';
export { exitWithError, parseCommandLine, runCommandLine, UsageError } from './parse-command-line';
export type { CommandLine, ParsedCommandLine } from './parse-command-line';
export { iamUsageFile } from './boot/data-directory';
export { endpointTable } from './endpoint-table';
export { readEndpointsFile } from './boot/data-directory';
export type { EndpointsFile } from './boot/data-directory';
export { createLog, silentLog } from './log';
export type { LocalLog, LogLevel, LogOptions } from './log';

// The stack as the local cloud reads it.
export type { Json, JsonObject } from './json';
export { loadTopology } from './stack/load-topology';
export { createNameStore } from './stack/name-store';
export { ResourceRegistry } from './model/resource-registry';
export type { ResourceChange, ResourceKind, ResourceKinds } from './model/resource-registry';
export type {
  BucketSpec,
  FunctionSpec,
  LocalEndpoints,
  QueueSpec,
  StackTopology,
  StateMachineSpec,
  TableSpec,
} from './stack/topology';

// Credentials and IAM.
export { DEFAULT_ADMIN_CREDENTIALS, openCallerKeys } from './credentials';
export type { Credentials } from './credentials';
export { verifySignature } from './iam/signature-v4';
export type { SignedRequestParts } from './iam/signature-v4';
export { buildUsageReport, renderUsageReport } from './iam/usage-report';
export type { UsageReport } from './iam/usage-report';
export type { UsageFile } from './iam/usage-recorder';
export { STATE_MACHINE_LOG_DELIVERY_ACTIONS } from './iam/log-delivery';

// Single services and the events they emit, for specs that need one of them.
export { MAX_REQUEST_BODY_BYTES } from './services/edge/edge-service';
export { createTable } from './services/dynamodb/table-service';
export { startS3Endpoint } from './services/s3/s3-endpoint';
export type { S3Endpoint, S3EndpointOptions } from './services/s3/s3-endpoint';
export { extractZip } from './services/lambda/function-code';
export { FunctionRuntime } from './services/lambda/function-runtime';
export type { FunctionRuntimeOptions } from './services/lambda/function-runtime';
export type { InvokeResult } from './services/lambda/types';
export { encodeS3EventKey, s3EventRecord } from './triggers/bucket-notifications';
export { runExecution, TaskError } from './services/step-functions/workflow-runner';
export type { ExecutionResult, TaskIntegrations } from './services/step-functions/workflow-runner';

// Terraform against the local cloud.
export { AWS_PROVIDER, findProviderMirror, writeCliConfig } from './terraform/provider-mirror';
export { PROVIDER_ENDPOINT_SERVICES } from './terraform/provider-endpoints';
