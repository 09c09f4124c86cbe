/**
 * The local cloud's DynamoDB on its own: TableService (dynalite, in memory) with the given tables,
 * behind an AWS edge on a free port of 127.0.0.1.
 */
import { silentLog } from '../../src/log';
import { TableService } from '../../src/services/dynamodb/table-service';
import { serveEdge } from '../../src/services/edge/edge-server';
import type { TableRegistry } from '../../src/services/dynamodb/types';
import type { TableSpec } from '../../src/stack/topology';

export interface LocalDynamoDb {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startLocalDynamoDb(
  tables: TableSpec[],
  region = 'us-east-1',
  resources?: TableRegistry,
): Promise<LocalDynamoDb> {
  const service = await TableService.start({
    tables,
    region,
    log: silentLog,
    ...(resources ? { resources } : {}),
  });
  const server = await serveEdge([service], silentLog).catch(async (error: unknown) => {
    await service.stop();
    throw error;
  });
  return {
    endpoint: server.url,
    stop: async () => {
      await server.close();
      await service.stop();
    },
  };
}
