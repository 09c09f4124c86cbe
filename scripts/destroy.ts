/**
 * npm run destroy -- [stage] [--auto-approve]
 *
 * Destroys the stage with `cdktf destroy`, which asks for approval unless --auto-approve. The
 * zips are built first because cdktf synthesizes the stack before destroying it, and the stack
 * refuses to synthesize without them. Needs AWS credentials.
 */
import { buildFunctions } from './build-functions';
import { cdktfStageCommand } from './cdktf';
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
}

export function destroyCommands(options: DestroyOptions): Command[] {
  const stage = validateStage(options.stage);
  return [cdktfStageCommand('destroy', { ...options, stage })];
}

export interface DestroyDependencies {
  run: CommandRunner;
  build: () => Promise<unknown>;
  hasCredentials: () => boolean;
  log: (message: string) => void;
}

/** Destroys; resolves to the exit code of the first command that failed, or 0. */
export async function destroy(
  options: DestroyOptions,
  dependencies: DestroyDependencies,
): Promise<number> {
  const { run, build, hasCredentials, log } = dependencies;
  validateStage(options.stage);
  requireAwsCredentials(`destroy stage "${options.stage}"`, hasCredentials());
  log('Building the function zips (cdktf synthesizes the stack before destroying it)');
  await build();
  for (const command of destroyCommands(options)) {
    log(`$ ${describeCommand(command)}`);
    const { status } = await run(command);
    if (status !== 0) return status;
  }
  return 0;
}

const COMMAND_LINE = stageCommandLine('destroy', ['--auto-approve']);

if (require.main === module) {
  runCli(COMMAND_LINE, ({ stage, autoApprove }) =>
    destroy(
      { stage, autoApprove, cliConfigFile: writeCliConfig(findProviderMirror()) },
      {
        run: runCommand,
        build: buildFunctions,
        hasCredentials: () => hasAwsCredentials(),
        log: (message) => console.log(message),
      },
    ),
  );
}
