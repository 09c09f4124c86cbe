/**
 * npm run deploy -- [stage] [--auto-approve] [--skip-smoke]
 *
 * Builds the function zips, deploys the stage with `cdktf deploy` (which asks for approval unless
 * --auto-approve), reads the stack outputs, then runs the Postman collection against the deployed
 * API as a smoke test. Needs AWS credentials: a deploy cannot run offline.
 */
import { buildFunctions } from './build-functions';
import { cdktfStageCommand } from './cdktf';
import { formatSmokeResult, runSmokeTest, smokeTargetFromOutputs } from './lib/smoke-test';
import type { SmokeTarget, SmokeTestResult } from './lib/smoke-test';
import {
  describeCommand,
  requireAwsCredentials,
  runCli,
  runCommand,
  stageCommandLine,
  stackDirectory,
  terraformOutputCommand,
  validateStage,
} from './lib/stage-cli';
import type { Command, CommandRunner, StageOptions } from './lib/stage-cli';
import { findProviderMirror, hasAwsCredentials, writeCliConfig } from './lib/terraform';

export interface DeployOptions extends StageOptions {
  /** The Terraform CLI configuration cdktf runs with (see scripts/cdktf.ts). */
  cliConfigFile: string;
}

/**
 * What a deploy runs after the build, in order: `cdktf deploy` with STAGE set (main.ts
 * synthesizes the stack named after it), then `terraform output -json` where cdktf deployed.
 */
export function deployCommands(options: DeployOptions): Command[] {
  const stage = validateStage(options.stage);
  return [
    cdktfStageCommand('deploy', { ...options, stage }),
    terraformOutputCommand(stackDirectory(stage)),
  ];
}

export interface DeployDependencies {
  run: CommandRunner;
  build: () => Promise<unknown>;
  smokeTest: (target: SmokeTarget) => Promise<SmokeTestResult>;
  hasCredentials: () => boolean;
  log: (message: string) => void;
}

/** Deploys; resolves to the exit code (0 when deployed and, unless skipped, smoke-tested). */
export async function deploy(
  options: DeployOptions,
  dependencies: DeployDependencies,
): Promise<number> {
  const { run, build, smokeTest, hasCredentials, log } = dependencies;
  validateStage(options.stage);
  requireAwsCredentials(`deploy stage "${options.stage}"`, hasCredentials());
  const [deployCommand, outputCommand] = deployCommands(options);
  if (!deployCommand || !outputCommand) throw new Error('deployCommands lost a step');

  log('Building the function zips');
  await build();
  log(`$ ${describeCommand(deployCommand)}`);
  const deployed = await run(deployCommand);
  if (deployed.status !== 0) {
    log(`cdktf deploy failed (exit ${deployed.status})`);
    return deployed.status;
  }

  log(`$ ${describeCommand(outputCommand)}`);
  const outputs = await run(outputCommand);
  if (outputs.status !== 0) {
    log(`Could not read the stack outputs (exit ${outputs.status})`);
    return outputs.status;
  }
  const target = smokeTargetFromOutputs(outputs.stdout);
  log(`API:     ${target.apiUrl}\nWebsite: ${target.websiteUrl}`);
  if (options.skipSmoke) {
    log('Smoke test skipped (--skip-smoke)');
    return 0;
  }

  log('Running the Postman collection against the deployed API');
  const result = await smokeTest(target);
  log(formatSmokeResult(result));
  return result.failures.length === 0 ? 0 : 1;
}

const COMMAND_LINE = stageCommandLine('deploy', ['--auto-approve', '--skip-smoke']);

if (require.main === module) {
  runCli(COMMAND_LINE, (options) =>
    deploy(
      { ...options, cliConfigFile: writeCliConfig(findProviderMirror()) },
      {
        run: runCommand,
        build: buildFunctions,
        smokeTest: runSmokeTest,
        hasCredentials: () => hasAwsCredentials(),
        log: (message) => console.log(message),
      },
    ),
  );
}
