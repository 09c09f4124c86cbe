/** Removes the snapshot of the function zips global-setup.ts took. */
import { rmSync } from 'node:fs';

export default function globalTeardown(): void {
  const snapshot = process.env.FUNCTION_ZIPS_SNAPSHOT;
  if (snapshot) rmSync(snapshot, { recursive: true, force: true });
}
