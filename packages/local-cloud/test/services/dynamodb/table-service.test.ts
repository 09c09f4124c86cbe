/**
 * DynamoDB of the local cloud (dynalite in-process) as the edge reaches it: it listens on no port
 * of its own, and its LevelDB store lets go of what a request opened. Requests go through the AWS
 * endpoint's router, on a server of the spec's own, with the real SDK client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { eventually, listeningPorts } from '@serverless-week/test-support';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { silentLog } from '../../../src/log';
import { serveEdge } from '../../../src/services/edge/edge-server';
import type { EdgeServer } from '../../../src/services/edge/edge-server';
import { TableService } from '../../../src/services/dynamodb/table-service';
import type { TableSpec } from '../../../src/stack/topology';
import type * as AbstractLevelModule from 'abstract-level';

/** The abstract-level that dynalite's LevelDB store is built on (its own copy, wherever npm put it). */
const { AbstractLevel } = jest.requireActual<typeof AbstractLevelModule>(
  require.resolve('abstract-level', { paths: [dirname(require.resolve('dynalite'))] }),
);

const REGION = 'us-east-1';
const events: TableSpec = {
  address: 'aws_dynamodb_table.events',
  name: 'events',
  arn: `arn:aws:dynamodb:${REGION}:000000000000:table/events`,
  hashKey: 'feed',
  rangeKey: 'at',
  attributes: [
    { name: 'feed', type: 'S' },
    { name: 'at', type: 'S' },
  ],
  globalSecondaryIndexes: [],
  localSecondaryIndexes: [],
  billingMode: 'PAY_PER_REQUEST',
};

let directory: string;
let tables: TableService | undefined;
let endpoint: EdgeServer | undefined;
let client: DynamoDBClient | undefined;

async function startBehindEdge(): Promise<DynamoDBClient> {
  tables = await TableService.start({
    directory: join(directory, 'dynamodb'),
    tables: [events],
    region: REGION,
    log: silentLog,
  });
  endpoint = await serveEdge([tables], silentLog);
  client = new DynamoDBClient({
    endpoint: endpoint.url,
    region: REGION,
    credentials: DEFAULT_ADMIN_CREDENTIALS,
  });
  return client;
}

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'table-service-'));
});

afterEach(async () => {
  client?.destroy();
  await endpoint?.close();
  await tables?.stop();
  [tables, endpoint, client] = [undefined, undefined, undefined];
  jest.restoreAllMocks();
  rmSync(directory, { recursive: true, force: true });
});

it('creates the stack tables and answers through the edge, listening on no port of its own', async () => {
  // Given the ports this process listened on before
  const before = listeningPorts();

  // When the table service starts behind an edge on a port of the spec's own
  const dynamodb = await startBehindEdge();

  // Then its tables answer through the edge
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: events.name }));
  expect(Table?.TableStatus).toBe('ACTIVE');
  // and the only new listening port is the edge's
  const edgePort = Number(new URL(endpoint?.url ?? '').port);
  expect(listeningPorts()).toEqual([...before, edgePort].sort((a, b) => a - b));
});

it('closes the LevelDB iterator of every query, whether it stops at its Limit or reads to the end, and of every scan', async () => {
  // Given a table with 30 items of one partition, and a count of the store's open iterators
  const dynamodb = await startBehindEdge();
  for (let index = 0; index < 30; index++) {
    await dynamodb.send(
      new PutItemCommand({
        TableName: events.name,
        Item: { feed: { S: 'orders' }, at: { S: String(index).padStart(3, '0') } },
      }),
    );
  }
  const opened = jest.spyOn(AbstractLevel.prototype, 'attachResource');
  const closed = jest.spyOn(AbstractLevel.prototype, 'detachResource');
  const open = (): number => opened.mock.calls.length - closed.mock.calls.length;

  // When it answers 20 queries that stop at their Limit, 5 that read to the end, and 5 scans
  const partition = {
    TableName: events.name,
    KeyConditionExpression: 'feed = :feed',
    ExpressionAttributeValues: { ':feed': { S: 'orders' } },
  };
  for (let query = 0; query < 20; query++) {
    const page = await dynamodb.send(new QueryCommand({ ...partition, Limit: 5 }));
    expect(page.Items).toHaveLength(5);
  }
  for (let query = 0; query < 5; query++) {
    const all = await dynamodb.send(new QueryCommand(partition));
    expect(all.Items).toHaveLength(30);
  }
  for (let scan = 0; scan < 5; scan++) {
    await dynamodb.send(new ScanCommand({ TableName: events.name }));
  }

  // Then every iterator they opened is closed again (a close may finish just after its answer)
  expect(opened.mock.calls.length).toBeGreaterThanOrEqual(30);
  const allClosed = () => Promise.resolve(open() === 0 || undefined);
  await eventually(allClosed, { timeoutMs: 5000 }).catch(
    () => 'still open: the count says how many',
  );
  expect(open()).toBe(0);
});
