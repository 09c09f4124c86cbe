/**
 * Running Terraform on a synthesized stack: provider from a local filesystem mirror when one is
 * present (this machine has no registry access), dummy credentials when planning offline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { projectFiles } from '../../stacks/project-files';

export const AWS_PROVIDER = { namespace: 'hashicorp', type: 'aws', version: '5.100.0' };

function platformDirectory(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return `${process.platform}_${arch}`;
}

/** Directories Terraform mirrors conventionally live in; TF_PROVIDER_MIRROR goes first. */
function mirrorCandidates(env: NodeJS.ProcessEnv): string[] {
  return [
    env.TF_PROVIDER_MIRROR,
    '/opt/tf-plugins',
    path.join(homedir(), '.terraform.d', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ].filter((candidate): candidate is string => Boolean(candidate));
}

/** A filesystem mirror that holds the pinned AWS provider for this platform, if any. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { namespace, type, version } = AWS_PROVIDER;
  return mirrorCandidates(env).find((directory) =>
    existsSync(
      path.join(directory, 'registry.terraform.io', namespace, type, version, platformDirectory()),
    ),
  );
}

export function terraformVersion(): string | undefined {
  const result = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
}

/** True when the AWS SDK chain would find real credentials (env, profile, SSO, web identity…). */
export function hasAwsCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(
    env.AWS_ACCESS_KEY_ID ||
    env.AWS_PROFILE ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
    env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
    existsSync(path.join(homedir(), '.aws', 'credentials')) ||
    existsSync(path.join(homedir(), '.aws', 'config')),
  );
}

/**
 * Writes a Terraform CLI configuration that installs providers from the mirror only, and
 * returns its path (for TF_CLI_CONFIG_FILE). Without a mirror, Terraform's defaults apply.
 */
export function writeCliConfig(mirror: string | undefined): string {
  const directory = path.join(projectFiles.root, 'build', 'terraform');
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, 'cli.tfrc');
  const installation = mirror
    ? `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`
    : '';
  writeFileSync(file, `disable_checkpoint = true\n${installation}`);
  return file;
}

export interface TerraformRunner {
  (args: string[], options?: { capture?: boolean }): string;
}

/** Runs terraform in a stack directory; throws with Terraform's own output on failure. */
export function terraformIn(stackDirectory: string, env: NodeJS.ProcessEnv): TerraformRunner {
  return (args, options = {}) => {
    try {
      return execFileSync('terraform', args, {
        cwd: stackDirectory,
        env,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        stdio: options.capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'inherit'],
      });
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string };
      throw new Error(
        `terraform ${args.join(' ')} failed:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`,
      );
    }
  };
}

/** The environment Terraform runs with: our CLI config, no prompts, and, offline, no real AWS. */
export function terraformEnvironment(cliConfig: string, offline: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  if (offline) {
    for (const name of [
      'AWS_PROFILE',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
    ]) {
      delete env[name];
    }
  }
  return env;
}
