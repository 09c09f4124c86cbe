/**
 * The code every sandbox's worker starts with. Workers get no TypeScript loader (neither jest's
 * transform nor tsx applies inside them), so lambda-worker.ts is compiled once, here, to
 * CommonJS and handed to `new Worker(code, { eval: true })`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

let compiled: string | undefined;

export function workerBootstrapCode(): string {
  if (compiled !== undefined) return compiled;
  const source = join(__dirname, 'lambda-worker.ts');
  compiled = existsSync(source)
    ? transformSync(readFileSync(source, 'utf8'), {
        loader: 'ts',
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        sourcefile: source,
      }).code
    : // Already compiled to JavaScript alongside this file.
      readFileSync(join(__dirname, 'lambda-worker.js'), 'utf8');
  return compiled;
}

/** LAMBDA_RUNTIME_DIR: where the runtime lives (Lambda's /var/runtime). */
export const RUNTIME_DIRECTORY = __dirname;
