/**
 * The shapes of the local DynamoDB: what it is started with. Nothing here imports from this
 * folder, so any module of it may import these without a circle.
 */
import type { LocalLog } from '../../log';
import type { TableSpec } from '../../stack/topology';

export interface TableServiceOptions {
  /** LevelDB directory; absent keeps the tables in memory. */
  directory?: string;
  tables: TableSpec[];
  region: string;
  log: LocalLog;
}
