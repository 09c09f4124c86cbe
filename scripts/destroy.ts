/**
 * npm run destroy -- [stage] [--auto-approve] [--local-cloud]
 *
 * Destroys the stage with `cdktf destroy`, which asks for approval unless --auto-approve. The
 * zips are built and the stage synthesized first (keeping the other stages' stacks): cdktf
 * destroys what the synthesized stack describes, and the stack refuses to synthesize without
 * them. Needs AWS credentials; with --local-cloud it destroys what `npm run deploy --
 * <stage> --local-cloud` applied to the local cloud running on this machine.
 */
import { buildFunctions } from './build-functions';
import { cdktfStageCommand } from './cdktf';
import { synthStage } from './deploy';
import type { StageSynth } from './deploy';
import { awsTarget, runningLocalCloudTarget } from './lib/deploy-target';
import type { DeployTarget } from './lib/deploy-target';
import {
  describeCommand,
  requireAwsCredentials,
  runCli,
  runCommand,
  stageCommandLine,
  validateStage,
} from './lib/stage-cli';
import type { Command, CommandRunner, StageOptions } from './lib/stage-cli';
import { findProviderMirror, hasAwsCredentials, writeCliConfig } from './lib/terraform';

export interface DestroyOptions extends Pick<StageOptions, 'stage' | 'autoApprove'> {
  /** The Terraform CLI configuration cdktf runs with (see scripts/cdktf.ts). */
  cliConfigFile: string;
  /** AWS, or the local cloud running on this machine. */
  target: DeployTarget;
}

export function destroyCommands(options: DestroyOptions): Command[] {
  const stage = validateStage(options.stage);
  return [cdktfStageCommand('destroy', { ...options, stage })];
}

export interface DestroyDependencies {
  run: CommandRunner;
  build: () => Promise<unknown>;
  synth: StageSynth;
  hasCredentials: () => boolean;
  log: (message: string) => void;
}

/** Destroys; resolves to the exit code of the first step that failed, or 0. */
export async function destroy(
  options: DestroyOptions,
  dependencies: DestroyDependencies,
): Promise<number> {
  const { run, build, synth, hasCredentials, log } = dependencies;
  validateStage(options.stage);
  if (options.target.needsAwsCredentials) {
    requireAwsCredentials(`destroy stage "${options.stage}"`, hasCredentials());
  }
  log('Building the function zips (the stack refuses to synthesize without them)');
  await build();
  log(`Synthesizing stage "${options.stage}" for ${options.target.name}`);
  const synthesized = await synth(options.stage, options.target);
  if (synthesized !== 0) return synthesized;
  for (const command of destroyCommands(options)) {
    log(`$ ${describeCommand(command)}`);
    const { status } = await run(command);
    if (status !== 0) return status;
  }
  return 0;
}

const COMMAND_LINE = stageCommandLine('destroy', ['--auto-approve', '--local-cloud']);

if (require.main === module) {
  runCli(COMMAND_LINE, async ({ stage, autoApprove, localCloud }) => {
    const cliConfigFile = writeCliConfig(findProviderMirror());
    const target = localCloud ? await runningLocalCloudTarget(stage, process.env) : awsTarget();
    return destroy(
      { stage, autoApprove, cliConfigFile, target },
      {
        run: runCommand,
        build: buildFunctions,
        synth: synthStage(cliConfigFile),
        hasCredentials: () => hasAwsCredentials(),
        log: (message) => console.log(message),
      },
    );
  });
}
