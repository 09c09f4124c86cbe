/**
 * The settings CreateFunction and UpdateFunctionConfiguration share, read and checked as Lambda
 * checks them: runtime, handler, role (which Lambda must be able to assume), timeout, memory,
 * environment (no reserved keys), logging.
 */
import { trustsService } from '../../iam/role-trust';
import type { FunctionSpec } from '../../stack/topology';
import type { LambdaControlContext } from './lambda-control-context';
import type { LambdaInput } from './lambda-input';
import { invalidParameter, validationError } from './lambda-responses';

const ROLE_PATTERN = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const HANDLER_PATTERN = /^[^\s]+$/;
const LOG_GROUP_PATTERN = /^[.\-_/#A-Za-z0-9]+$/;
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** The runtimes Lambda takes for new code (the local cloud runs the Node.js ones). */
const RUNTIMES = [
  'nodejs18.x',
  'nodejs20.x',
  'nodejs22.x',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'java11',
  'java17',
  'java21',
  'dotnet8',
  'ruby3.2',
  'ruby3.3',
  'provided.al2',
  'provided.al2023',
];
/** Runtimes Lambda names in its enum but no longer takes for creates and updates. */
const DEPRECATED_RUNTIMES =
  /^(nodejs(4\.3|6\.10|8\.10|10\.x|12\.x|14\.x|16\.x)?|python(2\.7|3\.6|3\.7|3\.8)|java8|dotnetcore\d\.\d|dotnet6|ruby2\.\d|go1\.x|provided)$/;

/** Variables Lambda sets itself: a function may not. */
const RESERVED_VARIABLES = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** The settings of a request, each undefined when not given. */
export interface FunctionSettings {
  runtime?: string;
  handler?: string;
  roleArn?: string;
  description?: string;
  timeoutSeconds?: number;
  memoryMb?: number;
  environment?: Record<string, string>;
  logging?: {
    logFormat?: 'JSON' | 'Text';
    logGroup?: string;
    applicationLogLevel?: string;
    systemLogLevel?: string;
  };
}

export function readSettings(input: LambdaInput): FunctionSettings {
  const settings: FunctionSettings = {};
  const runtime = input.string('Runtime');
  if (runtime !== undefined) settings.runtime = checkRuntime(runtime);
  const handler = input.string('Handler', { max: 128, pattern: HANDLER_PATTERN });
  if (handler !== undefined) settings.handler = handler;
  const role = input.string('Role', { pattern: ROLE_PATTERN });
  if (role !== undefined) settings.roleArn = role;
  const description = input.string('Description', { max: 256 });
  if (description !== undefined) settings.description = description;
  const timeout = input.integer('Timeout', 1, 900);
  if (timeout !== undefined) settings.timeoutSeconds = timeout;
  const memory = input.integer('MemorySize', 128, 10240);
  if (memory !== undefined) settings.memoryMb = memory;
  const environment = input.object('Environment');
  if (environment) settings.environment = checkVariables(environment.stringMap('Variables') ?? {});
  const logging = input.object('LoggingConfig');
  if (logging) settings.logging = readLogging(logging);
  return settings;
}

function checkRuntime(runtime: string): string {
  if (RUNTIMES.includes(runtime)) return runtime;
  if (DEPRECATED_RUNTIMES.test(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  throw validationError(
    runtime,
    'runtime',
    `Member must satisfy enum value set: [${RUNTIMES.join(', ')}]`,
  );
}

function checkVariables(variables: Record<string, string>): Record<string, string> {
  const reserved = Object.keys(variables).filter((key) => RESERVED_VARIABLES.has(key));
  if (reserved.length > 0) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  return variables;
}

function readLogging(input: LambdaInput): NonNullable<FunctionSettings['logging']> {
  const logging: NonNullable<FunctionSettings['logging']> = {};
  const format = input.string('LogFormat');
  if (format !== undefined) {
    if (format !== 'JSON' && format !== 'Text') {
      throw validationError(
        format,
        'loggingConfig.logFormat',
        'Member must satisfy enum value set: [JSON, Text]',
      );
    }
    logging.logFormat = format;
  }
  const group = input.string('LogGroup', { max: 512, pattern: LOG_GROUP_PATTERN });
  if (group !== undefined) logging.logGroup = group;
  for (const [field, key] of [
    ['ApplicationLogLevel', 'applicationLogLevel'],
    ['SystemLogLevel', 'systemLogLevel'],
  ] as const) {
    const level = input.string(field);
    if (level === undefined || level === '') continue;
    if (!LOG_LEVELS.includes(level)) {
      throw validationError(
        level,
        `loggingConfig.${key}`,
        `Member must satisfy enum value set: [${LOG_LEVELS.join(', ')}]`,
      );
    }
    logging[key] = level;
  }
  return logging;
}

/**
 * Lambda's check of the execution role: it must exist and trust lambda.amazonaws.com (see
 * role-refusals.ts for how a refusal is worded).
 */
export function checkRole(
  context: LambdaControlContext,
  functionName: string,
  roleArn: string,
): void {
  const role = context.registry.get('roles', roleArn);
  if (!role || !trustsService(role, 'lambda.amazonaws.com')) {
    throw context.roleRefusals.refusal(functionName, roleArn, !role);
  }
}

/** The spec with the settings applied: what an update (or a create, over defaults) makes. */
export function applySettings(fn: FunctionSpec, settings: FunctionSettings): FunctionSpec {
  const logging = settings.logging ?? {};
  const logFormat = logging.logFormat ?? fn.logFormat;
  const deployed = fn.deployed && {
    ...fn.deployed,
    ...(settings.description !== undefined ? { description: settings.description } : {}),
  };
  if (deployed && logFormat === 'JSON') {
    if (logging.applicationLogLevel) deployed.applicationLogLevel = logging.applicationLogLevel;
    if (logging.systemLogLevel) deployed.systemLogLevel = logging.systemLogLevel;
  } else if (deployed) {
    delete deployed.applicationLogLevel;
    delete deployed.systemLogLevel;
  }
  return {
    ...fn,
    runtime: settings.runtime ?? fn.runtime,
    handler: settings.handler ?? fn.handler,
    roleArn: settings.roleArn ?? fn.roleArn,
    timeoutSeconds: settings.timeoutSeconds ?? fn.timeoutSeconds,
    memoryMb: settings.memoryMb ?? fn.memoryMb,
    environment: settings.environment ?? fn.environment,
    logGroupName: logging.logGroup ?? fn.logGroupName,
    logFormat,
    ...(deployed ? { deployed } : {}),
  };
}
