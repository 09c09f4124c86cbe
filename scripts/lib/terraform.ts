/**
 * Running Terraform on a synthesized stack: provider from a local filesystem mirror when one is
 * present (this machine has no registry access), dummy credentials when planning offline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { writeCliConfig as writeProviderMirrorConfig } from '@serverless-week/local-cloud';
import { projectFiles } from '../../stacks/project-files';

export { AWS_PROVIDER, findProviderMirror } from '@serverless-week/local-cloud';

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
 * Writes the project's Terraform CLI configuration (build/terraform/cli.tfrc), which installs
 * providers from the mirror only, and returns its path (for TF_CLI_CONFIG_FILE).
 */
export function writeCliConfig(mirror: string | undefined): string {
  return writeProviderMirrorConfig(
    mirror,
    path.join(projectFiles.root, 'build', 'terraform', 'cli.tfrc'),
  );
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
