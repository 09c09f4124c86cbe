/**
 * The local cloud's S3, answering the requests the edge hands it (it has no port of its own), and
 * the website endpoint of a bucket. Every answer carries `x-amz-request-id`; every failure is S3's
 * error XML (an HTML page on the website endpoint), and an unexpected failure is an InternalError
 * that is logged, never a stack trace sent to the client.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { LocalLog } from '../../log';
import { answerPreflight, browserRequestHeaders } from './browser-requests';
import type { S3Context } from './s3-context';
import type { S3Answer, S3Call } from './types';
import { S3Error, errorXml, s3Errors } from './s3-errors';
import type { S3Location } from './s3-location';
import { locateS3Request, splitRequestTarget } from './s3-location';
import { route } from './s3-router';
import { serveWebsite, websiteErrorPage } from './website-hosting';

/** How long a stop waits for requests under way (a slow client's upload does not hold it longer). */
const DRAIN_MS = 5000;

const sourceIpOf = (request: IncomingMessage): string =>
  (request.socket?.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');

export class S3Service {
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly context: S3Context,
    private readonly log: LocalLog,
  ) {}

  /** Answers an S3 REST request. */
  handle(request: IncomingMessage, response: ServerResponse): void {
    this.track(this.serve(request, response, (requestId) => this.answerApi(request, requestId)));
  }

  /** Answers a GET or HEAD as the website endpoint of `bucket`. */
  serveWebsite(bucket: string, request: IncomingMessage, response: ServerResponse): void {
    this.track(
      this.serve(request, response, async (requestId) => {
        try {
          return await serveWebsite(this.context, bucket, request, sourceIpOf(request));
        } catch (error) {
          return websiteErrorPage(this.expected(error), requestId);
        }
      }),
    );
  }

  /** Stops taking requests and waits (a bounded time) for those under way. */
  async stop(): Promise<void> {
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS)));
    await Promise.race([Promise.allSettled([...this.inFlight]), bound]);
    clearTimeout(timer);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** The S3Error an operation raised, or InternalError (logged) for anything else. */
  private expected(error: unknown): S3Error {
    if (error instanceof S3Error) return error;
    this.log.write(
      'error',
      's3',
      `a request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return s3Errors.internalError();
  }

  private async answerApi(request: IncomingMessage, requestId: string): Promise<S3Answer> {
    const { rawPath, search } = splitRequestTarget(request.url ?? '/');
    const call: S3Call = {
      request,
      method: (request.method ?? 'GET').toUpperCase(),
      headers: request.headers,
      query: new URLSearchParams(search),
      sourceIp: sourceIpOf(request),
    };
    let cors: Record<string, string> | undefined;
    try {
      const location: S3Location = locateS3Request(rawPath, request.headers.host);
      if (call.method === 'OPTIONS') return answerPreflight(this.context, call, location);
      cors = browserRequestHeaders(this.context, call, location);
      const answer = await route(this.context, call, location);
      return cors ? { ...answer, headers: { ...cors, ...answer.headers } } : answer;
    } catch (error) {
      const failure = this.expected(error);
      return {
        status: failure.status,
        headers: { 'content-type': 'application/xml', ...cors, ...failure.headers },
        body: call.method === 'HEAD' ? '' : errorXml(failure, rawPath, requestId),
      };
    }
  }

  private async serve(
    request: IncomingMessage,
    response: ServerResponse,
    answer: (requestId: string) => Promise<S3Answer>,
  ): Promise<void> {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const result = this.stopping
      ? {
          status: 503,
          headers: { 'content-type': 'application/xml' },
          body: errorXml(s3Errors.serviceUnavailable(), '/', requestId),
        }
      : await answer(requestId);
    const headers: Record<string, string> = {
      'x-amz-request-id': requestId,
      'x-amz-id-2': randomBytes(24).toString('base64'),
      server: 'AmazonS3',
      ...result.headers,
    };
    try {
      if (result.stream) {
        response.writeHead(result.status, headers);
        if (request.method === 'HEAD') {
          result.stream.destroy();
          response.end();
        } else {
          await pipeline(result.stream, response);
        }
        return;
      }
      const body = result.body ?? '';
      // A HEAD answer (no body) says the length of the object it describes.
      if (result.body !== undefined || headers['content-length'] === undefined) {
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      response.writeHead(result.status, headers);
      response.end(body);
    } catch (error) {
      // The client went away mid-answer: nothing is left to tell it.
      result.stream?.destroy();
      response.destroy(error instanceof Error ? error : undefined);
    }
  }
}
