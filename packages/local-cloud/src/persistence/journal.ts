/**
 * An append-only journal of JSON records in one file: the local cloud's way of making what it
 * acknowledges durable. `append` hands the record to the operating system with a synchronous
 * write before it returns, so once a service has answered 2xx the change survives the process
 * being killed (`kill -9`) at any moment after. (It is not flushed to the disk itself on every
 * record, as LevelDB's default is not: a power cut may lose the last writes, a crash does not.)
 *
 * Reopened, the journal gives back its records in the order they were written. A crash during a
 * write can leave a torn last line: that record was never acknowledged, so it is dropped and cut
 * off. `compact` rewrites the journal as the few records that describe the current state (a
 * temporary file, flushed, then renamed over the journal: a crash leaves one or the other).
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface JournalOptions<R> {
  /** Checks a replayed record's shape; a record it refuses stops the open with its reason. */
  parse(value: unknown): R;
}

export interface OpenedJournal<R> {
  journal: Journal<R>;
  /** What the file held, in order. */
  records: R[];
  /** Whether a torn last line (a write cut short by a crash) was cut off. */
  repaired: boolean;
}

/** What a boot says of a journal whose torn last line it cut off. */
export const TORN_TAIL = 'cut off a last record a crash interrupted (it was never acknowledged)';

export class Journal<R> {
  private fd: number | undefined;
  private bytes: number;
  private count: number;

  private constructor(
    readonly file: string,
    fd: number,
    bytes: number,
    count: number,
  ) {
    this.fd = fd;
    this.bytes = bytes;
    this.count = count;
  }

  /** Opens (or creates) the journal at `file` and reads back what it holds. */
  static open<R>(file: string, options: JournalOptions<R>): OpenedJournal<R> {
    mkdirSync(dirname(file), { recursive: true });
    const data = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
    const records: R[] = [];
    let kept = 0;
    while (kept < data.length) {
      const end = data.indexOf(0x0a, kept);
      // No newline: the last write was cut short by a crash. It was never acknowledged.
      if (end < 0) break;
      const line = data.toString('utf8', kept, end);
      let value: unknown;
      try {
        value = JSON.parse(line) as unknown;
      } catch (error) {
        throw new Error(
          `${file}: line ${records.length + 1} is not JSON (${(error as Error).message}); ` +
            'the file was changed by something other than the local cloud',
          { cause: error },
        );
      }
      records.push(options.parse(value));
      kept = end + 1;
    }
    const repaired = kept < data.length;
    const fd = openSync(file, 'a+');
    if (repaired) ftruncateSync(fd, kept);
    return { journal: new Journal<R>(file, fd, kept, records.length), records, repaired };
  }

  /** Records written since the journal was opened or last compacted, replayed ones included. */
  get length(): number {
    return this.count;
  }

  /** Bytes in the file. */
  get size(): number {
    return this.bytes;
  }

  /** Writes one record; when it returns, the record survives a crash of this process. */
  append(record: R): void {
    this.appendAll([record]);
  }

  /** Writes records in one write: a crash keeps all of them or, for a torn last one, the rest. */
  appendAll(records: readonly R[]): void {
    if (records.length === 0) return;
    const fd = this.openFd();
    const data = Buffer.from(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    let written = 0;
    while (written < data.length) {
      written += writeSync(fd, data, written, data.length - written);
    }
    this.bytes += data.length;
    this.count += records.length;
  }

  /**
   * Replaces the journal by `snapshot`, the records that rebuild the current state. Appends made
   * after it go to the new file.
   */
  compact(snapshot: readonly R[]): void {
    const temporary = `${this.file}.${process.pid}.compact`;
    const data = Buffer.from(snapshot.map((record) => `${JSON.stringify(record)}\n`).join(''));
    const fd = openSync(temporary, 'w');
    try {
      let written = 0;
      while (written < data.length) {
        written += writeSync(fd, data, written, data.length - written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.file);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = openSync(this.file, 'a');
    this.bytes = data.length;
    this.count = snapshot.length;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error(`${this.file}: the journal is closed`);
    return this.fd;
  }
}
