import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** A built function zip and the hash Lambda compares to decide whether code changed. */
export interface FunctionBundle {
  zipPath: string;
  /** base64 SHA-256 of the zip, as `filebase64sha256()` would compute it. */
  sha256: string;
}

export function loadFunctionBundle(directory: string, entryName: string): FunctionBundle {
  const zipPath = path.join(directory, `${entryName}.zip`);
  if (!existsSync(zipPath)) {
    throw new Error(`Missing ${zipPath}: run \`npm run build\` before synthesizing`);
  }
  return {
    zipPath,
    sha256: createHash('sha256').update(readFileSync(zipPath)).digest('base64'),
  };
}
