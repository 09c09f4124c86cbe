/**
 * Receives the body of a PutObject or UploadPart into a file, as it streams in: decodes
 * aws-chunked framing, counts the bytes against the size limit, and computes the digests the
 * request asks S3 to check (Content-MD5, x-amz-content-sha256, x-amz-checksum-* as a header or an
 * aws-chunked trailer). A body that fails a check is refused with S3's error and never committed.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, Transform, Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsChunkedDecoder, isAwsChunked } from './aws-chunked';
import type { ChecksumAlgorithm, Hasher } from './checksums';
import {
  CHECKSUM_ALGORITHMS,
  checksumAlgorithmOf,
  checksumHeader,
  createHasher,
  DIGEST_BYTES,
} from './checksums';
import type { ObjectChecksum } from './object-store';
import { s3Errors } from './s3-errors';

/** S3's largest single PUT (and part): 5 GiB. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;

interface ChecksumExpectation {
  algorithm: ChecksumAlgorithm;
  /** base64, from the header; undefined when it comes in the trailer or is not given. */
  value?: string;
  inTrailer: boolean;
}

export interface BodyExpectations {
  chunked: boolean;
  /** The object's size as the request announces it (x-amz-decoded-content-length when chunked). */
  length?: number;
  contentMd5?: Buffer;
  /** The hex SHA-256 the request was signed with, when it signed its payload. */
  sha256?: string;
  checksum?: ChecksumExpectation;
}

export interface ReceivedBody {
  size: number;
  md5: Buffer;
  checksum?: ObjectChecksum;
}

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

function decodedDigest(value: string, bytes: number): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const digest = Buffer.from(value, 'base64');
  return digest.length === bytes && digest.toString('base64') === value ? digest : undefined;
}

function lengthOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,16}$/.test(value))
    throw s3Errors.invalidArgument('Invalid content length', 'Content-Length', value);
  return Number(value);
}

function checksumExpectation(
  headers: IncomingHttpHeaders,
  defaultAlgorithm: ChecksumAlgorithm | undefined,
): ChecksumExpectation | undefined {
  const given = CHECKSUM_ALGORITHMS.filter(
    (algorithm) => single(headers[checksumHeader(algorithm)]) !== undefined,
  );
  const trailer = single(headers['x-amz-trailer'])?.trim().toLowerCase();
  if (given.length + (trailer ? 1 : 0) > 1) {
    throw s3Errors.invalidRequest(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const [algorithm] = given;
  if (algorithm) {
    const value = single(headers[checksumHeader(algorithm)]) ?? '';
    if (!decodedDigest(value, DIGEST_BYTES[algorithm])) {
      throw s3Errors.invalidRequest(`Value for ${checksumHeader(algorithm)} header is invalid.`);
    }
    return { algorithm, value, inTrailer: false };
  }
  if (trailer) {
    const named = trailer.startsWith('x-amz-checksum-')
      ? checksumAlgorithmOf(trailer.slice('x-amz-checksum-'.length))
      : undefined;
    if (!named)
      throw s3Errors.invalidRequest(
        'The value specified in the x-amz-trailer header is not supported',
      );
    return { algorithm: named, inTrailer: true };
  }
  const sdk = single(headers['x-amz-sdk-checksum-algorithm']);
  if (sdk !== undefined) {
    const named = checksumAlgorithmOf(sdk);
    if (!named)
      throw s3Errors.invalidRequest('Value for x-amz-sdk-checksum-algorithm header is invalid.');
    return { algorithm: named, inTrailer: false };
  }
  return defaultAlgorithm ? { algorithm: defaultAlgorithm, inTrailer: false } : undefined;
}

/**
 * What the request's headers say its body must be; throws S3's error for a malformed digest or a
 * body larger than S3 takes. `defaultAlgorithm` is computed when the request names none (the
 * algorithm a multipart upload was created with).
 */
export function bodyExpectations(
  headers: IncomingHttpHeaders,
  defaultAlgorithm?: ChecksumAlgorithm,
): BodyExpectations {
  const chunked = isAwsChunked(headers);
  const length = lengthOf(
    single(chunked ? headers['x-amz-decoded-content-length'] : headers['content-length']),
  );
  if (length !== undefined && length > MAX_PUT_BYTES)
    throw s3Errors.entityTooLarge(length, MAX_PUT_BYTES);
  const md5 = single(headers['content-md5']);
  const contentMd5 = md5 === undefined ? undefined : decodedDigest(md5, 16);
  if (md5 !== undefined && !contentMd5) throw s3Errors.invalidDigest();
  const payload = single(headers['x-amz-content-sha256']);
  const sha256 = payload && /^[0-9a-f]{64}$/i.test(payload) ? payload.toLowerCase() : undefined;
  const checksum = checksumExpectation(headers, defaultAlgorithm);
  return {
    chunked,
    ...(length === undefined ? {} : { length }),
    ...(contentMd5 ? { contentMd5 } : {}),
    ...(sha256 ? { sha256 } : {}),
    ...(checksum ? { checksum } : {}),
  };
}

/** Passes bytes through, counting and hashing them; refuses more than the limit. */
function meter(hashers: Hasher[], onBytes: (count: number) => void): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > MAX_PUT_BYTES) {
        done(s3Errors.entityTooLarge(size, MAX_PUT_BYTES));
        return;
      }
      for (const hasher of hashers) hasher.update(chunk);
      onBytes(size);
      done(null, chunk);
    },
  });
}

