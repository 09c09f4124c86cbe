/**
 * `npm run deploy` and `npm run destroy`. AWS is out of reach here, so the specs check what they
 * would run (the commands, recorded by a runner standing in for the real one), the order of the
 * steps, what each outcome exits with, and the refusals, the last through the real command line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploy, deployCommands } from '../../scripts/deploy';
import type { DeployDependencies, DeployOptions } from '../../scripts/deploy';
import { destroy, destroyCommands } from '../../scripts/destroy';
import type { DestroyDependencies } from '../../scripts/destroy';
import {
  awsTarget,
  localCloudTarget,
  runningLocalCloudTarget,
} from '../../scripts/lib/deploy-target';
import type { DeployTarget } from '../../scripts/lib/deploy-target';
import type { SmokeTarget, SmokeTestResult } from '../../scripts/lib/smoke-test';
import {
  parseStageArgs,
  runCommand,
  stageCommandLine,
  validateStage,
} from '../../scripts/lib/stage-cli';
import type { Command, CommandResult, StageFlag } from '../../scripts/lib/stage-cli';
import { projectFiles } from '../../stacks/project-files';

const CLI_CONFIG = '/tmp/project/build/terraform/cli.tfrc';
const CDKTF = join(projectFiles.root, 'node_modules', '.bin', 'cdktf');
const CDKTF_OUT = join(projectFiles.root, 'cdktf.out');
const LOCAL_CLOUD_DIR = '/tmp/a-local-cloud';
const LOCAL_CLOUD: DeployTarget = localCloudTarget('local', LOCAL_CLOUD_DIR, {
  aws: 'http://127.0.0.1:4566',
  urls: { aws: 'http://127.0.0.1:4566', web: 'http://127.0.0.1:3000' },
  credentials: { accessKeyId: 'admin-key', secretAccessKey: 'admin-secret' },
});
const API_URL = 'https://abc123.execute-api.us-east-1.amazonaws.com/prod';
const WEBSITE_URL = 'http://serverless-week-prod-website.s3-website-us-east-1.amazonaws.com';
const TERRAFORM_OUTPUTS = JSON.stringify({
  api_url: { sensitive: false, type: 'string', value: API_URL },
  website_url: { sensitive: false, type: 'string', value: WEBSITE_URL },
  items_table: { sensitive: false, type: 'string', value: 'serverless-week-prod-items' },
});

function options(overrides: Partial<DeployOptions> = {}): DeployOptions {
  return {
    stage: 'prod',
    autoApprove: false,
    skipSmoke: false,
    localCloud: false,
    cliConfigFile: CLI_CONFIG,
    target: awsTarget(),
    ...overrides,
  };
}

/** Stands in for AWS: records every step, answers `terraform output` with the stack's outputs. */
function recordingWorld(
  settings: {
    credentials?: boolean;
    synthStatus?: number;
    deployStatus?: number;
    smokeResult?: SmokeTestResult;
  } = {},
) {
  const steps: string[] = [];
  const commands: Command[] = [];
  const smokeTargets: SmokeTarget[] = [];
  const synthesized: { stage: string; target: DeployTarget }[] = [];
  const lines: string[] = [];
  const dependencies: DeployDependencies & DestroyDependencies = {
    run: (command): Promise<CommandResult> => {
      commands.push(command);
      steps.push(`${command.command === CDKTF ? 'cdktf' : command.command} ${command.args[0]}`);
      return Promise.resolve(
        command.command === 'terraform'
          ? { status: 0, stdout: TERRAFORM_OUTPUTS }
          : { status: settings.deployStatus ?? 0, stdout: '' },
      );
    },
    build: () => {
      steps.push('build');
      return Promise.resolve();
    },
    synth: (stage, target) => {
      steps.push('synth');
      synthesized.push({ stage, target });
      return Promise.resolve(settings.synthStatus ?? 0);
    },
    smokeTest: (target) => {
      steps.push('smoke test');
      smokeTargets.push(target);
      return Promise.resolve(settings.smokeResult ?? { failures: [], requests: 38 });
    },
    hasCredentials: () => settings.credentials ?? true,
    log: (line) => lines.push(line),
  };
  return { dependencies, steps, commands, smokeTargets, synthesized, lines };
}

