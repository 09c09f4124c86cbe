/**
 * How one object (or one part of a multipart upload) is kept on disk: a single file holding the
 * body, then its record as JSON (key, size, ETag, headers, metadata, checksum), then the record's
 * length (4 bytes) and a 4-byte mark. The record comes last because it is known only once the body
 * has streamed in; one file means one rename commits body and record together.
 *
 * A file is written under a temporary name and renamed into place when complete (see
 * ObjectStore): a crash leaves either the old object or the new one, never half of one.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

const MARK = Buffer.from('S3LC');
const FOOTER = 8;

/** The record written after the body; the body's length is the file's length less the rest. */
export function recordTrailer(record: object): Buffer {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([json, length, MARK]);
}

export interface StoredFile<R> {
  record: R;
  bodyLength: number;
}

function parseFooter(footer: Buffer, fileSize: number): { recordStart: number; length: number } {
  if (footer.length !== FOOTER || !footer.subarray(4).equals(MARK)) {
    throw new Error('not an object file of the local cloud (no end mark)');
  }
  const length = footer.readUInt32BE(0);
  const recordStart = fileSize - FOOTER - length;
  if (recordStart < 0) throw new Error('the record is longer than the file');
  return { recordStart, length };
}

/** Reads the record of an object file at boot (synchronously: boot reads them all once). */
export function readRecordSync<R>(path: string): StoredFile<R> {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    const footer = Buffer.alloc(FOOTER);
    readSync(fd, footer, 0, FOOTER, Math.max(0, size - FOOTER));
    const { recordStart, length } = parseFooter(footer, size);
    const json = Buffer.alloc(length);
    readSync(fd, json, 0, length, recordStart);
    return { record: JSON.parse(json.toString('utf8')) as R, bodyLength: recordStart };
  } finally {
    closeSync(fd);
  }
}

/** Reads the record of an open object file: what this handle will serve, whatever replaces it. */
export async function readRecord<R>(handle: FileHandle): Promise<StoredFile<R>> {
  const { size } = await handle.stat();
  const footer = Buffer.alloc(FOOTER);
  await handle.read(footer, 0, FOOTER, Math.max(0, size - FOOTER));
  const { recordStart, length } = parseFooter(footer, size);
  const json = Buffer.alloc(length);
  await handle.read(json, 0, length, recordStart);
  return { record: JSON.parse(json.toString('utf8')) as R, bodyLength: recordStart };
}
