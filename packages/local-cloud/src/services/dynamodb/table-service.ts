/// <reference path="./dynalite.d.ts" />
/**
 * DynamoDB of the local cloud: dynalite, answering the requests the edge hands it in-process,
 * listening on no port of its own, keeping its tables in a LevelDB directory so they survive a
 * restart. The stack's tables are created at boot if they do not exist yet.
 *
 * What dynalite lacks of the control plane (TTL, point-in-time recovery, deletion protection, KMS
 * encryption, tags on create) is answered around it by TableControl, from the tables' specs in the
 * model of resources; items never expire locally. dynalite has no streams or Transact*
 * operations. patches/dynalite+*.patch
 * closes the LevelDB iterator of every Query and Scan, and the store of a server that never
 * listened.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput, Projection } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { TableSpec } from '../../stack/topology';
import { LOCAL_ACCOUNT_ID } from '../../stack/topology';
import { buffered, readBody, replay } from '../edge/edge-service';
import type { EdgeService } from '../edge/types';
import { InProcessAgent } from '../edge/in-process-agent';
import { controlOperationOf, TableControl } from './table-control';

import type { TableRegistry, TableServiceOptions } from './types';

export function createTableInput(table: TableSpec): CreateTableCommandInput {
  const projection = (index: {
    projectionType: Projection['ProjectionType'];
    nonKeyAttributes?: string[];
  }): Projection => ({
    ProjectionType: index.projectionType,
    ...(index.nonKeyAttributes ? { NonKeyAttributes: index.nonKeyAttributes } : {}),
  });
  const keySchema = (hashKey: string, rangeKey?: string) => [
    { AttributeName: hashKey, KeyType: 'HASH' as const },
    ...(rangeKey ? [{ AttributeName: rangeKey, KeyType: 'RANGE' as const }] : []),
  ];
  const provisioned = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
  const onDemand = table.billingMode === 'PAY_PER_REQUEST';
  return {
    TableName: table.name,
    AttributeDefinitions: table.attributes.map((attribute) => ({
      AttributeName: attribute.name,
      AttributeType: attribute.type,
    })),
    KeySchema: keySchema(table.hashKey, table.rangeKey),
    BillingMode: table.billingMode,
    ...(onDemand ? {} : { ProvisionedThroughput: provisioned }),
    ...(table.globalSecondaryIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.hashKey, index.rangeKey),
            Projection: projection(index),
            ...(onDemand ? {} : { ProvisionedThroughput: provisioned }),
          })),
        }
      : {}),
    ...(table.localSecondaryIndexes.length > 0
      ? {
          LocalSecondaryIndexes: table.localSecondaryIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(table.hashKey, index.rangeKey),
            Projection: projection(index),
          })),
        }
      : {}),
  };
}

/**
 * dynalite, but a body of `null` is refused as DynamoDB refuses it (SerializationException):
 * dynalite reads the fields of whatever JSON it parses, outside any handler, so `null` would end
 * the process. Every request to dynalite (the edge's, the control plane's) comes this way.
 */
function refusingNull(server: Server): Server {
  const answer = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    readBody(request).then(
      (body) => {
        if (body.toString('utf8').trim() !== 'null') {
          const again = replay(request, body);
          for (const listener of answer) listener(again, response);
          return;
        }
        const refusal = JSON.stringify({
          __type: 'com.amazon.coral.service#SerializationException',
        });
        response.writeHead(400, {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': String(refusal.length),
        });
        response.end(refusal);
      },
      // The client went away, or sent more than the edge reads (which the IAM gate answers first).
      () => response.destroy(),
    );
  });
  return server;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates a table as the stack declares it and waits until it and its indexes are ACTIVE. */
export async function createTable(client: DynamoDBClient, table: TableSpec): Promise<void> {
  await client.send(new CreateTableCommand(createTableInput(table)));
  // The SDK's waiter polls every 20 s; dynalite is ready within milliseconds.
  for (let attempt = 0; attempt < 500; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.name }));
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    if (Table?.TableStatus === 'ACTIVE' && indexes.every((gsi) => gsi.IndexStatus === 'ACTIVE')) {
      return;
    }
    await sleep(5);
  }
  throw new Error(`Table ${table.name} did not become ACTIVE`);
}

/** The tables' specs in memory, for a service started without the model of resources. */
function tablesInMemory(): TableRegistry {
  const specs = new Map<string, TableSpec>();
  return {
    get: (_kind, key) => specs.get(key),
    put: (_kind, spec) => void specs.set(spec.arn, spec),
    remove: (_kind, key) => specs.delete(key),
  };
}

export class TableService implements EdgeService {
  readonly signingName = 'dynamodb';
  private readonly server: Server;
  private readonly control: TableControl;
  private readonly answerControl: EdgeService['handle'];

  private constructor(private readonly options: TableServiceOptions) {
    if (options.directory) mkdirSync(options.directory, { recursive: true });
    this.server = refusingNull(
      dynalite({
        createTableMs: 0,
        deleteTableMs: 0,
        updateTableMs: 0,
        ...(options.directory ? { path: options.directory } : {}),
      }),
    );
    this.control = new TableControl(this.server, options.resources ?? tablesInMemory(), {
      region: options.region,
      accountId: options.accountId ?? LOCAL_ACCOUNT_ID,
    });
    this.answerControl = buffered(this.signingName, (request) => {
      const operation = controlOperationOf(request.headers['x-amz-target']);
      return operation
        ? this.control.answer(operation, request)
        : Promise.reject(new Error('not a control-plane operation'));
    });
  }

  /** Opens the store and creates the stack's tables that do not exist yet. */
  static async start(options: TableServiceOptions): Promise<TableService> {
    const service = new TableService(options);
    try {
      await service.createTables();
    } catch (error) {
      await service.stop();
      throw error;
    }
    return service;
  }

  readonly handle: EdgeService['handle'] = (request, response, caller) => {
    if (controlOperationOf(request.headers['x-amz-target'])) {
      this.answerControl(request, response, caller);
    } else {
      this.server.emit('request', request, response);
    }
  };

  private async createTables(): Promise<void> {
    // The SDK's requests reach dynalite through an in-memory connection: the host is never dialled.
    const client = new DynamoDBClient({
      endpoint: 'http://dynamodb.in-process',
      region: this.options.region,
      credentials: { accessKeyId: 'local-cloud', secretAccessKey: 'local-cloud' },
      requestHandler: { httpAgent: new InProcessAgent(this.server) },
    });
    try {
      for (const table of this.options.tables) {
        if (await this.exists(client, table.name)) continue;
        await createTable(client, table);
        const ttl = table.ttlAttribute
          ? ` (items do not expire on ${table.ttlAttribute} locally)`
          : '';
        this.options.log.write('info', 'dynamodb', `created table ${table.name}${ttl}`);
      }
    } finally {
      client.destroy();
    }
  }

  private async exists(client: DynamoDBClient, name: string): Promise<boolean> {
    try {
      await client.send(new DescribeTableCommand({ TableName: name }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }

  /** Closes the LevelDB store once its pending operations are done. */
  stop(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}
