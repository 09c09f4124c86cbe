/** The local CloudWatch Logs API over a log store, on an edge server, and a real client of it. */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../src/credentials';
import { silentLog } from '../../src/log';
import { serveEdge } from '../../src/services/edge/edge-server';
import type { LogStore } from '../../src/services/logs/log-store';
import { LogsService } from '../../src/services/logs/logs-service';

export const LOGS_REGION = 'us-east-1';
export const LOGS_ACCOUNT = '000000000000';

export interface ServedLogs {
  logs: CloudWatchLogsClient;
  /** Stops the client, then the server (the store stays open). */
  close(): Promise<void>;
}

export async function serveLogs(store: LogStore): Promise<ServedLogs> {
  const edge = await serveEdge(
    [new LogsService(store, { region: LOGS_REGION, accountId: LOGS_ACCOUNT })],
    silentLog,
  );
  const logs = new CloudWatchLogsClient({
    endpoint: edge.url,
    region: LOGS_REGION,
    credentials: DEFAULT_ADMIN_CREDENTIALS,
    maxAttempts: 1,
  });
  return {
    logs,
    close: async () => {
      logs.destroy();
      await edge.close();
    },
  };
}
