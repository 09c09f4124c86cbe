/**
 * `npm start -- --watch`: when a handler source changes, the functions are rebuilt (the same
 * deterministic build as deploys use, so an unaffected function's zip is byte-identical) and only
 * those whose zip changed are reloaded: their next invocation cold-starts on the new code.
 *
 * A failed build (a syntax error mid-edit, a deleted handler) says so and changes nothing: every
 * function keeps running its last good code until a save builds again.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { buildFunctions } from '../build-functions';
import { projectFiles } from '../../stacks/project-files';
import { watchDirectoryTree } from './directory-watcher';
import { firstErrorLines } from './build-errors';
import type { LocalLog, FunctionSpec } from '@serverless-week/local-cloud';

export interface ReloadableFunctions {
  reload(fn: FunctionSpec): Promise<void>;
}

/** Builds every function's zip, named as the stack names it, into `outputDirectory`. */
export type BuildAll = (outputDirectory: string) => Promise<unknown>;

export interface FunctionWatcher {
  /** Stops watching; resolves once a build under way has finished. */
  close(): Promise<void>;
}

export interface WatchOptions {
  functions: FunctionSpec[];
  runtime: ReloadableFunctions;
  log: LocalLog;
  /** the sources watched (handlers/) */
  sourceDirectory?: string;
  /** where the zips the functions run from live (build/functions) */
  bundleDirectory?: string;
  build?: BuildAll;
  /** one rebuild per burst of changes this close together */
  debounceMs?: number;
}

const buildQuietly: BuildAll = (outputDirectory) =>
  buildFunctions(outputDirectory, { quiet: true });

/**
 * Builds into a fresh sibling of `bundleDirectory` and moves the zips in only once every function
 * built: a failed build leaves the zips the functions run from as they were.
 */
async function buildInto(bundleDirectory: string, build: BuildAll): Promise<void> {
  const staging = await mkdtemp(`${bundleDirectory}-next-`);
  try {
    await build(staging);
    await mkdir(bundleDirectory, { recursive: true });
    for (const zip of await readdir(staging)) {
      await rename(join(staging, zip), join(bundleDirectory, zip));
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Rebuilds every function into `bundleDirectory` and reloads the ones whose zip changed (their
 * specs are updated in place); returns their names.
 */
export async function rebuildChanged(
  functions: FunctionSpec[],
  runtime: ReloadableFunctions,
  bundleDirectory = projectFiles.functionBundles,
  build: BuildAll = buildQuietly,
): Promise<string[]> {
  await buildInto(bundleDirectory, build);
  const reloaded: string[] = [];
  for (const [index, fn] of functions.entries()) {
    const zipPath = join(bundleDirectory, basename(fn.zipPath));
    const sourceCodeHash = createHash('sha256')
      .update(await readFile(zipPath))
      .digest('base64');
    if (sourceCodeHash === fn.sourceCodeHash) continue;
    const next = { ...fn, zipPath, sourceCodeHash };
    functions[index] = next;
    await runtime.reload(next);
    reloaded.push(fn.name);
  }
  return reloaded;
}

/** Editors' swap and backup files, and hidden files: saving them changes no source. */
function isScratchFile(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') || name.endsWith('~') || /\.sw[a-p]$/.test(name);
}

const isSource = (path: string): boolean => /\.(ts|js|mjs|cjs|json|wasm)$/.test(path);

export function watchFunctions(options: WatchOptions): FunctionWatcher {
  const {
    log,
    sourceDirectory = join(projectFiles.root, 'handlers'),
    bundleDirectory = projectFiles.functionBundles,
    build = buildQuietly,
    debounceMs = 200,
  } = options;
  const shown = (path: string): string => join(basename(sourceDirectory), path);
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let failing = false;
  let closed = false;

  const succeeded = (reloaded: string[], took: string): void => {
    if (failing) log.write('info', 'watch', `build recovered (${took})`);
    failing = false;
    log.write(
      'info',
      'watch',
      reloaded.length > 0
        ? `reloaded ${reloaded.join(', ')} (${took})`
        : `rebuilt, no function changed (${took})`,
    );
  };

  const failed = (error: unknown, paths: string[]): void => {
    failing = true;
    // A temporary file renamed over a source is gone too, but it was never a source.
    const deleted = paths.filter(
      (path) => isSource(path) && !existsSync(join(sourceDirectory, path)),
    );
    const cause =
      deleted.length > 0 ? `${deleted.map(shown).join(', ')} deleted; ` : 'the build failed; ';
    log.write(
      'error',
      'watch',
      `${cause}every function keeps running its last good code until a save builds again:\n` +
        firstErrorLines(error).join('\n'),
    );
  };

  let pending = false;
  const rebuild = (): void => {
    // A build that has not started yet will see this change too: one is enough.
    if (pending) return;
    pending = true;
    running = running.then(async () => {
      pending = false;
      if (closed) return;
      const paths = [...changed];
      changed.clear();
      const started = Date.now();
      try {
        const reloaded = await rebuildChanged(
          options.functions,
          options.runtime,
          bundleDirectory,
          build,
        );
        succeeded(reloaded, `${Date.now() - started} ms`);
      } catch (error) {
        failed(error, paths);
      }
    });
  };

  const watcher = watchDirectoryTree(sourceDirectory, (path) => {
    if (isScratchFile(path)) return;
    changed.add(path);
    clearTimeout(timer);
    // Editors write a file in several steps: one rebuild per burst of changes.
    timer = setTimeout(rebuild, debounceMs);
  });
  log.write('info', 'watch', `watching ${basename(sourceDirectory)}/ for changes`);
  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      watcher.close();
      return running;
    },
  };
}