/** The command line as a user runs it, with no AWS credentials anywhere (HOME is empty too). */
function runWithoutCredentials(script: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const home = mkdtempSync(join(tmpdir(), 'no-aws-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, HOME: home };
  for (const name of Object.keys(env)) {
    if (
      /^AWS_(PROFILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|WEB_IDENTITY|CONTAINER)/.test(
        name,
      )
    ) {
      delete env[name];
    }
  }
  return new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      join(projectFiles.root, 'node_modules', '.bin', 'tsx'),
      [script, ...args],
      { cwd: projectFiles.root, env },
      (error, _stdout, stderr) => {
        rmSync(home, { recursive: true, force: true });
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stderr });
      },
    );
  });
}

describe('arguments', () => {
  const deployTakes = (flags: readonly StageFlag[]) => stageCommandLine('deploy', flags);

  it('takes the stage from the command line first, then STAGE, then dev', () => {
    expect(parseStageArgs(['prod'], { STAGE: 'qa' }, deployTakes([])).stage).toBe('prod');
    expect(parseStageArgs([], { STAGE: 'qa' }, deployTakes([])).stage).toBe('qa');
    expect(parseStageArgs([], {}, deployTakes([])).stage).toBe('dev');
  });

  it('sets --auto-approve and --skip-smoke only when given', () => {
    const flags = deployTakes(['--auto-approve', '--skip-smoke']);

    expect(parseStageArgs(['dev'], {}, flags)).toEqual({
      stage: 'dev',
      autoApprove: false,
      skipSmoke: false,
      localCloud: false,
    });
    expect(parseStageArgs(['--auto-approve', 'dev', '--skip-smoke'], {}, flags)).toEqual({
      stage: 'dev',
      autoApprove: true,
      skipSmoke: true,
      localCloud: false,
    });
  });

  it('sets --local-cloud only when given', () => {
    const flags = deployTakes(['--local-cloud']);

    expect(parseStageArgs(['local'], {}, flags).localCloud).toBe(false);
    expect(parseStageArgs(['local', '--local-cloud'], {}, flags).localCloud).toBe(true);
  });

  it('rejects an option the command does not take', () => {
    expect(() =>
      parseStageArgs(['dev', '--skip-smoke'], {}, deployTakes(['--auto-approve'])),
    ).toThrow("unknown option '--skip-smoke'");
  });

  it('rejects two stages at once', () => {
    expect(() => parseStageArgs(['dev', 'prod'], {}, deployTakes([]))).toThrow(
      'One stage at a time',
    );
  });

  it('accepts the stage names main.ts accepts', () => {
    for (const stage of ['dev', 'prod', 'a', 'pr-42', 'abcdefghij']) {
      expect(validateStage(stage)).toBe(stage);
    }
  });

  it('refuses the stage names main.ts refuses', async () => {
    const refused = ['Prod', 'abcdefghijk', '1dev', 'dev_1'];

    const mainTs = await Promise.all(
      refused.map(
        (stage) =>
          new Promise<string>((resolve) =>
            execFile(
              join(projectFiles.root, 'node_modules', '.bin', 'tsx'),
              ['main.ts'],
              { cwd: projectFiles.root, env: { ...process.env, STAGE: stage } },
              (_error, _stdout, stderr) => resolve(stderr),
            ),
          ),
      ),
    );

    for (const [index, stage] of refused.entries()) {
      expect(mainTs[index]).toContain(`STAGE must be 1-10 lowercase letters`);
      expect(() => validateStage(stage)).toThrow(`got "${stage}"`);
    }
  });
});

describe('the command runner', () => {
  it('runs a command with its environment added, returning its status and captured output', async () => {
    const result = await runCommand({
      command: process.execPath,
      args: ['-e', 'process.stdout.write(process.env.STAGE); process.exit(3)'],
      env: { STAGE: 'qa' },
      cwd: projectFiles.root,
      capture: true,
    });

    expect(result).toEqual({ status: 3, stdout: 'qa' });
  });
});

