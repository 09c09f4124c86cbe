/**
 * `npm start`: the whole app on this machine, booted by the local cloud from the synthesized stack.
 *
 *   npm start                 build + synth if sources changed, then boot
 *   npm start -- --reset      start with no data
 *   npm start -- --watch      rebuild and reload a function when its handler changes
 *   npm start -- --stage dev  boot another stage's stack (default: local)
 *   npm start -- --stack-dir <dir>  boot an already synthesized stack directory as it is
 *   npm start -- --empty      boot no stack: the cloud holds what was deployed to it
 *                             (`npm run deploy -- local --local-cloud`), nothing the first time
 *   npm start -- --sandbox-idle 60  stop a function's warm sandbox after 60 s idle (default 300)
 *   npm start -- --iam warn   log what IAM would refuse instead of refusing it (enforce|warn|off)
 *   npm start -- --drain-timeout 10  on Ctrl+C / SIGTERM, let work in flight finish for 10 s (default)
 *   npm start -- --quiet      warnings and errors only (no access log, no function lines)
 *
 * Ports and the data directory come from WEB_PORT (3000), API_PORT (3001), HTTP_API_PORT (3002),
 * AWS_PORT (4566) and
 * LOCAL_CLOUD_DIR (.local-cloud, in the project); the administrator's key pair from
 * LOCAL_CLOUD_ACCESS_KEY_ID and LOCAL_CLOUD_SECRET_ACCESS_KEY (test/test).
 */
import {
  commandLineOptions,
  createLog,
  endpointTable,
  LOCAL_CLOUD_FLAGS,
  LOCAL_CLOUD_USAGE,
  logLevel,
  runCommandLine,
  startLocalCloud,
  stopOnSignals,
  UsageError,
} from '@serverless-week/local-cloud';
import type { ParsedCommandLine } from '@serverless-week/local-cloud';
import { projectFiles } from '../stacks/project-files';
import { watchFunctions } from './lib/function-watcher';
import { prepareStack } from './lib/prepare-stack';

const COMMAND_LINE = {
  usage: `npm start -- [--watch] [--stage <name> | --stack-dir <dir> | --empty] ${LOCAL_CLOUD_USAGE}`,
  options: {
    ...LOCAL_CLOUD_FLAGS,
    watch: { type: 'boolean', default: false },
    stage: { type: 'string', default: 'local' },
    'stack-dir': { type: 'string' },
    empty: { type: 'boolean', default: false },
  },
} as const;

async function main({
  values: flags,
}: ParsedCommandLine<typeof COMMAND_LINE.options>): Promise<void> {
  // Lambda runs Node 22; the SDK's notice that this machine's Node 20 goes out of support is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const options = commandLineOptions(flags, process.env, projectFiles.root);
  const log = createLog({ level: logLevel(flags), color: process.stdout.isTTY });
  const started = Date.now();

  if (flags.empty && (flags['stack-dir'] !== undefined || flags.watch)) {
    throw new UsageError('--empty boots no stack: it takes neither --stack-dir nor --watch');
  }
  const stackDir = flags.empty
    ? undefined
    : (flags['stack-dir'] ?? (await prepareStack(flags.stage, log)));
  const cloud = await startLocalCloud({ ...options, stackDir, log });
  const watcher = flags.watch
    ? watchFunctions({ functions: cloud.topology.functions, runtime: cloud.functions, log })
    : undefined;

  const stage = flags.empty ? ' --empty' : flags.stage === 'local' ? '' : ` --stage ${flags.stage}`;
  console.log(
    endpointTable(cloud, {
      dataDir: options.dataDir,
      bootMs: Date.now() - started,
      resetCommand: `npm start --${stage} --reset`,
    }),
  );
  stopOnSignals(cloud, log, { ...options, beforeStop: () => void watcher?.close() });
}

runCommandLine(COMMAND_LINE, main);
