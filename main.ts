import { App } from 'cdktf';
import { AppStack } from './stacks/app-stack';
import type { RemoteStateOptions } from './stacks/app-stack';
import type { LocalCloudTarget } from './stacks/lib/local-cloud';

/**
 * The only place that reads the environment. Settings:
 * - STAGE (or cdktf context `stage`): the stage to synthesize, `dev` by default.
 * - AWS_REGION: region of the stack, `us-east-1` by default.
 * - OFFLINE_PLAN=1: provider settings for a plan with no AWS account (set by `npm run plan`).
 * - TF_STATE_BUCKET [+ TF_STATE_REGION, TF_STATE_KEY, TF_STATE_LOCK_TABLE]: S3 remote state.
 * - LOCAL_CLOUD_AWS_ENDPOINT, LOCAL_CLOUD_WEBSITE_ENDPOINT, LOCAL_CLOUD_STATE_FILE (all three):
 *   a deploy to the local cloud (set by `npm run deploy -- <stage> --local-cloud`); the key pair
 *   comes from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, read by the provider, not by the stack.
 */
const app = new App();
const stage = (app.node.tryGetContext('stage') as string | undefined) ?? process.env.STAGE ?? 'dev';
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';

// Stage names end up in bucket names, which S3 keeps short.
if (!/^[a-z][a-z0-9-]{0,9}$/.test(stage)) {
  throw new Error(`STAGE must be 1-10 lowercase letters, digits and dashes (got "${stage}")`);
}

const remoteState: RemoteStateOptions | undefined = process.env.TF_STATE_BUCKET
  ? {
      bucket: process.env.TF_STATE_BUCKET,
      region: process.env.TF_STATE_REGION ?? region,
      key: process.env.TF_STATE_KEY,
      lockTable: process.env.TF_STATE_LOCK_TABLE,
    }
  : undefined;

function localCloudTarget(env: NodeJS.ProcessEnv): LocalCloudTarget | undefined {
  const settings = {
    awsEndpoint: env.LOCAL_CLOUD_AWS_ENDPOINT,
    websiteEndpoint: env.LOCAL_CLOUD_WEBSITE_ENDPOINT,
    stateFile: env.LOCAL_CLOUD_STATE_FILE,
  };
  const { awsEndpoint, websiteEndpoint, stateFile } = settings;
  if (awsEndpoint && websiteEndpoint && stateFile)
    return { awsEndpoint, websiteEndpoint, stateFile };
  if (awsEndpoint || websiteEndpoint || stateFile) {
    throw new Error(
      'A deploy to the local cloud needs LOCAL_CLOUD_AWS_ENDPOINT, LOCAL_CLOUD_WEBSITE_ENDPOINT and LOCAL_CLOUD_STATE_FILE (npm run deploy -- <stage> --local-cloud sets them)',
    );
  }
  return undefined;
}

const localCloud = localCloudTarget(process.env);
new AppStack(app, stage, {
  stage,
  region,
  offline: process.env.OFFLINE_PLAN === '1',
  // The local cloud's state stays on this machine whatever TF_STATE_BUCKET says.
  remoteState: localCloud ? undefined : remoteState,
  localCloud,
});
app.synth();
