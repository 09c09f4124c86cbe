/**
 * A function's deployment package on disk: its zip extracted once per sourceCodeHash under
 * `<workDir>/<function name>/<hash>/`, the way Lambda unpacks it into /var/task.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Entry, ZipFile } from 'yauzl';
import { open } from 'yauzl';
import type { FunctionSpec } from '../../stack/topology';

/** Keeps a name or a base64 hash usable as one path segment. */
function safeSegment(text: string): string {
  const safe = text
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
    .replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || safe === '.' || safe === '..' ? `_${safe}` : safe;
}

export function functionCodeDirectory(workDir: string, fn: FunctionSpec): string {
  return join(workDir, safeSegment(fn.name), safeSegment(fn.sourceCodeHash));
}

function openZip(zipPath: string): Promise<ZipFile> {
  return new Promise((resolvePromise, reject) => {
    open(zipPath, { lazyEntries: true, autoClose: true }, (error, zip) => {
      if (error) reject(error);
      else resolvePromise(zip);
    });
  });
}

function readStream(zip: ZipFile, entry: Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolvePromise, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) reject(error);
      else resolvePromise(stream);
    });
  });
}

/** What Lambda unpacks at most: a package larger than this once unzipped is refused. */
export const MAX_UNZIPPED_BYTES = 262_144_000;

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Why an entry cannot be unpacked into a function's directory, or undefined: a path that would
 * land outside it (zip-slip: `../`, absolute, a drive) or is no file name (NUL), or a symbolic link (which a later entry
 * could write through).
 */
export function unsafeEntry(
  entry: Pick<Entry, 'fileName' | 'externalFileAttributes'>,
): string | undefined {
  const name = entry.fileName.replace(/\\/g, '/');
  const outside = isAbsolute(name) || /^[A-Za-z]:/.test(name) || name.split('/').includes('..');
  if (outside || name.includes('\0')) {
    return `Unsafe path in deployment package: ${entry.fileName}`;
  }
  const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
  if ((mode & S_IFMT) === S_IFLNK) return `Symbolic link in deployment package: ${entry.fileName}`;
  return undefined;
}

/** Where an entry goes, or an error for one that would not stay inside `directory`. */
function entryTarget(directory: string, entry: Entry): string {
  const unsafe = unsafeEntry(entry);
  const target = resolve(directory, entry.fileName.replace(/\\/g, '/'));
  if (unsafe !== undefined || !target.startsWith(directory + sep)) {
    throw new Error(unsafe ?? `Unsafe path in deployment package: ${entry.fileName}`);
  }
  return target;
}

/**
 * Extracts every entry of a zip into `directory` (which must exist). Entries are checked as they
 * come (yauzl also checks that each holds the size it declares), so a zip bomb stops at the limit.
 */
export async function extractZip(zipPath: string, directory: string): Promise<void> {
  const root = resolve(directory);
  const zip = await openZip(zipPath);
  let unzipped = 0;
  await new Promise<void>((resolvePromise, reject) => {
    const fail = (error: unknown): void => {
      zip.close();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    zip.on('error', fail);
    zip.on('end', () => resolvePromise());
    zip.on('entry', (entry: Entry) => {
      void (async () => {
        const target = entryTarget(root, entry);
        unzipped += entry.uncompressedSize;
        if (unzipped > MAX_UNZIPPED_BYTES) {
          throw new Error(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
        }
        if (entry.fileName.endsWith('/')) {
          await mkdir(target, { recursive: true });
        } else {
          await mkdir(dirname(target), { recursive: true });
          const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
          const permissions = mode & 0o777 || 0o644;
          await pipeline(
            await readStream(zip, entry),
            createWriteStream(target, { mode: permissions }),
          );
        }
        zip.readEntry();
      })().catch(fail);
    });
    zip.readEntry();
  });
}

const extracting = new Map<string, Promise<string>>();

/**
 * The extracted package of `fn`, extracting it first if this hash was never extracted. The zip
 * goes to a temporary sibling renamed into place, so a crash never leaves half a directory.
 */
export function functionCode(workDir: string, fn: FunctionSpec): Promise<string> {
  const target = functionCodeDirectory(workDir, fn);
  const running = extracting.get(target);
  if (running) return running;
  const work = (async () => {
    if (existsSync(target)) return target;
    const parent = dirname(target);
    await mkdir(parent, { recursive: true });
    const temporary = await mkdtemp(join(parent, '.extracting-'));
    try {
      await extractZip(fn.zipPath, temporary);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { recursive: true, force: true });
      // Another process may have won the race to the same hash: its copy is as good as ours.
      if (!existsSync(target)) throw error;
    }
    return target;
  })().finally(() => extracting.delete(target));
  extracting.set(target, work);
  return work;
}
