/**
 * The values AWS or Terraform would generate at create time (a bucket_prefix's suffix, a REST API
 * id, a subscription's uuid), made once and kept, so that names and URLs stay the same across
 * restarts of the local cloud — as they do across applies of a real stack — and data written under
 * a bucket name is found again.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { replaceFile } from '../persistence/replace-file';

export interface NameStore {
  /** The value kept under `key`, or `make()`'s result, kept from now on. */
  generated(key: string, make: () => string): string;
}

function readStore(file: string): Map<string, string> {
  if (!existsSync(file)) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `The generated names file ${file} is not valid JSON (${(error as Error).message}); delete it to start afresh`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(
      `The generated names file ${file} must hold a JSON object; delete it to start afresh`,
    );
  }
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string') values.set(key, value);
  }
  return values;
}

/** A store kept in `file` (JSON, written on every new value), or in memory when no file is given. */
export function createNameStore(file?: string): NameStore {
  const values = file === undefined ? new Map<string, string>() : readStore(file);
  const save = (): void => {
    if (file === undefined) return;
    mkdirSync(dirname(file), { recursive: true });
    const sorted = Object.fromEntries([...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    replaceFile(file, `${JSON.stringify(sorted, null, 2)}\n`);
  };
  return {
    generated(key, make) {
      const existing = values.get(key);
      if (existing !== undefined) return existing;
      const value = make();
      values.set(key, value);
      save();
      return value;
    },
  };
}