/**
 * The source as a stream the pipeline may destroy on a failure without destroying the source: a
 * request refused halfway (too large, malformed framing) keeps its connection, so it can still be
 * answered with S3's error; the rest of its body is read and dropped.
 */
function detached(source: Readable): { input: Readable; release: () => void } {
  const input = new PassThrough();
  const fail = (error: Error): void => {
    input.destroy(error);
  };
  const closed = (): void => {
    if (!source.readableEnded)
      fail(new Error('the client closed the connection before the end of the body'));
  };
  source.on('error', fail);
  source.on('close', closed);
  source.pipe(input);
  return {
    input,
    release: () => {
      source.off('error', fail);
      source.off('close', closed);
      source.unpipe(input);
      source.resume();
    },
  };
}

/** Streams the body into `sink` (a new file) and checks it; throws S3's error when it fails. */
export async function receiveBody(
  source: Readable,
  expected: BodyExpectations,
  sink: Writable,
): Promise<ReceivedBody> {
  const md5 = createHasher('MD5');
  const checksum = expected.checksum ? createHasher(expected.checksum.algorithm) : undefined;
  const payload = expected.sha256 ? createHasher('SHA256') : undefined;
  let size = 0;
  const decoder = expected.chunked ? new AwsChunkedDecoder() : undefined;
  const { input, release } = detached(source);
  await pipeline([
    input,
    // The signed payload hash covers the bytes as sent, before any decoding.
    ...(payload ? [meter([payload], () => undefined)] : []),
    ...(decoder ? [decoder] : []),
    meter(checksum ? [md5, checksum] : [md5], (count) => (size = count)),
    sink,
  ]).finally(release);
  if (expected.length !== undefined && size !== expected.length) throw s3Errors.incompleteBody();
  const digest = md5.digest();
  if (expected.contentMd5 && !digest.equals(expected.contentMd5)) {
    throw s3Errors.badDigest('The Content-MD5 you specified did not match what we received.');
  }
  if (payload && expected.sha256) {
    const computed = payload.digest().toString('hex');
    if (computed !== expected.sha256)
      throw s3Errors.contentSha256Mismatch(expected.sha256, computed);
  }
  if (!checksum || !expected.checksum) return { size, md5: digest };
  const { algorithm } = expected.checksum;
  const value = checksum.digest().toString('base64');
  const claimed = expected.checksum.inTrailer
    ? decoder?.trailers.get(checksumHeader(algorithm))
    : expected.checksum.value;
  if (expected.checksum.inTrailer && claimed === undefined) {
    throw s3Errors.invalidRequest(`The ${checksumHeader(algorithm)} trailer was not sent.`);
  }
  if (claimed !== undefined && claimed !== value) {
    throw s3Errors.badDigest(
      `The ${algorithm} you specified did not match the calculated checksum.`,
    );
  }
  return { size, md5: digest, checksum: { algorithm, value, type: 'FULL_OBJECT' } };
}

/** XML documents of S3 requests are small; S3 refuses larger ones. */
const MAX_XML_BYTES = 2 * 1024 * 1024;

/** Receives a request's (XML) body into memory, checked as any body is. */
export async function receiveSmallBody(
  source: Readable,
  expected: BodyExpectations,
): Promise<Buffer> {
  if (expected.length !== undefined && expected.length > MAX_XML_BYTES) {
    throw s3Errors.maxMessageLengthExceeded();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const collector = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > MAX_XML_BYTES) {
        done(s3Errors.maxMessageLengthExceeded());
        return;
      }
      chunks.push(chunk);
      done();
    },
  });
  await receiveBody(source, expected, collector);
  return Buffer.concat(chunks);
}
