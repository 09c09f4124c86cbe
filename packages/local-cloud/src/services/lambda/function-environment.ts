/**
 * The environment a function's sandbox runs with. Built from scratch: nothing of this process's
 * own environment reaches a function except through `baseEnvironment`, so a developer's real AWS
 * credentials can never be used by local code.
 */
import type { FunctionSpec } from '../../stack/topology';
import { RUNTIME_DIRECTORY } from './worker-bootstrap';

export interface SandboxEnvironmentOptions {
  baseEnvironment: Record<string, string>;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  codeDir: string;
  logStreamName: string;
}

export function sandboxEnvironment(
  fn: FunctionSpec,
  options: SandboxEnvironmentOptions,
): Record<string, string> {
  const environment: Record<string, string> = {
    ...options.baseEnvironment,
    ...fn.environment,
    // What Lambda itself sets wins over the function's variables, as Lambda's reserved keys do.
    PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
    LANG: 'en_US.UTF-8',
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: options.logStreamName,
    AWS_LAMBDA_LOG_FORMAT: fn.logFormat,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    _HANDLER: fn.handler,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    LAMBDA_TASK_ROOT: options.codeDir,
    LAMBDA_RUNTIME_DIR: RUNTIME_DIRECTORY,
    AWS_ACCESS_KEY_ID: options.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
  };
  // Local credentials are long-lived keys: a session token from anywhere would not match them.
  delete environment.AWS_SESSION_TOKEN;
  return environment;
}
