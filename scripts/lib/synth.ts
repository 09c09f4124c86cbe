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
  execFileSync(path.join(projectFiles.root, 'node_modules', '.bin', 'tsx'), ['main.ts'], {
    cwd: projectFiles.root,
    env: {
      ...process.env,
      STAGE: stage,
      OFFLINE_PLAN: offline ? '1' : '',
      CHECKPOINT_DISABLE: '1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return path.join(projectFiles.root, 'cdktf.out', 'stacks', stage);
}
