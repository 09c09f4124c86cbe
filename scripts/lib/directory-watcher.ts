/**
 * Watches a directory tree for changes by watching each of its directories, not its files.
 *
 * A watch on a file follows the file's inode, and a save by rename (`sed -i`, an editor's atomic
 * save, `git checkout`) puts a new inode at the same path: the watch goes quiet for good. Node 20's
 * recursive `fs.watch` on Linux watches files that way, so it stops seeing such saves after the
 * first one. A directory's watch survives any number of renames, deletions and re-creations of
 * the files in it; directories created or removed later are watched or released as they come.
 */
import { existsSync, readdirSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';

export interface DirectoryWatcher {
  /** Releases every directory watch; no change is reported after it. */
  close(): void;
}

/** `root` and every directory under it (dot-directories aside), `root` first. */
function directoriesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  const found = [root];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('.')) {
      found.push(...directoriesUnder(join(root, entry.name)));
    }
  }
  return found;
}

/**
 * Calls `onChange` with the path (relative to `root`) of each file or directory created, changed,
 * renamed or deleted under `root`.
 */
export function watchDirectoryTree(
  root: string,
  onChange: (relativePath: string) => void,
): DirectoryWatcher {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;

  const release = (directory: string): void => {
    watchers.get(directory)?.close();
    watchers.delete(directory);
  };

  // Brings the set of watches in line with the directories there are now.
  const resync = (): void => {
    if (closed) return;
    const present = new Set(directoriesUnder(root));
    for (const directory of watchers.keys()) if (!present.has(directory)) release(directory);
    for (const directory of present) if (!watchers.has(directory)) add(directory);
  };

  const add = (directory: string): void => {
    let watcher: FSWatcher;
    try {
      watcher = watch(directory, (_event, name) => {
        const changed = name ? join(directory, name.toString()) : directory;
        resync();
        if (!closed) onChange(relative(root, changed));
      });
    } catch {
      return; // removed since it was listed: the next resync no longer lists it
    }
    // A directory removed under its watch may report an error (EPERM on Windows): let it go.
    watcher.on('error', () => {
      release(directory);
      resync();
    });
    watchers.set(directory, watcher);
  };

  resync();
  return {
    close: () => {
      closed = true;
      for (const directory of [...watchers.keys()]) release(directory);
    },
  };
}
