/**
 * Functions for the Lambda runtime's specs: zips of plain CommonJS handlers (their specs come from
 * @serverless-week/test-support's functionSpec).
 */
import { ZipFile } from 'yazl';

/**
 * A zip of the given files (name → source text), in memory; `modes` gives an entry's Unix mode
 * (a symbolic link's is 0o120777, its text the link's target).
 */
export function zipBuffer(
  files: Record<string, string>,
  modes: Record<string, number> = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    for (const [name, text] of Object.entries(files)) {
      const mode = modes[name];
      zip.addBuffer(Buffer.from(text), name, mode === undefined ? {} : { mode });
    }
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/**
 * A zip yazl would not write: `files` zipped with each name of `renames` then replaced, byte for
 * byte, by what it maps to (of the same length: `../x.js` for `aa/x.js`).
 */
export async function zipRenamed(
  files: Record<string, string>,
  renames: Record<string, string>,
): Promise<Buffer> {
  let text = (await zipBuffer(files)).toString('latin1');
  for (const [from, to] of Object.entries(renames)) text = text.split(from).join(to);
  return Buffer.from(text, 'latin1');
}

/** A zip whose central directory says its first entry unzips to `size` bytes (a zip bomb's). */
export async function zipDeclaring(files: Record<string, string>, size: number): Promise<Buffer> {
  const zip = await zipBuffer(files);
  const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  zip.writeUInt32LE(size, central + 24);
  return zip;
}
