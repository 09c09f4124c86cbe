/**
 * npm run deploy -- [stage] [--auto-approve] [--skip-smoke] [--local-cloud]
 *
 * Builds the function zips, synthesizes the stage (keeping the other stages' stacks), deploys it
 * with `cdktf deploy` (which asks for approval unless --auto-approve), reads the stack outputs,
 * then runs the Postman collection against the deployed API as a smoke test. Needs AWS
 * credentials: a deploy to AWS cannot run offline. With --local-cloud it applies the stack to the
 * local cloud running on this machine instead (`npm start -- --empty`; LOCAL_CLOUD_DIR names its
 * data directory, .local-cloud by default), with the real Terraform and AWS provider.
 */
import { buildFunctions } from './build-functions';
import { cdktfStageCommand, synthKeepingOtherStages } from './cdktf';
import { awsTarget, runningLocalCloudTarget } from './lib/deploy-target';
import type { DeployTarget } from './lib/deploy-target';
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
  /** AWS, or the local cloud running on this machine. */
  target: DeployTarget;
}

/**
 * What a deploy runs after the build and the synth, in order: `cdktf deploy` of the synthesized
 * stack, then `terraform output -json` where cdktf deployed.
 */
export function deployCommands(options: DeployOptions): Command[] {
  const stage = validateStage(options.stage);
  return [
    cdktfStageCommand('deploy', { ...options, stage }),
    terraformOutputCommand(stackDirectory(stage, options.target.output), options.target.env),
  ];
}

/** Synthesizes the stage into the target's output; resolves to the CLI's exit code. */
export type StageSynth = (stage: string, target: DeployTarget) => Promise<number>;

/** cdktf synth through the project's CLI settings, keeping the other stages' stacks. */
export function synthStage(cliConfigFile: string): StageSynth {
  return (stage, target) =>
    Promise.resolve(
      synthKeepingOtherStages(['--output', target.output], cliConfigFile, {
        ...target.env,
        STAGE: stage,
      }),
    );
}

export interface DeployDependencies {
  run: CommandRunner;
  build: () => Promise<unknown>;
  synth: StageSynth;
  smokeTest: (target: SmokeTarget) => Promise<SmokeTestResult>;
  hasCredentials: () => boolean;
  log: (message: string) => void;
}

/** Deploys; resolves to the exit code (0 when deployed and, unless skipped, smoke-tested). */
export async function deploy(
  options: DeployOptions,
  dependencies: DeployDependencies,
): Promise<number> {
  const { run, build, synth, smokeTest, hasCredentials, log } = dependencies;
  validateStage(options.stage);
  if (options.target.needsAwsCredentials) {
    requireAwsCredentials(`deploy stage "${options.stage}"`, hasCredentials());
  }
  const [deployCommand, outputCommand] = deployCommands(options);
  if (!deployCommand || !outputCommand) throw new Error('deployCommands lost a step');

  log('Building the function zips');
  await build();
  log(`Synthesizing stage "${options.stage}" for ${options.target.name}`);
  const synthesized = await synth(options.stage, options.target);
  if (synthesized !== 0) {
    log(`cdktf synth failed (exit ${synthesized})`);
    return synthesized;
  }
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

const COMMAND_LINE = stageCommandLine('deploy', [
  '--auto-approve',
  '--skip-smoke',
  '--local-cloud',
]);

if (require.main === module) {
  runCli(COMMAND_LINE, async (options) => {
    const cliConfigFile = writeCliConfig(findProviderMirror());
    const target = options.localCloud
      ? await runningLocalCloudTarget(options.stage, process.env)
      : awsTarget();
    return deploy(
      { ...options, cliConfigFile, target },
      {
        run: runCommand,
        build: buildFunctions,
        synth: synthStage(cliConfigFile),
        smokeTest: runSmokeTest,
        hasCredentials: () => hasAwsCredentials(),
        log: (message) => console.log(message),
      },
    );
  });
}
