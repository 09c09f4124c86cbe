/**
 * Runs the cdktf CLI with this project's settings: telemetry off, and Terraform pointed at the
 * local provider mirror when there is one. `tsx scripts/cdktf.ts synth|deploy|destroy [...]`.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { projectFiles } from '../stacks/project-files';
import type { Command } from './lib/stage-cli';
import { findProviderMirror, writeCliConfig } from './lib/terraform';

/**
 * The cdktf CLI invocation with the project's settings; `cliConfigFile` is what
 * `writeCliConfig(findProviderMirror())` wrote.
 */
export function cdktfCommand(
  args: readonly string[],
  cliConfigFile: string,
  env: Record<string, string> = {},
): Command {
  return {
    command: path.join(projectFiles.root, 'node_modules', '.bin', 'cdktf'),
    args: [...args],
    env: { ...env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: cliConfigFile },
    cwd: projectFiles.root,
  };
}

/**
 * `cdktf deploy|destroy <stage>` with STAGE set (main.ts synthesizes the stack named after it);
 * `--auto-approve` only when asked.
 */
export function cdktfStageCommand(
  verb: 'deploy' | 'destroy',
  options: { stage: string; autoApprove?: boolean; cliConfigFile: string },
): Command {
  return cdktfCommand(
    [verb, options.stage, ...(options.autoApprove ? ['--auto-approve'] : [])],
    options.cliConfigFile,
    { STAGE: options.stage },
  );
}

if (require.main === module) {
  const command = cdktfCommand(process.argv.slice(2), writeCliConfig(findProviderMirror()));
  const result = spawnSync(command.command, command.args, {
    cwd: command.cwd,
    stdio: 'inherit',
    env: { ...process.env, ...command.env },
  });
  process.exit(result.status ?? 1);
}
