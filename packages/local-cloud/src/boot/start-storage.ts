/** Storage: DynamoDB and S3, with the stack's tables and buckets, started side by side. */
import { join } from 'node:path';
import { TableService } from '../services/dynamodb/table-service';
import { serviceInvokeProblem } from '../iam/service-invoke-permission';
import { ObjectStorage } from '../services/s3/object-storage';
import { unwind } from './started-services';
import type { BootContext, Started } from './types';

export interface Storage {
  readonly tables: TableService;
  readonly storage: ObjectStorage;
}

export async function startStorage({
  topology,
  resources,
  dataDir,
  log,
}: BootContext): Promise<Started<Storage>> {
  const { region } = topology;
  const [tables, storage] = await Promise.all([
    TableService.start({
      directory: join(dataDir, 'dynamodb'),
      tables: topology.tables,
      region,
      accountId: topology.accountId,
      log,
      resources,
    }),
    ObjectStorage.start({
      directory: join(dataDir, 's3'),
      buckets: topology.buckets,
      region,
      log,
      resources,
      destinationProblem: (bucketArn, functionArn) =>
        serviceInvokeProblem(topology, 's3.amazonaws.com', bucketArn, functionArn),
    }),
  ]);
  return {
    service: { tables, storage },
    stop: () => unwind([() => tables.stop(), () => storage.stop()]),
  };
}
