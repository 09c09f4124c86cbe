/**
 * Decodes an `aws-chunked` body, the framing SDKs use to stream an upload whose checksum is sent
 * after it: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0[;…]\r\n` then trailer lines
 * (`x-amz-checksum-crc32:…`, `x-amz-trailer-signature:…`) and an empty line. Both the signed
 * (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]) and unsigned (STREAMING-UNSIGNED-PAYLOAD-TRAILER)
 * forms are read; chunk signatures are not checked (the IAM gate checks the request's signature).
 * What passes through is the object's bytes; the trailers are kept for the caller to check.
 */
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { S3Error } from './s3-errors';
import { s3Errors } from './s3-errors';

/** A size line or trailer line longer than this is not aws-chunked framing. */
const MAX_LINE = 4096;
const CRLF = Buffer.from('\r\n');

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

const malformed = (why: string): S3Error =>
  s3Errors.invalidRequest(`The aws-chunked body is malformed: ${why}.`);

export class AwsChunkedDecoder extends Transform {
  /** Trailer headers by lower-case name, once the body has ended. */
  readonly trailers = new Map<string, string>();
  private state: State = 'size';
  private line = Buffer.alloc(0);
  private remaining = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(chunk);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    // A client may leave out the empty line that ends the trailers.
    if (this.state === 'done' || (this.state === 'trailer' && this.line.length === 0)) done();
    else done(s3Errors.incompleteBody());
  }

  private consume(input: Buffer): void {
    let chunk = input;
    while (chunk.length > 0) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length);
        this.push(chunk.subarray(0, take));
        this.remaining -= take;
        chunk = chunk.subarray(take);
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      if (this.state === 'done') throw malformed('bytes after the last chunk');
      const end = chunk.indexOf(0x0a);
      const piece = chunk.subarray(0, end < 0 ? chunk.length : end + 1);
      this.line = Buffer.concat([this.line, piece]);
      chunk = chunk.subarray(piece.length);
      if (this.line.length > MAX_LINE) throw malformed('a line too long');
      if (end < 0) return;
      const line = this.line;
      this.line = Buffer.alloc(0);
      if (line.length < 2 || !line.subarray(line.length - 2).equals(CRLF)) {
        throw malformed('a line not ended by CRLF');
      }
      this.readLine(line.subarray(0, line.length - 2).toString('latin1'));
    }
  }

  private readLine(line: string): void {
    switch (this.state) {
      case 'data-end':
        if (line !== '') throw malformed('a chunk longer than its size');
        this.state = 'size';
        return;
      case 'size': {
        const size = /^([0-9a-fA-F]{1,16})(?:;.*)?$/.exec(line)?.[1];
        if (size === undefined) throw malformed('a chunk size that is not hexadecimal');
        this.remaining = parseInt(size, 16);
        if (!Number.isSafeInteger(this.remaining)) throw malformed('a chunk size too large');
        this.state = this.remaining === 0 ? 'trailer' : 'data';
        return;
      }
      case 'trailer': {
        if (line === '') {
          this.state = 'done';
          return;
        }
        const colon = line.indexOf(':');
        if (colon <= 0) throw malformed('a trailer that is not "name:value"');
        this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        return;
      }
      default:
        throw malformed('an unexpected line');
    }
  }
}

/** Whether a request's body is aws-chunked, by its payload hash or its Content-Encoding. */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const payload = headers['x-amz-content-sha256'];
  if (typeof payload === 'string' && payload.startsWith('STREAMING-')) return true;
  const encoding = headers['content-encoding'];
  return (
    typeof encoding === 'string' &&
    encoding
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .includes('aws-chunked')
  );
}
