/**
 * The real stack, synthesized in-process into a temporary directory the way `cdktf synth` writes
 * it (cdk.tf.json plus the copied function zips and website files), for the local cloud to boot
 * from. Needs the function zips of `npm run build`, from the snapshot global-setup.ts took.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { AppStack } from '../../stacks/app-stack';
import { projectFiles } from '../../stacks/project-files';

export const LOCAL_STAGE = 'e2e';

/**
 * Synthesizes the app for `stage`, after `change` (if any) edits its constructs; returns the stack
 * directory (where cdk.tf.json is).
 */
export function synthesizeLocalStack(
  stage: string = LOCAL_STAGE,
  change?: (stack: AppStack) => void,
): string {
  const bundleDirectory = process.env.FUNCTION_ZIPS_SNAPSHOT ?? projectFiles.functionBundles;
  if (!existsSync(bundleDirectory) || readdirSync(bundleDirectory).length === 0) {
    throw new Error('No function zips: run `npm run build` first');
  }
  const outdir = mkdtempSync(join(tmpdir(), 'local-stack-'));
  const app = new App({ outdir });
  const stack = new AppStack(app, stage, {
    stage,
    region: 'us-east-1',
    offline: true,
    bundleDirectory,
  });
  change?.(stack);
  app.synth();
  return join(outdir, 'stacks', stage);
}
