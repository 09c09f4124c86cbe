/**
 * The local cloud's command line, shared by its own `src/main.ts` (boot a synthesized stack
 * directory) and an app's start script (which prepares its stack first): the flags, the
 * environment variables, and the run until Ctrl+C. Entry points pass `process.env` in; nothing
 * here reads it.
 */
import { isAbsolute, join } from 'node:path';
import { DEFAULT_ADMIN_CREDENTIALS } from './credentials';
import type { Credentials } from './credentials';
import { IAM_MODES } from './iam/access-control';
import type { IamMode } from './iam/access-control';
import type { LocalCloud, LocalCloudOptions } from './local-cloud';
import type { LocalLog, LogLevel } from './log';
import { UsageError } from './parse-command-line';

/** `parseArgs` options of the local cloud's own flags. */
export const LOCAL_CLOUD_FLAGS = {
  reset: { type: 'boolean', default: false },
  'sandbox-idle': { type: 'string', default: '300' },
  'log-level': { type: 'string', default: 'info' },
  quiet: { type: 'boolean', default: false },
  iam: { type: 'string', default: 'enforce' },
  'drain-timeout': { type: 'string', default: '10' },
} as const;

export const LOCAL_CLOUD_USAGE =
  '[--reset] [--sandbox-idle <seconds>] [--drain-timeout <seconds>] [--iam enforce|warn|off] ' +
  '[--log-level debug|info|warn|error] [--quiet]';

export interface LocalCloudFlags {
  reset: boolean;
  'sandbox-idle': string;
  'log-level': string;
  quiet: boolean;
  iam: string;
  'drain-timeout': string;
}

/** Everything but the stack and the log, from the flags and the environment. */
export type CommandLineOptions = Omit<LocalCloudOptions, 'stackDir' | 'log'> & {
  drainTimeoutMs: number;
};

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new Error(`${name} must be a port number (got "${value}")`);
  }
  return parsed;
}

/** Both variables, or neither (the default pair). */
function adminCredentials(env: NodeJS.ProcessEnv): Credentials {
  const accessKeyId = env.LOCAL_CLOUD_ACCESS_KEY_ID ?? '';
  const secretAccessKey = env.LOCAL_CLOUD_SECRET_ACCESS_KEY ?? '';
  if (accessKeyId === '' && secretAccessKey === '') return DEFAULT_ADMIN_CREDENTIALS;
  if (accessKeyId === '' || secretAccessKey === '') {
    throw new Error(
      'Set both LOCAL_CLOUD_ACCESS_KEY_ID and LOCAL_CLOUD_SECRET_ACCESS_KEY, or neither (test/test)',
    );
  }
  return { accessKeyId, secretAccessKey };
}

function iamMode(value: string): IamMode {
  const mode = IAM_MODES.find((each) => each === value);
  if (!mode) throw new UsageError(`--iam takes ${IAM_MODES.join(', ')} (got "${value}")`);
  return mode;
}

function seconds(option: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new UsageError(`${option} takes a number of seconds (got "${value}")`);
  }
  return parsed;
}

/**
 * `--log-level` (info: the access log and every function's lines too; debug: every AWS request);
 * `--quiet` is `--log-level warn`: warnings and errors only (`npm run logs` follows a function).
 */
export function logLevel(flags: Pick<LocalCloudFlags, 'log-level' | 'quiet'>): LogLevel {
  if (flags.quiet) return 'warn';
  return LOG_LEVELS.find((level) => level === flags['log-level']) ?? 'info';
}

/** The data directory: LOCAL_CLOUD_DIR (.local-cloud), relative to `baseDir`. */
export function dataDirectoryOf(env: NodeJS.ProcessEnv, baseDir: string): string {
  const directory = env.LOCAL_CLOUD_DIR ?? '.local-cloud';
  return isAbsolute(directory) ? directory : join(baseDir, directory);
}

/**
 * Ports from WEB_PORT (3000), API_PORT (3001), HTTP_API_PORT (3002) and AWS_PORT (4566), the data
 * directory from LOCAL_CLOUD_DIR (.local-cloud, relative to `baseDir`), the administrator's key pair
 * from LOCAL_CLOUD_ACCESS_KEY_ID and LOCAL_CLOUD_SECRET_ACCESS_KEY (test/test).
 */
export function commandLineOptions(
  flags: LocalCloudFlags,
  env: NodeJS.ProcessEnv,
  baseDir: string,
): CommandLineOptions {
  return {
    dataDir: dataDirectoryOf(env, baseDir),
    reset: flags.reset,
    ports: {
      web: port(env, 'WEB_PORT', 3000),
      api: port(env, 'API_PORT', 3001),
      httpApi: port(env, 'HTTP_API_PORT', 3002),
      aws: port(env, 'AWS_PORT', 4566),
    },
    sandboxIdleTimeoutMs: seconds('--sandbox-idle', flags['sandbox-idle']) * 1000,
    drainTimeoutMs: seconds('--drain-timeout', flags['drain-timeout']) * 1000,
    iam: iamMode(flags.iam),
    adminCredentials: adminCredentials(env),
  };
}

/**
 * Stops the cloud gracefully on the first SIGINT/SIGTERM (`beforeStop` first, e.g. a watcher),
 * and exits at once on the second.
 */
export function stopOnSignals(
  cloud: Pick<LocalCloud, 'stop'>,
  log: LocalLog,
  options: { drainTimeoutMs: number; beforeStop?: () => void },
): void {
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      log.write('warn', 'boot', `${signal} again: exiting without a clean shutdown`);
      process.exit(1);
    }
    stopping = true;
    log.write(
      'info',
      'boot',
      `${signal}: shutting down; work in flight may finish for ${options.drainTimeoutMs / 1000} s (${signal} again exits at once)…`,
    );
    options.beforeStop?.();
    cloud.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.write('error', 'boot', `shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
