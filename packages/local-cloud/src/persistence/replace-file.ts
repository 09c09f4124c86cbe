/**
 * A small file of the data directory (settings, keys, names, a function's zip) replaced whole or
 * not at all: written aside, then renamed over the file, so that a crash mid-write (`kill -9`)
 * leaves the previous file, which holds what was acknowledged before, rather than half of the next.
 */
import { chmodSync, renameSync, writeFileSync } from 'node:fs';

export interface ReplaceOptions {
  /** Permissions, whatever the umask (e.g. 0o600 for keys). */
  mode?: number;
  /** Flush the data to the disk before the rename (a zip the registry is about to refer to). */
  flush?: boolean;
}

export function replaceFile(
  file: string,
  data: string | Buffer,
  options: ReplaceOptions = {},
): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data, {
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    ...(options.flush ? { flush: true } : {}),
  });
  if (options.mode !== undefined) chmodSync(temporary, options.mode);
  renameSync(temporary, file);
}
