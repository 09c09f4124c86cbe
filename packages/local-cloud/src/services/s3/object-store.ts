/**
 * The S3 store on disk, under one directory, and its in-memory index.
 *
 * No bucket name or key ever becomes part of a path: a bucket lives in `buckets/<sha256 of its
 * name>/`, an object in `objects/<2 hex>/<sha256 of its key>` (see object-file.ts for what that
 * file holds), a multipart upload in `uploads/<upload id we generated>/`. Names and keys are kept
 * in the records, and listed from an index (the sorted keys of each bucket) read at boot.
 *
 * Every change is made under a temporary name in `tmp/` and committed by one rename (a bucket
 * directory, an object file, a part file, bucket.json), or undone by one rename out of place: a
 * crash at any moment leaves the state before or after, and what is left in `tmp/` is removed at
 * the next boot. Files are not flushed to the disk on each change (as the journal's records are
 * not): a killed process loses nothing it acknowledged; a power cut may.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { LocalLog } from '../../log';
import type { ChecksumAlgorithm } from './checksums';
import { readRecord, readRecordSync } from './object-file';
import { SortedKeys } from './sorted-keys';

export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  /** base64, as S3 answers it (`…-3` for a composite checksum of 3 parts). */
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

/** What an object's file records after its body. */
export interface ObjectRecord {
  key: string;
  size: number;
  /** Without quotes: an MD5 in hex, or `<hex>-<parts>` for a multipart upload. */
  etag: string;
  /** Milliseconds since the epoch. */
  lastModified: number;
  /** The HTTP headers stored with the object (content-type, cache-control…), lower-case names. */
  headers: Record<string, string>;
  /** User metadata (`x-amz-meta-<name>`), by lower-case name without the prefix. */
  metadata: Record<string, string>;
  checksum?: ObjectChecksum;
  /** The object's tags (x-amz-tagging, PutObjectTagging); absent when it has none. */
  tags?: Record<string, string>;
  /** The sizes of the parts of an object made by a multipart upload. */
  parts?: number[];
}

export interface PartRecord {
  partNumber: number;
  size: number;
  etag: string;
  lastModified: number;
  checksum?: ObjectChecksum;
}

/** A multipart upload: the object's headers and metadata as given when it was created. */
export interface UploadRecord {
  uploadId: string;
  key: string;
  initiated: number;
  headers: Record<string, string>;
  metadata: Record<string, string>;
  checksumAlgorithm?: ChecksumAlgorithm;
}

export interface Upload {
  readonly record: UploadRecord;
  readonly parts: Map<number, PartRecord>;
  readonly directory: string;
}

export interface Bucket {
  readonly name: string;
  /** Milliseconds since the epoch. */
  readonly created: number;
  readonly region: string;
  /** Sub-resource documents (cors, website…), by sub-resource name. */
  configurations: Record<string, unknown>;
  readonly keys: SortedKeys;
  readonly objects: Map<string, ObjectRecord>;
  readonly uploads: Map<string, Upload>;
  readonly directory: string;
}

interface BucketFile {
  name: string;
  created: number;
  region: string;
  configurations: Record<string, unknown>;
}

/** A stored file opened for reading: its record and body as of the moment it was opened. */
export interface OpenedFile<R> {
  record: R;
  /** The body from `start` to `end` inclusive; the file is closed when the stream ends. */
  body(start: number, end: number): Readable;
  close(): Promise<void>;
}

export type OpenedObject = OpenedFile<ObjectRecord>;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const HASH_NAME = /^[0-9a-f]{64}$/;
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const PART_FILE = /^part-(\d{5})$/;

const partFileName = (partNumber: number): string => `part-${String(partNumber).padStart(5, '0')}`;

