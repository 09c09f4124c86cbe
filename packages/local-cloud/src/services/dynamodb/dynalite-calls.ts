/**
 * dynalite reached in this process, as a client of DynamoDB's JSON protocol: each call is an HTTP
 * request through an in-memory connection, signed as the client's request was, answered with
 * dynalite's status and JSON.
 */
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { JsonObject } from '../../json';
import { isObject } from '../../json';
import { InProcessAgent } from '../edge/in-process-agent';
import { DynamoError } from './dynamodb-answers';

export interface DynaliteAnswer {
  status: number;
  body: Buffer;
  json: JsonObject;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const textOf = (value: unknown, fallback: string): string =>
  typeof value === 'string' ? value : fallback;

export class DynaliteCalls {
  constructor(private readonly dynalite: Server) {}

  /** A table's description, or undefined when dynalite has no such table. */
  async describe(name: string, headers: IncomingHttpHeaders): Promise<JsonObject | undefined> {
    const answer = await this.call('DescribeTable', { TableName: name }, headers);
    if (answer.status === 200 && isObject(answer.json.Table)) return answer.json.Table;
    const type = textOf(answer.json.__type, 'InternalServerError');
    if (type.endsWith('ResourceNotFoundException')) return undefined;
    throw new DynamoError(
      type.split('#').pop() ?? type,
      textOf(answer.json.message, 'DescribeTable failed'),
    );
  }

  /** Waits (milliseconds, locally) until a new table is ACTIVE. */
  async untilActive(name: string, headers: IncomingHttpHeaders): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const table = await this.describe(name, headers);
      if (!table || table.TableStatus === 'ACTIVE') return;
      await sleep(5);
    }
  }

  /** Sends one operation to dynalite, in this process, as the client's request signed it. */
  call(
    operation: string,
    input: JsonObject | Buffer,
    headers: IncomingHttpHeaders,
  ): Promise<DynaliteAnswer> {
    const body = Buffer.isBuffer(input) ? input : Buffer.from(JSON.stringify(input));
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          agent: new InProcessAgent(this.dynalite),
          method: 'POST',
          path: '/',
          headers: {
            'content-type': headers['content-type'] ?? 'application/x-amz-json-1.0',
            authorization: headers.authorization ?? 'AWS4-HMAC-SHA256 local-cloud',
            'x-amz-date': headers['x-amz-date'] ?? '',
            'x-amz-target': `DynamoDB_20120810.${operation}`,
            'content-length': String(body.length),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const all = Buffer.concat(chunks);
            let json: unknown;
            try {
              json = JSON.parse(all.toString('utf8'));
            } catch {
              json = {};
            }
            resolve({
              status: response.statusCode ?? 500,
              body: all,
              json: isObject(json) ? json : {},
            });
          });
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }
}