describe('deploy commands', () => {
  it("deploy the stack synthesized into cdktf.out through the project's cdktf settings, with STAGE set", () => {
    const [cdktf] = deployCommands(options({ stage: 'qa' }));

    expect(cdktf).toEqual({
      command: CDKTF,
      args: ['deploy', 'qa', '--skip-synth', '--skip-provider-lock', '--output', CDKTF_OUT],
      env: { STAGE: 'qa', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: CLI_CONFIG },
      cwd: projectFiles.root,
    });
  });

  it('pass --auto-approve to cdktf only when asked', () => {
    const [interactive] = deployCommands(options({ autoApprove: false }));
    const [approved] = deployCommands(options({ autoApprove: true }));

    expect(interactive?.args).not.toContain('--auto-approve');
    expect(approved?.args.at(-1)).toBe('--auto-approve');
  });

  it("deploy to the local cloud from its data directory, signing with its key pair and no one else's", () => {
    const [cdktf, outputs] = deployCommands(options({ stage: 'local', target: LOCAL_CLOUD }));

    expect(cdktf?.args).toEqual([
      'deploy',
      'local',
      '--skip-synth',
      '--skip-provider-lock',
      '--output',
      join(LOCAL_CLOUD_DIR, 'deploy', 'cdktf.out'),
    ]);
    expect(cdktf?.env).toMatchObject({
      STAGE: 'local',
      LOCAL_CLOUD_AWS_ENDPOINT: 'http://127.0.0.1:4566',
      LOCAL_CLOUD_WEBSITE_ENDPOINT: 'http://127.0.0.1:3000',
      LOCAL_CLOUD_STATE_FILE: join(LOCAL_CLOUD_DIR, 'deploy', 'terraform.local.tfstate'),
      AWS_ACCESS_KEY_ID: 'admin-key',
      AWS_SECRET_ACCESS_KEY: 'admin-secret',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
    });
    expect(outputs?.cwd).toBe(join(LOCAL_CLOUD_DIR, 'deploy', 'cdktf.out', 'stacks', 'local'));
  });

  it("read the outputs with terraform output -json in the stage's stack directory", () => {
    const [, outputs] = deployCommands(options({ stage: 'qa' }));

    expect(outputs).toMatchObject({
      command: 'terraform',
      args: ['output', '-json'],
      cwd: join(projectFiles.root, 'cdktf.out', 'stacks', 'qa'),
      capture: true,
    });
  });
});

describe('deploy', () => {
  it('builds the zips, synthesizes, deploys, reads the outputs, then smoke-tests the API from the website origin', async () => {
    const world = recordingWorld();

    const code = await deploy(options(), world.dependencies);

    expect(world.steps).toEqual([
      'build',
      'synth',
      'cdktf deploy',
      'terraform output',
      'smoke test',
    ]);
    expect(world.smokeTargets).toEqual([{ apiUrl: API_URL, websiteUrl: WEBSITE_URL }]);
    expect(code).toBe(0);
  });

  it('skips the smoke test with --skip-smoke, still reading the outputs to print the URLs', async () => {
    const world = recordingWorld();

    const code = await deploy(options({ skipSmoke: true }), world.dependencies);

    expect(world.steps).toEqual(['build', 'synth', 'cdktf deploy', 'terraform output']);
    expect(world.lines.join('\n')).toContain(API_URL);
    expect(code).toBe(0);
  });

  it('exits 1 after printing the failed requests when the smoke test fails', async () => {
    const world = recordingWorld({
      smokeResult: {
        failures: ['Get the new item: status is 200: expected 502 to equal 200'],
        requests: 38,
      },
    });

    const code = await deploy(options(), world.dependencies);

    expect(world.lines.join('\n')).toContain(
      '✗ Get the new item: status is 200: expected 502 to equal 200',
    );
    expect(code).toBe(1);
  });

  it('stops with the exit code of a failed cdktf deploy, reading no outputs', async () => {
    const world = recordingWorld({ deployStatus: 3 });

    const code = await deploy(options(), world.dependencies);

    expect(world.steps).toEqual(['build', 'synth', 'cdktf deploy']);
    expect(code).toBe(3);
  });

  it('synthesizes the stage for its target, and stops with the exit code of a failed synth', async () => {
    const world = recordingWorld({ synthStatus: 2 });

    const code = await deploy(options({ stage: 'local', target: LOCAL_CLOUD }), world.dependencies);

    expect(world.synthesized).toEqual([{ stage: 'local', target: LOCAL_CLOUD }]);
    expect(world.steps).toEqual(['build', 'synth']);
    expect(code).toBe(2);
  });

  it('deploys to the local cloud with no AWS credentials configured', async () => {
    const world = recordingWorld({ credentials: false });

    const code = await deploy(
      options({ stage: 'local', target: LOCAL_CLOUD, skipSmoke: true }),
      world.dependencies,
    );

    expect(world.steps).toEqual(['build', 'synth', 'cdktf deploy', 'terraform output']);
    expect(code).toBe(0);
  });

  it('refuses to run without AWS credentials, before building anything', async () => {
    const world = recordingWorld({ credentials: false });

    await expect(deploy(options(), world.dependencies)).rejects.toThrow('no AWS credentials found');
    expect(world.steps).toEqual([]);
  });

  it('refuses a stage name main.ts would refuse, before building anything', async () => {
    const world = recordingWorld();

    await expect(deploy(options({ stage: 'Production' }), world.dependencies)).rejects.toThrow(
      'got "Production"',
    );
    expect(world.steps).toEqual([]);
  });

  it('refuses from the command line when no AWS credentials are configured', async () => {
    const { code, stderr } = await runWithoutCredentials('scripts/deploy.ts', ['dev']);

    expect(stderr).toContain('Cannot deploy stage "dev": no AWS credentials found.');
    expect(stderr).toContain('cannot run offline');
    expect(code).toBe(1);
  });
});

