/**
 * One HTTP request exactly as written: the path is sent byte for byte (fetch and the SDKs resolve
 * `..` and `%2e%2e` before sending, which is what a hostile client does not do), with no header
 * added but Host and Content-Length.
 */
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  method: string;
  /** The request target, sent as it is (percent-escapes, dot segments and all). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export function rawRequest(endpoint: string, raw: RawRequest): Promise<RawAnswer> {
  const url = new URL(endpoint);
  const body = raw.body === undefined ? undefined : Buffer.from(raw.body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: raw.method,
        path: raw.path,
        headers: {
          ...(body ? { 'content-length': String(body.length) } : {}),
          ...raw.headers,
        },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: bytes,
            text: bytes.toString('utf8'),
          });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The text of `<name>` in an XML answer (the first one), for S3's error codes. */
export function xmlElementText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}
