/**
 * Bundles every function of handlers/environments.ts with esbuild and zips it alone into
 * build/functions/<entry>.zip. Zips are deterministic (fixed timestamps and modes, sorted
 * entries), so the same sources give byte-identical zips and a re-synth plans no change.
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import * as path from 'node:path';
import { runCommandLine } from '@serverless-week/local-cloud';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { ZipFile } from 'yazl';
import { entryName, environments } from '../handlers/environments';
import type { FunctionName } from '../handlers/environments';
import { projectFiles } from '../stacks/project-files';

const FIXED_TIME = new Date('1980-01-01T00:00:00Z');

/**
 * Every @jimp package nests its own copy of the same zod 3 release (the app itself uses zod 4):
 * resolving all of them to one copy takes ~900 KB of duplicates out of the image processor.
 */
const oneZodForJimp: Plugin = {
  name: 'one-zod-for-jimp',
  setup(build) {
    const jimpPackages = path.join(projectFiles.root, 'node_modules', '@jimp');
    const holder = readdirSync(jimpPackages)
      .sort()
      .map((name) => path.join(jimpPackages, name))
      .find((directory) => existsSync(path.join(directory, 'node_modules', 'zod')));
    if (!holder) return;
    build.onResolve({ filter: /^zod(\/.*)?$/ }, (args) =>
      args.importer.includes(`${path.sep}@jimp${path.sep}`)
        ? { path: require.resolve(args.path, { paths: [holder] }) }
        : undefined,
    );
  },
};

export interface BuiltFunction {
  name: FunctionName;
  zipPath: string;
  bundleBytes: number;
}

export interface BuildOptions {
  /** Print nothing: the caller reports a failure itself (watch mode logs its first lines). */
  quiet?: boolean;
}

async function bundle(entryPoint: string, options: BuildOptions): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // Lambda runs Node 22; the local machine may run Node 20, and both must load the bundle.
    target: 'node20',
    minify: true,
    legalComments: 'none',
    loader: { '.wasm': 'binary' },
    plugins: [oneZodForJimp],
    write: false,
    logLevel: options.quiet ? 'silent' : 'warning',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced nothing for ${entryPoint}`);
  return output.contents;
}

function writeZip(zipPath: string, files: Record<string, Uint8Array>): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    for (const [name, contents] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
      zip.addBuffer(Buffer.from(contents), name, { mtime: FIXED_TIME, mode: 0o100644 });
    }
    zip.end();
    zip.outputStream.pipe(createWriteStream(zipPath)).on('close', resolve).on('error', reject);
  });
}

/** Bundles `entryPoint` as a Lambda package: `index.js` alone in a deterministic zip. */
export async function buildZip(
  entryPoint: string,
  zipPath: string,
  options: BuildOptions = {},
): Promise<number> {
  const code = await bundle(entryPoint, options);
  await writeZip(zipPath, { 'index.js': code });
  return code.byteLength;
}

/**
 * Builds every function into `outputDirectory`, replacing each zip whole (built aside, then
 * renamed over the old one) and removing the zips of functions that are gone: a local cloud or a
 * deploy reading the zips while a build runs finds each one, old or new, never missing or torn.
 */
export async function buildFunctions(
  outputDirectory = projectFiles.functionBundles,
  options: BuildOptions = {},
): Promise<BuiltFunction[]> {
  mkdirSync(outputDirectory, { recursive: true });
  // Beside the output, on the same file system, so that each rename is atomic.
  const staging = mkdtempSync(path.join(path.dirname(outputDirectory), '.building-'));
  try {
    const names = Object.keys(environments) as FunctionName[];
    // Every bundle settles before a failure is reported, so none still writes once the caller
    // cleans up after it.
    const settled = await Promise.allSettled(
      names.map(async (name) => {
        const entryPoint = path.join(projectFiles.root, 'handlers', `${entryName(name)}.ts`);
        const zipName = `${entryName(name)}.zip`;
        const bundleBytes = await buildZip(entryPoint, path.join(staging, zipName), options);
        return { name, zipName, bundleBytes };
      }),
    );
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const built = settled.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    for (const { zipName } of built) {
      renameSync(path.join(staging, zipName), path.join(outputDirectory, zipName));
    }
    const current = new Set(built.map(({ zipName }) => zipName));
    for (const entry of readdirSync(outputDirectory)) {
      if (!current.has(entry)) rmSync(path.join(outputDirectory, entry), { recursive: true });
    }
    return built.map(({ name, zipName, bundleBytes }) => ({
      name,
      zipPath: path.join(outputDirectory, zipName),
      bundleBytes,
    }));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runCommandLine({ usage: 'npm run build', options: {} }, async () => {
    for (const { zipPath, bundleBytes } of await buildFunctions()) {
      const zipKb = (statSync(zipPath).size / 1024).toFixed(0);
      const bundleKb = (bundleBytes / 1024).toFixed(0);
      console.log(
        `${path.relative(projectFiles.root, zipPath)}  ${zipKb} KB (index.js ${bundleKb} KB)`,
      );
    }
  });
}
