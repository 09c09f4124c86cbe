/**
 * Runs the cdktf CLI with this project's settings: telemetry off, and Terraform pointed at the
 * local provider mirror when there is one. `tsx scripts/cdktf.ts synth|deploy|destroy [...]`.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { projectFiles } from '../stacks/project-files';
import { findProviderMirror, writeCliConfig } from './lib/terraform';

const result = spawnSync(
  path.join(projectFiles.root, 'node_modules', '.bin', 'cdktf'),
  process.argv.slice(2),
  {
    cwd: projectFiles.root,
    stdio: 'inherit',
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      TF_CLI_CONFIG_FILE: writeCliConfig(findProviderMirror()),
    },
  },
);
process.exit(result.status ?? 1);
