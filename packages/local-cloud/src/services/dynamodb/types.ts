/**
 * The shapes of the local DynamoDB: what it is started with. Nothing here imports from this
 * folder, so any module of it may import these without a circle.
 */
import type { LocalLog } from '../../log';
import type { TableSpec } from '../../stack/topology';

export interface TableServiceOptions {
  /** LevelDB directory; absent keeps the tables in memory. */
  directory?: string;
  tables: readonly TableSpec[];
  region: string;
  log: LocalLog;
  /** Default: the local account. */
  accountId?: string;
  /** The model of resources, where each table's spec (and its settings) is kept. */
  resources?: TableRegistry;
}

/** The part of the resource registry the tables write to. */
export interface TableRegistry {
  get(kind: 'tables', key: string): TableSpec | undefined;
  put(kind: 'tables', spec: TableSpec): void;
  remove(kind: 'tables', key: string): unknown;
}
