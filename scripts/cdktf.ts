/**
 * Runs the cdktf CLI with this project's settings: telemetry off, and Terraform pointed at the
 * local provider mirror when there is one. `tsx scripts/cdktf.ts synth|deploy|destroy [...]`.
 * `synth` (into cdktf.out, or `--output <dir>`) keeps the other stages' stacks there; `npm run synth`
 * (scripts/synth.ts) builds the functions first and refuses options it does not know.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { projectFiles } from '../stacks/project-files';
import type { DeployTarget } from './lib/deploy-target';
import type { Command } from './lib/stage-cli';
import { installSynthesizedStacks } from './lib/synthesized-stacks';
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
 * `cdktf deploy|destroy <stage>` of the stack already synthesized into the target's output
 * (`--skip-synth`: the CLI's own synth would delete the other stages' stacks there), with STAGE
 * and the target's environment set; `--auto-approve` only when asked. `--skip-provider-lock`:
 * `terraform providers lock` asks the registry for every platform's checksums whatever the CLI
 * configuration says, and this machine has the mirror only (`terraform init` writes the lock).
 */
export function cdktfStageCommand(
  verb: 'deploy' | 'destroy',
  options: { stage: string; autoApprove?: boolean; cliConfigFile: string; target: DeployTarget },
): Command {
  return cdktfCommand(
    [
      verb,
      options.stage,
      '--skip-synth',
      '--skip-provider-lock',
      '--output',
      options.target.output,
      ...(options.autoApprove ? ['--auto-approve'] : []),
    ],
    options.cliConfigFile,
    { ...options.target.env, STAGE: options.stage },
  );
}

function run(command: Command): number {
  const result = spawnSync(command.command, command.args, {
    cwd: command.cwd,
    stdio: 'inherit',
    env: { ...process.env, ...command.env },
  });
  return result.status ?? 1;
}

/** The output directory `synth` arguments name (`--output`/`-o`, cdktf.out if none), and the rest. */
function synthOutput(args: readonly string[]): { output: string; rest: string[] } {
  const rest: string[] = [];
  let output = path.join(projectFiles.root, 'cdktf.out');
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    const inline = /^--output=(.*)$/.exec(arg);
    if (inline?.[1] !== undefined) output = inline[1];
    else if ((arg === '--output' || arg === '-o') && args[index + 1] !== undefined) {
      output = args[index + 1] ?? output;
      index += 1;
    } else rest.push(arg);
  }
  return { output: path.resolve(projectFiles.root, output), rest };
}

/**
 * `cdktf synth` into a staging directory beside the output, whose stacks then replace only their
 * own directories there: the CLI would delete every other stage's stack from its output. `env`
 * is added to main.ts's environment (STAGE, a local-cloud deploy's settings).
 */
export function synthKeepingOtherStages(
  synthArgs: readonly string[],
  cliConfigFile: string,
  env: Record<string, string> = {},
): number {
  const { output, rest } = synthOutput(synthArgs);
  mkdirSync(output, { recursive: true });
  const staging = mkdtempSync(path.join(output, '.synth-'));
  try {
    const status = run(cdktfCommand(['synth', ...rest, '--output', staging], cliConfigFile, env));
    if (status === 0) installSynthesizedStacks(staging, output);
    return status;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [verb, ...rest] = process.argv.slice(2);
  const cliConfigFile = writeCliConfig(findProviderMirror());
  process.exit(
    verb === 'synth'
      ? synthKeepingOtherStages(rest, cliConfigFile)
      : run(cdktfCommand(process.argv.slice(2), cliConfigFile)),
  );
}
