/**
 * A function as Lambda's API shows it: the FunctionConfiguration (GetFunctionConfiguration,
 * ListFunctions, the answers of CreateFunction and Update*), and GetFunction's whole answer, with
 * the `Code` and `Tags` Terraform's provider reads back (it calls an answer without `Code` empty).
 */
import { statSync } from 'node:fs';
import type { FunctionSpec } from '../../stack/topology';

/** Lambda's `LastModified` format: 2024-01-01T00:00:00.000+0000. */
export function lambdaTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

function zipStat(fn: FunctionSpec): { size: number; mtime: Date } {
  try {
    return statSync(fn.zipPath);
  } catch {
    // An unreadable zip still has a configuration.
    return { size: 0, mtime: new Date(0) };
  }
}

function loggingConfig(fn: FunctionSpec): Record<string, string> {
  const levels: Record<string, string> =
    fn.logFormat === 'JSON'
      ? {
          ApplicationLogLevel: fn.deployed?.applicationLogLevel ?? 'INFO',
          SystemLogLevel: fn.deployed?.systemLogLevel ?? 'INFO',
        }
      : {};
  return { LogFormat: fn.logFormat, ...levels, LogGroup: fn.logGroupName };
}

export function functionConfiguration(fn: FunctionSpec): Record<string, unknown> {
  const { deployed } = fn;
  const zip = deployed ? undefined : zipStat(fn);
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: fn.runtime,
    Role: fn.roleArn,
    Handler: fn.handler,
    CodeSize: deployed?.codeSize ?? zip?.size ?? 0,
    Description: deployed?.description ?? '',
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    LastModified: deployed?.lastModified ?? lambdaTimestamp(zip?.mtime ?? new Date(0)),
    CodeSha256: fn.sourceCodeHash,
    Version: '$LATEST',
    ...(Object.keys(fn.environment).length > 0
      ? { Environment: { Variables: fn.environment } }
      : {}),
    TracingConfig: { Mode: 'PassThrough' },
    ...(deployed ? { RevisionId: deployed.revisionId } : {}),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: [fn.architecture ?? 'x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: {
      RuntimeVersionArn: `arn:aws:lambda:${fn.arn.split(':')[3] ?? ''}::runtime:local`,
    },
    LoggingConfig: loggingConfig(fn),
  };
}

/** GetFunction: the configuration, where the code is, the tags, the reserved concurrency. */
export function getFunctionAnswer(fn: FunctionSpec): Record<string, unknown> {
  const reserved = fn.reservedConcurrency;
  return {
    Configuration: functionConfiguration(fn),
    Code: { RepositoryType: 'S3', Location: `file://${fn.zipPath}` },
    ...(fn.deployed && Object.keys(fn.deployed.tags).length > 0 ? { Tags: fn.deployed.tags } : {}),
    ...(reserved !== undefined && reserved >= 0
      ? { Concurrency: { ReservedConcurrentExecutions: reserved } }
      : {}),
  };
}
