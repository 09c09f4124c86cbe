import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { projectFiles } from '../../stacks/project-files';

export interface SynthOptions {
  stage: string;
  /** Provider settings for a plan with no AWS account. */
  offline: boolean;
}

/** Runs the CDKTF app (main.ts) as `cdktf synth` would, and returns the stack's directory. */
export function synthesize({ stage, offline }: SynthOptions): string {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    STAGE: stage,
    OFFLINE_PLAN: offline ? '1' : '',
    CHECKPOINT_DISABLE: '1',
  };
  // Offline means no AWS call, and reading remote state from S3 is one: plan on local state.
  if (offline) delete env.TF_STATE_BUCKET;
  execFileSync(path.join(projectFiles.root, 'node_modules', '.bin', 'tsx'), ['main.ts'], {
    cwd: projectFiles.root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return path.join(projectFiles.root, 'cdktf.out', 'stacks', stage);
}
