/**
 * The errors a port answers itself, before any service sees the request (it was malformed, too
 * slow, too large, or addressed to a name that is not this machine), each in its port's shape:
 * the API's JSON `{message}` with its CORS headers, an AWS-style error on the AWS port, plain
 * text on the website.
 */
import { STATUS_CODES } from 'node:http';
import type { ServerResponse } from 'node:http';
import { escapeXml } from '../../xml-escape';

export interface EndpointError {
  status: number;
  /** An AWS-style code: RequestTimeout, BadRequest… */
  code: string;
  message: string;
}

/** An answer whose headers keep their case and may repeat. */
export interface ErrorAnswer {
  status: number;
  headers: [name: string, value: string][];
  body: string | Buffer;
}

export type ErrorShape = (error: EndpointError) => ErrorAnswer;

/** `{"message": …}`, as the booting ports and API Gateway answer. */
export const jsonErrorShape: ErrorShape = ({ status, message }) => ({
  status,
  headers: [['Content-Type', 'application/json']],
  body: JSON.stringify({ message }),
});

/**
 * `{"message": …}` that the page at `origin` may read: the API port's answers before its gateway
 * (whose CORS configuration says the same of the website's origin) is attached.
 */
export const corsJsonErrorShape =
  (origin: string): ErrorShape =>
  (error) => {
    const answer = jsonErrorShape(error);
    return {
      ...answer,
      headers: [...answer.headers, ['Access-Control-Allow-Origin', origin], ['Vary', 'Origin']],
    };
  };

/** The AWS port, before it knows the service: S3's error document, which names the code. */
export const awsErrorShape: ErrorShape = ({ status, code, message }) => ({
  status,
  headers: [['Content-Type', 'application/xml']],
  body:
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>`,
});

/** The website port: what S3 website hosting would say, in plain text. */
export const plainErrorShape: ErrorShape = ({ status, message }) => ({
  status,
  headers: [['Content-Type', 'text/plain; charset=utf-8']],
  body: `${status} ${STATUS_CODES[status] ?? ''}: ${message}\n`,
});

const bodyOf = (answer: ErrorAnswer): Buffer =>
  typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;

/** Through Node's response, for a request that did arrive whole. */
export function writeErrorAnswer(response: ServerResponse, answer: ErrorAnswer): void {
  const body = bodyOf(answer);
  response.writeHead(answer.status, [
    ...answer.headers.flat(),
    'Content-Length',
    String(body.length),
  ]);
  response.end(body);
}

/** As bytes on the socket, for a request Node could not finish reading; the connection closes. */
export function rawErrorAnswer(answer: ErrorAnswer): Buffer {
  const body = bodyOf(answer);
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}`,
    ...answer.headers.map(([name, value]) => `${name}: ${value.replace(/[\r\n]/g, ' ')}`),
    `Content-Length: ${body.length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
