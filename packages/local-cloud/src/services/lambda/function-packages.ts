/**
 * The deployment packages Lambda was given (CreateFunction, UpdateFunctionCode with `ZipFile`),
 * kept in the data directory as `<dir>/<function name>/<sha256 hex>.zip`, so that a deployed
 * function runs from its zip exactly as a booted one runs from the stack's.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * The package from `ZipFile` (base64), written durably before the function refers to it; a
 * body that is not a zip is refused as Lambda refuses it.
 */
export function storePackage(
  directory: string,
  functionName: string,
  zipFile: string,
): StoredPackage {
  const bytes = Buffer.from(zipFile, 'base64');
  if (bytes.length > MAX_ZIP_BYTES) {
    throw invalidParameter(`Unzipped size must be smaller than ${MAX_ZIP_BYTES} bytes`);
  }
  if (!isZip(bytes)) {
    throw invalidParameter(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
  }
  const digest = createHash('sha256').update(bytes).digest();
  const functionDirectory = join(directory, functionName);
  mkdirSync(functionDirectory, { recursive: true });
  const zipPath = join(functionDirectory, `${digest.toString('hex')}.zip`);
  const temporary = `${zipPath}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes, { flush: true });
  renameSync(temporary, zipPath);
  return { zipPath, codeSha256: digest.toString('base64'), codeSize: bytes.length };
}

/** The function's packages, once it is deleted. */
export function removePackages(directory: string, functionName: string): void {
  rmSync(join(directory, functionName), { recursive: true, force: true });
}
