/**
 * CloudWatch Logs: each function's log group (`/aws/lambda/<name>`, as its stack declares it) and
 * the stack's other log groups, kept in <dataDir>/logs with those the control plane creates, and
 * the sink Lambda writes a runtime instance's lines to, if the function's role lets it (as AWS
 * writes them with the role).
 */
import { join } from 'node:path';
import type { ServiceLinks } from '../iam/service-links';
import type { FunctionLogSink } from '../services/lambda/types';
import { LogStore } from '../services/logs/log-store';
import { LogsService } from '../services/logs/logs-service';
import type { BootContext, Started } from './types';

export interface FunctionLogs {
  /** The Logs API, for the AWS endpoint. */
  readonly service: LogsService;
  /** Where the runtime sends the functions' lines. */
  readonly sink: FunctionLogSink;
  /** Whether a log group exists (Step Functions checks a logging configuration's). */
  hasGroup: (name: string) => boolean;
}

export function startLogs(
  { topology, dataDir, log }: BootContext,
  links: ServiceLinks,
  maxGroupBytes?: number,
): Started<FunctionLogs> {
  const store = new LogStore({
    directory: join(dataDir, 'logs'),
    groups: topology.functions.map((fn) => fn.logGroupName),
    warn: (message) => log.write('warn', 'logs', message),
    ...(maxGroupBytes !== undefined ? { maxGroupBytes } : {}),
  });
  // The stack's log groups exist from the boot, with its retention and tags (as deployed).
  for (const { name, retentionInDays, tags } of topology.logGroups) {
    const settings = {
      ...(retentionInDays !== undefined ? { retentionInDays } : {}),
      ...(tags ? { tags } : {}),
    };
    if (!store.createGroup(name, settings)) {
      store.updateSettings(name, ({ created }) => ({ created, ...settings }));
    }
  }
  const sink: FunctionLogSink = {
    append: (fn, stream, line) => {
      if (links.mayWriteLogs(fn)) store.append(fn.logGroupName, stream, line);
    },
  };
  const service = new LogsService(store, topology);
  return {
    service: { service, sink, hasGroup: (name) => store.hasGroup(name) },
    stop: () => store.close(),
  };
}
