/**
 * `npm start`: the whole app on this machine, booted from the synthesized stack.
 *
 *   npm start                 build + synth if sources changed, then boot
 *   npm start -- --reset      start with no data
 *   npm start -- --watch      rebuild and reload a function when its handler changes
 *   npm start -- --stage dev  boot another stage's stack (default: local)
 *   npm start -- --stack-dir <dir>  boot an already synthesized stack directory as it is
 *   npm start -- --sandbox-idle 60  stop a function's warm sandbox after 60 s idle (default 300)
 *   npm start -- --iam warn   log what IAM would refuse instead of refusing it (enforce|warn|off)
 *   npm start -- --drain-timeout 10  on Ctrl+C / SIGTERM, let work in flight finish for 10 s (default)
 *
 * Ports and the data directory come from WEB_PORT (3000), API_PORT (3001), AWS_PORT (4566) and
 * LOCAL_CLOUD_DIR (.local-cloud); the administrator's key pair from LOCAL_CLOUD_ACCESS_KEY_ID and
 * LOCAL_CLOUD_SECRET_ACCESS_KEY (test/test). This is the one place of the local cloud that reads
 * them.
 */
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectFiles } from '../stacks/project-files';
import { watchFunctions } from './function-watcher';
import type { FunctionWatcher } from './function-watcher';
import { DEFAULT_ADMIN_CREDENTIALS } from './credentials';
import type { Credentials } from './credentials';
import { startLocalCloud } from './local-cloud';
import type { LocalCloud } from './local-cloud';
import { IAM_MODES } from './iam/access-control';
import type { IamMode } from './iam/access-control';
import { createLog } from './log';
import type { LogLevel } from './log';
import { prepareStack } from './prepare-stack';
import { endpointTable } from './endpoint-table';

const { values: args } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    watch: { type: 'boolean', default: false },
    stage: { type: 'string', default: 'local' },
    'stack-dir': { type: 'string' },
    'sandbox-idle': { type: 'string', default: '300' },
    'log-level': { type: 'string', default: 'info' },
    iam: { type: 'string', default: 'enforce' },
    'drain-timeout': { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new Error(`${name} must be a port number (got "${value}")`);
  }
  return parsed;
}

/** Both variables, or neither (the default pair). */
function adminCredentials(): Credentials {
  const accessKeyId = process.env.LOCAL_CLOUD_ACCESS_KEY_ID ?? '';
  const secretAccessKey = process.env.LOCAL_CLOUD_SECRET_ACCESS_KEY ?? '';
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
  if (!mode) throw new Error(`--iam takes ${IAM_MODES.join(', ')} (got "${value}")`);
  return mode;
}

function seconds(option: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new Error(`${option} takes a number of seconds (got "${value}")`);
  }
  return parsed;
}

async function main(): Promise<void> {
  if (args.help) {
    console.log(
      'usage: npm start [-- --reset] [--watch] [--stage <name> | --stack-dir <dir>] ' +
        '[--sandbox-idle <seconds>] [--drain-timeout <seconds>] [--iam enforce|warn|off] ' +
        '[--log-level debug]',
    );
    return;
  }
  // Lambda runs Node 22; the SDK's notice that this machine's Node 20 goes out of support is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const level = args['log-level'] as LogLevel;
  const iam = iamMode(args.iam);
  const admin = adminCredentials();
  const log = createLog({ level, color: process.stdout.isTTY });
  const directory = process.env.LOCAL_CLOUD_DIR ?? '.local-cloud';
  const dataDir = isAbsolute(directory) ? directory : join(projectFiles.root, directory);
  const started = Date.now();

  const stackDir = args['stack-dir'] ?? (await prepareStack(args.stage, log));
  const cloud: LocalCloud = await startLocalCloud({
    stackDir,
    dataDir,
    reset: args.reset,
    ports: {
      web: port('WEB_PORT', 3000),
      api: port('API_PORT', 3001),
      aws: port('AWS_PORT', 4566),
    },
    log,
    sandboxIdleTimeoutMs: seconds('--sandbox-idle', args['sandbox-idle']) * 1000,
    drainTimeoutMs: seconds('--drain-timeout', args['drain-timeout']) * 1000,
    iam,
    adminCredentials: admin,
  });
  const watcher: FunctionWatcher | undefined = args.watch
    ? watchFunctions({ functions: cloud.topology.functions, runtime: cloud.functions, log })
    : undefined;

  console.log(endpointTable(cloud, { dataDir, bootMs: Date.now() - started }));

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
      `${signal}: shutting down; work in flight may finish for ${args['drain-timeout']} s (${signal} again exits at once)…`,
    );
    watcher?.close();
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

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
