/**
 * Terraform's AWS provider from a filesystem mirror: this machine (and the local cloud's users
 * offline) have no registry access, so Terraform is told to install the pinned provider from a
 * mirror directory, which it links rather than copies.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

/** The provider the stack's bindings (@cdktf/provider-aws 20.1.0) were generated for. */
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

/**
 * Writes a Terraform CLI configuration (for TF_CLI_CONFIG_FILE) at `file` that installs providers
 * from the mirror only; without a mirror, Terraform's defaults apply. Returns `file`.
 */
export function writeCliConfig(mirror: string | undefined, file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const installation = mirror
    ? `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`
    : '';
  writeFileSync(file, `disable_checkpoint = true\n${installation}`);
  return file;
}
