/**
 * The local cloud of any synthesized CDK for Terraform stack:
 *
 *   npm start -w packages/local-cloud -- --stack-dir "$PWD/cdktf.out/stacks/local"   boot a stack
 *   npm start -w packages/local-cloud -- --empty   boot no stack, ready for a deploy
 *   … --reset                           start with no data
 *   … --sandbox-idle 60                 stop a function's warm sandbox after 60 s idle (default 300)
 *   … --iam warn                        log what IAM would refuse instead of refusing it (enforce|warn|off)
 *   … --drain-timeout 10                on Ctrl+C / SIGTERM, let work in flight finish for 10 s (default)
 *   … --quiet                           warnings and errors only (no access log, no function lines)
 *
 * Ports, the data directory and the administrator's key pair come from the environment
 * (command-line.ts). An app's own start script prepares its stack first and uses the same pieces.
 */
import {
  commandLineOptions,
  LOCAL_CLOUD_FLAGS,
  LOCAL_CLOUD_USAGE,
  logLevel,
  stopOnSignals,
} from './command-line';
import { endpointTable } from './endpoint-table';
import { startLocalCloud } from './local-cloud';
import { createLog } from './log';
import { runCommandLine, UsageError } from './parse-command-line';
import type { ParsedCommandLine } from './parse-command-line';

const COMMAND_LINE = {
  usage: `npm start -w packages/local-cloud -- (--stack-dir <dir> | --empty) ${LOCAL_CLOUD_USAGE}`,
  options: {
    ...LOCAL_CLOUD_FLAGS,
    'stack-dir': { type: 'string' },
    empty: { type: 'boolean', default: false },
  },
} as const;

async function main({
  values: flags,
}: ParsedCommandLine<typeof COMMAND_LINE.options>): Promise<void> {
  const stackDir = flags['stack-dir'];
  if ((stackDir === undefined) === !flags.empty) {
    throw new UsageError('boot a stack (--stack-dir <dir>) or none (--empty)');
  }
  // Lambda runs Node 22; the SDK's notice that this machine's Node 20 goes out of support is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const options = commandLineOptions(flags, process.env, process.cwd());
  const log = createLog({ level: logLevel(flags), color: process.stdout.isTTY });
  const started = Date.now();
  const cloud = await startLocalCloud({ ...options, stackDir, log });
  console.log(
    endpointTable(cloud, {
      dataDir: options.dataDir,
      bootMs: Date.now() - started,
      resetCommand: `local-cloud ${stackDir === undefined ? '--empty' : `--stack-dir ${stackDir}`} --reset`,
    }),
  );
  stopOnSignals(cloud, log, options);
}

runCommandLine(COMMAND_LINE, main);