export class ObjectStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly tmp: string;
  private readonly bucketsDirectory: string;

  private constructor(
    root: string,
    private readonly log: LocalLog,
  ) {
    this.tmp = join(root, 'tmp');
    this.bucketsDirectory = join(root, 'buckets');
  }

  /** Opens the store: removes what a crash left in `tmp/`, then reads every bucket's records. */
  static open(root: string, log: LocalLog): ObjectStore {
    const store = new ObjectStore(root, log);
    rmSync(store.tmp, { recursive: true, force: true });
    mkdirSync(store.tmp, { recursive: true });
    mkdirSync(store.bucketsDirectory, { recursive: true });
    for (const entry of readdirSync(store.bucketsDirectory)) {
      const bucket = store.loadBucket(join(store.bucketsDirectory, entry));
      if (bucket) store.buckets.set(bucket.name, bucket);
    }
    return store;
  }

  private warn(message: string): void {
    this.log.write('warn', 's3', message);
  }

  private loadBucket(directory: string): Bucket | undefined {
    let file: BucketFile;
    try {
      file = JSON.parse(readFileSync(join(directory, 'bucket.json'), 'utf8')) as BucketFile;
    } catch (error) {
      this.warn(`${directory} is not a bucket (${String(error)}): left as it is`);
      return undefined;
    }
    const objects = new Map<string, ObjectRecord>();
    const objectsDirectory = join(directory, 'objects');
    for (const shard of existsSync(objectsDirectory) ? readdirSync(objectsDirectory) : []) {
      for (const name of readdirSync(join(objectsDirectory, shard))) {
        const path = join(objectsDirectory, shard, name);
        try {
          const { record } = readRecordSync<ObjectRecord>(path);
          if (!HASH_NAME.test(name) || sha256(record.key) !== name) {
            throw new Error('its name is not the hash of its key');
          }
          objects.set(record.key, record);
        } catch (error) {
          this.warn(`${path} of bucket ${file.name} is unreadable (${String(error)}): skipped`);
        }
      }
    }
    const uploads = new Map<string, Upload>();
    const uploadsDirectory = join(directory, 'uploads');
    for (const id of existsSync(uploadsDirectory) ? readdirSync(uploadsDirectory) : []) {
      const upload = this.loadUpload(join(uploadsDirectory, id));
      if (upload && upload.record.uploadId === id) uploads.set(id, upload);
    }
    return { ...file, keys: new SortedKeys(objects.keys()), objects, uploads, directory };
  }

  private loadUpload(directory: string): Upload | undefined {
    try {
      const record = JSON.parse(
        readFileSync(join(directory, 'upload.json'), 'utf8'),
      ) as UploadRecord;
      const parts = new Map<number, PartRecord>();
      for (const name of readdirSync(directory)) {
        if (!PART_FILE.test(name)) continue;
        const part = readRecordSync<PartRecord>(join(directory, name)).record;
        parts.set(part.partNumber, part);
      }
      return { record, parts, directory };
    } catch (error) {
      this.warn(`${directory} is not a readable multipart upload (${String(error)}): skipped`);
      return undefined;
    }
  }

  /** Every bucket, by name. */
  listBuckets(): Bucket[] {
    return [...this.buckets.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  getBucket(name: string): Bucket | undefined {
    return this.buckets.get(name);
  }

  /** Whether `bucket` still exists (a request that started before a DeleteBucket checks this). */
  isLive(bucket: Bucket): boolean {
    return this.buckets.get(bucket.name) === bucket;
  }

  /** A fresh path in `tmp/` for a file being written; rename it into place with a commit. */
  tempPath(): string {
    return join(this.tmp, randomUUID());
  }

  /** Removes a temporary file that will not be committed. */
  discard(path: string): void {
    rmSync(path, { force: true });
  }

  /** Creates a bucket (the caller has checked its name and that it does not exist). */
  createBucket(
    name: string,
    region: string,
    created = Date.now(),
    configurations: Record<string, unknown> = {},
  ): Bucket {
    const staging = this.tempPath();
    mkdirSync(join(staging, 'objects'), { recursive: true });
    mkdirSync(join(staging, 'uploads'));
    const file: BucketFile = { name, created, region, configurations };
    writeFileSync(join(staging, 'bucket.json'), JSON.stringify(file));
    const directory = join(this.bucketsDirectory, sha256(name).slice(0, 40));
    renameSync(staging, directory);
    const bucket: Bucket = {
      ...file,
      keys: new SortedKeys(),
      objects: new Map(),
      uploads: new Map(),
      directory,
    };
    this.buckets.set(name, bucket);
    return bucket;
  }

  /** Deletes a bucket (the caller has checked that it is empty) and its unfinished uploads. */
  deleteBucket(bucket: Bucket): void {
    const trash = this.tempPath();
    renameSync(bucket.directory, trash);
    this.buckets.delete(bucket.name);
    rmSync(trash, { recursive: true, force: true });
  }

  /** Replaces the bucket's configuration documents (a Put or Delete of a sub-resource). */
  saveConfigurations(bucket: Bucket, configurations: Record<string, unknown>): void {
    const file: BucketFile = {
      name: bucket.name,
      created: bucket.created,
      region: bucket.region,
      configurations,
    };
    const staging = this.tempPath();
    writeFileSync(staging, JSON.stringify(file));
    renameSync(staging, join(bucket.directory, 'bucket.json'));
    bucket.configurations = configurations;
  }

  private objectPath(bucket: Bucket, key: string): { shard: string; path: string } {
    const hash = sha256(key);
    const shard = join(bucket.directory, 'objects', hash.slice(0, 2));
    return { shard, path: join(shard, hash) };
  }

  /**
   * Makes the complete file at `temp` the object `record.key`: the rename is the commit point.
   * Throws when the bucket was deleted meanwhile (the file is then removed).
   */
  commitObject(bucket: Bucket, temp: string, record: ObjectRecord): void {
    if (!this.isLive(bucket)) {
      this.discard(temp);
      throw new Error(`bucket ${bucket.name} was deleted`);
    }
    const { shard, path } = this.objectPath(bucket, record.key);
    mkdirSync(shard, { recursive: true });
    renameSync(temp, path);
    if (!bucket.objects.has(record.key)) bucket.keys.add(record.key);
    bucket.objects.set(record.key, record);
  }

  /** Deletes an object; false when there was none. */
  deleteObject(bucket: Bucket, key: string): boolean {
    if (!bucket.objects.has(key)) return false;
    try {
      unlinkSync(this.objectPath(bucket, key).path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    bucket.objects.delete(key);
    bucket.keys.delete(key);
    return true;
  }

  /** Opens an object for reading, or undefined when there is none. */
  async openObject(bucket: Bucket, key: string): Promise<OpenedObject | undefined> {
    if (!bucket.objects.has(key)) return undefined;
    const opened = await openStored<ObjectRecord>(this.objectPath(bucket, key).path);
    if (!opened) return undefined;
    if (opened.record.key !== key) {
      await opened.close();
      return undefined;
    }
    return opened;
  }

  /** Opens a part of a multipart upload for reading. */
  async openPart(upload: Upload, partNumber: number): Promise<OpenedFile<PartRecord> | undefined> {
    return openStored<PartRecord>(join(upload.directory, partFileName(partNumber)));
  }

  /** Starts a multipart upload under a new id. */
  createUpload(bucket: Bucket, record: Omit<UploadRecord, 'uploadId'>): Upload {
    const uploadId = randomBytes(16).toString('hex');
    const staging = this.tempPath();
    mkdirSync(staging);
    const full: UploadRecord = { uploadId, ...record };
    writeFileSync(join(staging, 'upload.json'), JSON.stringify(full));
    const directory = join(bucket.directory, 'uploads', uploadId);
    renameSync(staging, directory);
    const upload: Upload = { record: full, parts: new Map(), directory };
    bucket.uploads.set(uploadId, upload);
    return upload;
  }

  /** The upload `id` of the bucket, when the id is one we gave and is still open. */
  getUpload(bucket: Bucket, id: string): Upload | undefined {
    return UPLOAD_ID.test(id) ? bucket.uploads.get(id) : undefined;
  }

  /** Makes the complete file at `temp` part `part.partNumber` of the upload (replacing one). */
  commitPart(bucket: Bucket, upload: Upload, temp: string, part: PartRecord): void {
    if (bucket.uploads.get(upload.record.uploadId) !== upload || !this.isLive(bucket)) {
      this.discard(temp);
      throw new Error(`upload ${upload.record.uploadId} is no longer open`);
    }
    renameSync(temp, join(upload.directory, partFileName(part.partNumber)));
    upload.parts.set(part.partNumber, part);
  }

  /** Ends an upload (completed or aborted) and removes its parts. */
  removeUpload(bucket: Bucket, upload: Upload): void {
    if (bucket.uploads.get(upload.record.uploadId) !== upload) return;
    bucket.uploads.delete(upload.record.uploadId);
    const trash = this.tempPath();
    renameSync(upload.directory, trash);
    rmSync(trash, { recursive: true, force: true });
  }
}

async function openStored<R>(path: string): Promise<OpenedFile<R> | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { record } = await readRecord<R>(handle);
    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      await handle.close();
    };
    return {
      record,
      body: (start, end) => {
        closed = true;
        return handle.createReadStream({ start, end, autoClose: true });
      },
      close,
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
