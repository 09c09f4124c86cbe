/**
 * The deployment packages Lambda was given (CreateFunction, UpdateFunctionCode with `ZipFile`),
 * kept in the data directory as `<dir>/<function name>/<sha256 hex>.zip`, so that a deployed
 * function runs from its zip exactly as a booted one runs from the stack's.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry, ZipFile } from 'yauzl';
import { fromBuffer } from 'yauzl';
import { replaceFile } from '../../persistence/replace-file';
import { MAX_UNZIPPED_BYTES, unsafeEntry } from './function-code';
import { invalidParameter } from './lambda-responses';

export interface StoredPackage {
  zipPath: string;
  /** base64 SHA-256 of the zip: Lambda's CodeSha256, Terraform's filebase64sha256. */
  codeSha256: string;
  codeSize: number;
}

/** Lambda takes a zip of at most 50 MB in the request (the edge reads 32 MB at most anyway). */
const MAX_ZIP_BYTES = 50 * 1024 * 1024;

/** A zip starts with a local file header, or is empty (end of central directory). */
function isZip(bytes: Buffer): boolean {
  const signature = bytes.subarray(0, 4).toString('hex');
  return signature === '504b0304' || signature === '504b0506';
}

const NOT_A_ZIP =
  'Could not unzip uploaded file. Please check your file, then try to upload again.';

function zipOf(bytes: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error) reject(error);
      else resolve(zip);
    });
  });
}

/**
 * Why the zip's central directory would not unpack into a function, or undefined: an entry the
 * extraction refuses (see unsafeEntry), or more than Lambda unpacks (a zip bomb declares it here,
 * and extraction holds each entry to what it declares).
 */
async function refusalOf(bytes: Buffer): Promise<string | undefined> {
  const zip = await zipOf(bytes);
  let unzipped = 0;
  return new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve(undefined));
    zip.on('entry', (entry: Entry) => {
      unzipped += entry.uncompressedSize;
      const unsafe = unsafeEntry(entry);
      const refusal =
        unzipped > MAX_UNZIPPED_BYTES
          ? `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`
          : unsafe && `${NOT_A_ZIP} (${unsafe})`;
      if (refusal === undefined) zip.readEntry();
      else {
        zip.close();
        resolve(refusal);
      }
    });
    zip.readEntry();
  });
}

/**
 * The package from `ZipFile` (base64), checked as Lambda checks it before the function refers to
 * it: a zip whose entries unpack inside the function's directory, within Lambda's size.
 */
export async function checkedPackage(zipFile: string): Promise<Buffer> {
  const bytes = Buffer.from(zipFile, 'base64');
  if (bytes.length > MAX_ZIP_BYTES) {
    throw invalidParameter(`Unzipped size must be smaller than ${MAX_ZIP_BYTES} bytes`);
  }
  if (!isZip(bytes)) throw invalidParameter(NOT_A_ZIP);
  const refusal = await refusalOf(bytes).catch(() => NOT_A_ZIP);
  if (refusal !== undefined) throw invalidParameter(refusal);
  return bytes;
}

/** A checked package (see checkedPackage), written durably before the function refers to it. */
export function storePackage(
  directory: string,
  functionName: string,
  bytes: Buffer,
): StoredPackage {
  const digest = createHash('sha256').update(bytes).digest();
  const functionDirectory = join(directory, functionName);
  mkdirSync(functionDirectory, { recursive: true });
  const zipPath = join(functionDirectory, `${digest.toString('hex')}.zip`);
  replaceFile(zipPath, bytes, { flush: true });
  return { zipPath, codeSha256: digest.toString('base64'), codeSize: bytes.length };
}

/** The function's packages, once it is deleted. */
export function removePackages(directory: string, functionName: string): void {
  rmSync(join(directory, functionName), { recursive: true, force: true });
}