describe('destroy', () => {
  it('destroys the named stage, with STAGE set and --auto-approve only when asked', () => {
    const [interactive] = destroyCommands({
      stage: 'qa',
      autoApprove: false,
      cliConfigFile: CLI_CONFIG,
      target: awsTarget(),
    });
    const [approved] = destroyCommands({
      stage: 'qa',
      autoApprove: true,
      cliConfigFile: CLI_CONFIG,
      target: awsTarget(),
    });

    expect(interactive).toEqual({
      command: CDKTF,
      args: ['destroy', 'qa', '--skip-synth', '--skip-provider-lock', '--output', CDKTF_OUT],
      env: { STAGE: 'qa', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: CLI_CONFIG },
      cwd: projectFiles.root,
    });
    expect(approved?.args.at(-1)).toBe('--auto-approve');
  });

  it('builds the zips, synthesizes the stage, then runs cdktf destroy', async () => {
    const world = recordingWorld({ deployStatus: 0 });

    const code = await destroy(
      { stage: 'qa', autoApprove: true, cliConfigFile: CLI_CONFIG, target: awsTarget() },
      world.dependencies,
    );

    expect(world.steps).toEqual(['build', 'synth', 'cdktf destroy']);
    expect(code).toBe(0);
  });

  it('exits with the exit code of a failed cdktf destroy', async () => {
    const world = recordingWorld({ deployStatus: 1 });

    const code = await destroy(
      { stage: 'qa', autoApprove: false, cliConfigFile: CLI_CONFIG, target: awsTarget() },
      world.dependencies,
    );

    expect(code).toBe(1);
  });

  it('refuses to run without AWS credentials, before building anything', async () => {
    const world = recordingWorld({ credentials: false });

    await expect(
      destroy(
        { stage: 'qa', autoApprove: true, cliConfigFile: CLI_CONFIG, target: awsTarget() },
        world.dependencies,
      ),
    ).rejects.toThrow('Cannot destroy stage "qa": no AWS credentials found.');
    expect(world.steps).toEqual([]);
  });

  it('refuses from the command line when no AWS credentials are configured', async () => {
    const { code, stderr } = await runWithoutCredentials('scripts/destroy.ts', [
      'qa',
      '--auto-approve',
    ]);

    expect(stderr).toContain('Cannot destroy stage "qa": no AWS credentials found.');
    expect(code).toBe(1);
  });
});

describe('the local cloud as a target', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'deploy-target-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says in one line that no local cloud is running when its data directory has no endpoints.json', async () => {
    await expect(runningLocalCloudTarget('local', { LOCAL_CLOUD_DIR: dataDir })).rejects.toThrow(
      `No local cloud is running (no ${dataDir}/endpoints.json): start one with npm start -- --empty`,
    );
  });

  it('says in one line that no local cloud is running when nothing answers at its endpoint', async () => {
    // Given the endpoints.json of a cloud that has stopped (port 9 discards: nothing answers).
    writeFileSync(
      join(dataDir, 'endpoints.json'),
      JSON.stringify({
        web: 'http://127.0.0.1:9',
        aws: 'http://127.0.0.1:9',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
    );

    await expect(runningLocalCloudTarget('local', { LOCAL_CLOUD_DIR: dataDir })).rejects.toThrow(
      'No local cloud is running: nothing answers at http://127.0.0.1:9',
    );
  });

  it('refuses from the command line, before building anything, when no local cloud is running', async () => {
    const { code, stderr } = await runWithoutCredentials(
      'scripts/deploy.ts',
      ['local', '--local-cloud'],
      { LOCAL_CLOUD_DIR: dataDir },
    );

    expect(stderr.trim()).toBe(
      `No local cloud is running (no ${dataDir}/endpoints.json): start one with npm start -- --empty`,
    );
    expect(code).toBe(1);
  });
});
