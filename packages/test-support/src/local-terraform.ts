/**
 * The real Terraform and AWS provider (5.100.0, from the mirror) against a running local cloud, for
 * specs of the control plane: a configuration is applied, planned again and destroyed exactly as
 * a user's would be. The provider block is the plain one a user writes (every endpoint at the
 * local cloud, the administrator's key pair), with no skip of the account lookup: Terraform asks
 * STS who it is, as against AWS.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  findProviderMirror,
  PROVIDER_ENDPOINT_SERVICES,
  writeCliConfig,
} from '@serverless-week/local-cloud';
import type { Credentials } from '@serverless-week/local-cloud';

/** The endpoint names of provider 5.100.0 for the services the local cloud serves. */
export const LOCAL_CLOUD_SERVICES = PROVIDER_ENDPOINT_SERVICES;

export interface LocalCloudTarget {
  /** The local cloud's AWS endpoint (endpoints.aws). */
  aws: string;
  /** The administrator's key pair (cloud.adminCredentials or endpoints.json's). */
  credentials: Credentials;
  region?: string;
}

/** The `provider "aws"` block, as JSON, of a configuration that deploys to the local cloud. */
export function localCloudProvider(target: LocalCloudTarget): Record<string, unknown> {
  return {
    region: target.region ?? 'us-east-1',
    access_key: target.credentials.accessKeyId,
    secret_key: target.credentials.secretAccessKey,
    s3_use_path_style: true,
    skip_credentials_validation: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    endpoints: [Object.fromEntries(LOCAL_CLOUD_SERVICES.map((service) => [service, target.aws]))],
  };
}

export interface TerraformRun {
  exitCode: number;
  /** stdout then stderr, without colours. */
  output: string;
}

/** A Terraform working directory holding one configuration, applied to a local cloud. */
export class LocalTerraform {
  private constructor(
    readonly directory: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /**
   * A fresh directory with `resources` (the configuration's JSON without its provider: resource,
   * data, output, variable blocks…) and the local cloud's provider block, initialised.
   */
  static async create(
    target: LocalCloudTarget,
    resources: Record<string, unknown>,
  ): Promise<LocalTerraform> {
    const directory = mkdtempSync(path.join(tmpdir(), 'local-terraform-'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TF_CLI_CONFIG_FILE: writeCliConfig(
        findProviderMirror(),
        path.join(directory, '.terraformrc'),
      ),
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    };
    const terraform = new LocalTerraform(directory, env);
    terraform.configure(target, resources);
    const init = await terraform.run(['init', '-input=false', '-no-color']);
    if (init.exitCode !== 0) throw new Error(`terraform init failed:\n${init.output}`);
    return terraform;
  }

  /** Replaces the configuration (for an update: apply again). */
  configure(target: LocalCloudTarget, resources: Record<string, unknown>): void {
    writeFileSync(
      path.join(this.directory, 'main.tf.json'),
      JSON.stringify(
        {
          terraform: {
            required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } },
          },
          provider: { aws: [localCloudProvider(target)] },
          ...resources,
        },
        null,
        2,
      ),
    );
  }

  apply(): Promise<TerraformRun> {
    return this.run(['apply', '-auto-approve', '-no-color', '-input=false']);
  }

  /** `plan -detailed-exitcode`: 0 no changes, 2 changes, 1 an error. */
  plan(): Promise<TerraformRun> {
    return this.run(['plan', '-detailed-exitcode', '-no-color', '-input=false']);
  }

  destroy(): Promise<TerraformRun> {
    return this.run(['destroy', '-auto-approve', '-no-color', '-input=false']);
  }

  /** The configuration's outputs, by name. */
  async outputs(): Promise<Record<string, unknown>> {
    const run = await this.run(['output', '-json']);
    if (run.exitCode !== 0) throw new Error(`terraform output failed:\n${run.output}`);
    const parsed = JSON.parse(run.output) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([name, { value }]) => [name, value]));
  }

  /** The resource addresses in the state. */
  async addresses(): Promise<string[]> {
    const run = await this.run(['state', 'list']);
    return run.output.split('\n').filter((line) => line.trim() !== '');
  }

  /** Removes the directory (state included). */
  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }

  /** Runs terraform in the directory; `TF_LOG=DEBUG` in the environment logs to terraform.log. */
  run(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<TerraformRun> {
    return new Promise((resolve, reject) => {
      const child = spawn('terraform', args, {
        cwd: this.directory,
        env: { ...this.env, ...debugLog(this.directory), ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const chunks: Buffer[] = [];
      const errors: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
      child.on('error', reject);
      child.on('close', (code) =>
        resolve({
          exitCode: code ?? 1,
          output: `${Buffer.concat(chunks).toString('utf8')}${Buffer.concat(errors).toString('utf8')}`,
        }),
      );
    });
  }
}

/** LOCAL_TERRAFORM_DEBUG=1 keeps the provider's debug log (every AWS call) in the directory. */
function debugLog(directory: string): NodeJS.ProcessEnv {
  return process.env.LOCAL_TERRAFORM_DEBUG === '1'
    ? { TF_LOG: 'DEBUG', TF_LOG_PATH: path.join(directory, 'terraform.log') }
    : {};
}
