/** The table `npm start` prints once the local cloud is up. */
import { DEFAULT_ADMIN_CREDENTIALS } from './credentials';
import type { LocalCloud } from './local-cloud';
import type { StackTopology } from './stack/topology';

/** What the table counts of the stack. */
type Counted =
  | 'restApis'
  | 'httpApis'
  | 'functions'
  | 'tables'
  | 'buckets'
  | 'queues'
  | 'topics'
  | 'stateMachines';

export interface TableDetails {
  /** The data directory, absolute. */
  dataDir: string;
  bootMs: number;
  /** How to start again with no data (default: the `--reset` flag). */
  resetCommand?: string;
}

export function endpointTable(
  cloud: Pick<LocalCloud, 'endpoints' | 'adminCredentials'> & {
    topology: Pick<StackTopology, Counted>;
  },
  details: TableDetails,
): string {
  const { endpoints, topology, adminCredentials } = cloud;
  const rows: [string, string, string][] = [
    ['website', endpoints.web, 'the web app, from the website bucket'],
    ['api', endpoints.api, `REST API (${topology.restApis[0]?.name ?? 'none'})`],
    ['httpApi', endpoints.httpApi, `HTTP API (${topology.httpApis[0]?.name ?? 'none'})`],
    ['aws', endpoints.aws, 'AWS endpoint: --endpoint-url for the SDK and the AWS CLI'],
  ];
  const width = (column: 0 | 1 | 2): number => Math.max(...rows.map((row) => row[column].length));
  const line = (left: string, middle: string, right: string, fill: string): string =>
    `${left}${fill.repeat(width(0) + 2)}${middle}${fill.repeat(width(1) + 2)}${middle}${fill.repeat(width(2) + 2)}${right}`;
  const body = rows.map(
    (row) =>
      `│ ${row[0].padEnd(width(0))} │ ${row[1].padEnd(width(1))} │ ${row[2].padEnd(width(2))} │`,
  );
  const count = (items: unknown[], noun: string): string =>
    `${items.length} ${noun}${items.length === 1 ? '' : 's'}`;
  const counts = [
    count(topology.functions, 'function'),
    count(topology.tables, 'table'),
    count(topology.buckets, 'bucket'),
    count(topology.queues, 'queue'),
    count(topology.topics, 'topic'),
    count(topology.stateMachines, 'state machine'),
  ].join(', ');
  const { dataDir } = details;
  // A secret of the user's own choosing is not printed; the well-known default is.
  const isDefault =
    adminCredentials.accessKeyId === DEFAULT_ADMIN_CREDENTIALS.accessKeyId &&
    adminCredentials.secretAccessKey === DEFAULT_ADMIN_CREDENTIALS.secretAccessKey;
  const secret = isDefault
    ? `AWS_SECRET_ACCESS_KEY=${adminCredentials.secretAccessKey}`
    : `the secret from ${dataDir}/endpoints.json`;
  return [
    line('┌', '┬', '┐', '─'),
    ...body,
    line('└', '┴', '┘', '─'),
    `${counts}; ready in ${(details.bootMs / 1000).toFixed(1)} s`,
    `aws endpoint: sign as the administrator with AWS_ACCESS_KEY_ID=${adminCredentials.accessKeyId} and ${secret}`,
    `data in ${dataDir}/ (tables, objects, queues, logs…; endpoints and credentials in endpoints.json)`,
    `to start with no data: ${details.resetCommand ?? 'the --reset flag'}, or stop, then rm -rf ${dataDir}`,
    'Ctrl+C stops',
  ].join('\n');
}
