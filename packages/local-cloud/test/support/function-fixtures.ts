/**
 * Functions for the Lambda runtime's specs: zips of plain CommonJS handlers (their specs come from
 * @serverless-week/test-support's functionSpec).
 */
import { ZipFile } from 'yazl';

/** A zip of the given files (name → source text), in memory. */
export function zipBuffer(files: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name);
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
