/**
 * Where `npm run deploy` and `npm run destroy` apply a stage: an AWS account (the stacks in
 * cdktf.out, the user's credentials) or, with `--local-cloud`, the local cloud running on this
 * machine (the endpoints and key pair of its endpoints.json).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirectoryOf, readEndpointsFile } from '@serverless-week/local-cloud';
import type { EndpointsFile } from '@serverless-week/local-cloud';
import { projectFiles } from '../../stacks/project-files';

export interface DeployTarget {
  /** What the log calls it. */
  name: string;
  /** cdktf's output directory: the synthesized stacks, and where Terraform runs for each. */
  output: string;
  /** Added to the environment of the synth, of cdktf and of terraform. */
  env: Record<string, string>;
  /** A deploy to AWS needs the user's credentials; the local cloud hands out its own. */
  needsAwsCredentials: boolean;
}

export function awsTarget(): DeployTarget {
  return {
    name: 'AWS',
    output: join(projectFiles.root, 'cdktf.out'),
    env: {},
    needsAwsCredentials: true,
  };
}

/**
 * What a deploy to the local cloud keeps, in the cloud's own data directory: its synthesized
 * stacks, Terraform's working directories and state. `npm start -- --reset` forgets them with the
 * resources they describe, and `npm start`'s cdktf.out/stacks/local is left as it is.
 */
export function localCloudDeployDirectory(dataDir: string): string {
  return join(dataDir, 'deploy');
}

/** The local cloud of `dataDir`, whose endpoints.json is `endpoints`, as a deploy target. */
export function localCloudTarget(
  stage: string,
  dataDir: string,
  endpoints: EndpointsFile,
): DeployTarget {
  const website = endpoints.urls.web;
  if (!website) throw new Error(`${dataDir}/endpoints.json names no web endpoint`);
  const directory = localCloudDeployDirectory(dataDir);
  return {
    name: `the local cloud at ${endpoints.aws}`,
    output: join(directory, 'cdktf.out'),
    env: {
      LOCAL_CLOUD_AWS_ENDPOINT: endpoints.aws,
      LOCAL_CLOUD_WEBSITE_ENDPOINT: website,
      LOCAL_CLOUD_STATE_FILE: join(directory, `terraform.${stage}.tfstate`),
      // The provider signs with the cloud's administrator, never with a profile or session of
      // the user's (an empty variable counts as unset).
      AWS_ACCESS_KEY_ID: endpoints.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
    },
    needsAwsCredentials: false,
  };
}

/** endpoints.json outlives the cloud that wrote it: a stopped cloud must not pass for running. */
export async function requireRunningLocalCloud(aws: string, dataDir: string): Promise<void> {
  const answer = await fetch(`${aws}/_local-cloud/health`).catch(() => undefined);
  if (!answer?.ok) {
    throw new Error(
      `No local cloud is running: nothing answers at ${aws} (from ${dataDir}/endpoints.json); start one with npm start`,
    );
  }
}

/** The local cloud running from LOCAL_CLOUD_DIR (.local-cloud), or one line saying none is. */
export async function runningLocalCloudTarget(
  stage: string,
  env: NodeJS.ProcessEnv,
): Promise<DeployTarget> {
  const dataDir = dataDirectoryOf(env, projectFiles.root);
  if (!existsSync(join(dataDir, 'endpoints.json'))) {
    throw new Error(
      `No local cloud is running (no ${dataDir}/endpoints.json): start one with npm start -- --empty`,
    );
  }
  const endpoints = readEndpointsFile(dataDir);
  await requireRunningLocalCloud(endpoints.aws, dataDir);
  return localCloudTarget(stage, dataDir, endpoints);
}
