/**
 * `npm start -- --watch`: when a handler source changes, the functions are rebuilt (the same
 * deterministic build as deploys use, so an unaffected function's zip is byte-identical) and only
 * those whose zip changed are reloaded: their next invocation cold-starts on the new code.
 */
import { createHash } from 'node:crypto';
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { buildFunctions } from '../build-functions';
import { projectFiles } from '../../stacks/project-files';
import type { LocalLog, FunctionSpec } from '@serverless-week/local-cloud';

export interface ReloadableFunctions {
  reload(fn: FunctionSpec): Promise<void>;
}

export interface FunctionWatcher {
  close(): void;
}

/**
 * Rebuilds every function into `bundleDirectory` and reloads the ones whose zip changed (their
 * specs are updated in place); returns their names.
 */
export async function rebuildChanged(
  functions: FunctionSpec[],
  runtime: ReloadableFunctions,
  bundleDirectory = projectFiles.functionBundles,
): Promise<string[]> {
  await buildFunctions(bundleDirectory);
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

export function watchFunctions(options: {
  functions: FunctionSpec[];
  runtime: ReloadableFunctions;
  log: LocalLog;
}): FunctionWatcher {
  const { log } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const rebuild = (): void => {
    running = running.then(async () => {
      const started = Date.now();
      try {
        const reloaded = await rebuildChanged(options.functions, options.runtime);
        const took = `${Date.now() - started} ms`;
        log.write(
          'info',
          'watch',
          reloaded.length > 0
            ? `reloaded ${reloaded.join(', ')} (${took})`
            : `rebuilt, no function changed (${took})`,
        );
      } catch (error) {
        // A syntax error while editing must not stop the local cloud: the old code keeps running.
        log.write('error', 'watch', `build failed, keeping the running code: ${String(error)}`);
      }
    });
  };
  const watcher: FSWatcher = watch(
    join(projectFiles.root, 'handlers'),
    { recursive: true },
    (_event, file) => {
      if (file && !/\.(ts|js|json|wasm)$/.test(file)) return;
      clearTimeout(timer);
      // Editors write a file in several steps: one rebuild per burst of changes.
      timer = setTimeout(rebuild, 200);
    },
  );
  log.write('info', 'watch', 'watching handlers/ for changes');
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
