/**
 * Runs once before any spec. The end-to-end specs boot the local cloud from the real function
 * zips, which the Terraform spec rebuilds in build/functions while other specs run: they take a
 * snapshot of the zips `npm run build` wrote, here, before anything else starts.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectFiles } from '../../stacks/project-files';

export default function globalSetup(): void {
  const built = projectFiles.functionBundles;
  if (!existsSync(built) || readdirSync(built).length === 0) return;
  const snapshot = mkdtempSync(join(tmpdir(), 'function-zips-'));
  cpSync(built, snapshot, { recursive: true });
  process.env.FUNCTION_ZIPS_SNAPSHOT = snapshot;
}
