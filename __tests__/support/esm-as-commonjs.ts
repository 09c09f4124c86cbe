/**
 * Jest runs the specs as CommonJS and does not transform node_modules, so it cannot load an
 * ESM-only package such as jSquash's MozJPEG codec glue (imported by handlers/lib/thumbnail/codec.ts).
 * This hands Jest what the Lambda bundle contains instead: the same module, converted to
 * CommonJS by esbuild. Use it from a jest.mock factory, as jsquash-as-commonjs.ts does:
 *
 *   jest.mock('@jsquash/jpeg/codec/dec/mozjpeg_dec.js', () =>
 *     jest.requireActual<typeof EsmAsCommonJs>('./esm-as-commonjs')
 *       .esmAsCommonJs('@jsquash/jpeg/codec/dec/mozjpeg_dec.js'),
 *   );
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

export function esmAsCommonJs(specifier: string): unknown {
  const source = readFileSync(require.resolve(specifier), 'utf8');
  const { code } = transformSync(source, { format: 'cjs', logLevel: 'silent' });
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const directory = join(tmpdir(), 'handler-specs-cjs');
  const file = join(directory, `${hash}.js`);
  if (!existsSync(file)) {
    // Written aside, then renamed: Jest workers running in parallel never read half a file.
    mkdirSync(directory, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, file);
  }
  return jest.requireActual(file);
}
