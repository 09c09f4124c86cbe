/**
 * Writes the file of a new object or part under a temporary name: its body (from the request, or
 * from stored objects and parts for a copy or a completed multipart upload), then its record. The
 * caller commits it with one rename (ObjectStore.commitObject/commitPart); on any failure the
 * temporary file is removed and nothing is visible.
 */
import { appendFileSync, createWriteStream } from 'node:fs';
import type { ChecksumAlgorithm } from './checksums';
import { createHasher } from './checksums';
import { recordTrailer } from './object-file';
import type { ObjectChecksum, ObjectStore, OpenedFile } from './object-store';
import type { BodyExpectations, ReceivedBody } from './request-body';
import { receiveBody } from './request-body';
import { Readable } from 'node:stream';

export interface WrittenFile {
  /** The temporary file: body only, until sealed with its record. */
  temp: string;
  body: ReceivedBody;
}

async function writeTemp(
  store: ObjectStore,
  write: (temp: string) => Promise<ReceivedBody>,
): Promise<WrittenFile> {
  const temp = store.tempPath();
  try {
    return { temp, body: await write(temp) };
  } catch (error) {
    store.discard(temp);
    throw error;
  }
}

/** A body (a request's, checked against what its headers announce). */
export function writeFromStream(
  store: ObjectStore,
  source: Readable,
  expected: BodyExpectations,
): Promise<WrittenFile> {
  return writeTemp(store, (temp) =>
    receiveBody(source, expected, createWriteStream(temp, { flags: 'wx' })),
  );
}

export interface StoredPiece {
  file: OpenedFile<unknown>;
  start: number;
  /** Inclusive; below `start` for an empty piece. */
  end: number;
}

/** The bodies of stored files, one after the other (a copy, or the parts of an upload). */
export function writeFromStored(
  store: ObjectStore,
  pieces: StoredPiece[],
  algorithm: ChecksumAlgorithm | undefined,
): Promise<WrittenFile> {
  async function* bytes(): AsyncGenerator<Buffer> {
    for (const piece of pieces) {
      if (piece.end < piece.start) continue;
      for await (const chunk of piece.file.body(piece.start, piece.end)) yield chunk as Buffer;
    }
  }
  return writeFromStream(store, Readable.from(bytes()), {
    chunked: false,
    ...(algorithm ? { checksum: { algorithm, inTrailer: false } } : {}),
  });
}

/** What a written body gives its record: size, MD5 ETag, checksum, and the moment of writing. */
export function writtenFacts(body: ReceivedBody): {
  size: number;
  etag: string;
  lastModified: number;
  checksum?: ObjectChecksum;
} {
  return {
    size: body.size,
    etag: body.md5.toString('hex'),
    lastModified: Date.now(),
    ...(body.checksum ? { checksum: body.checksum } : {}),
  };
}

/** Appends the record to a written file: it is then complete, ready to be renamed into place. */
export function seal(store: ObjectStore, written: WrittenFile, record: object): void {
  try {
    appendFileSync(written.temp, recordTrailer(record));
  } catch (error) {
    store.discard(written.temp);
    throw error;
  }
}

/** S3's ETag of a multipart object: the MD5 of the parts' MD5s, then `-<number of parts>`. */
export function multipartEtag(partEtags: string[]): string {
  const md5 = createHasher('MD5');
  for (const etag of partEtags) md5.update(Buffer.from(etag, 'hex'));
  return `${md5.digest().toString('hex')}-${partEtags.length}`;
}
