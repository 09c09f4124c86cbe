/**
 * npm run logs: one function's log lines from the running local cloud's CloudWatch Logs, as
 * `aws logs tail /aws/lambda/<function>` prints them from AWS.
 *
 *   npm run logs -- list-items                 the lines of the last 10 minutes
 *   npm run logs -- list-items --since 1h      … of the last hour (30s, 10m, 2h, 1d)
 *   npm run logs -- list-items --follow        … then new lines as they come, until Ctrl+C
 *
 * The function is named as the local cloud's log shows it (`list-items`) or in full. The endpoint
 * and the administrator's key pair come from endpoints.json in the data directory
 * (LOCAL_CLOUD_DIR, .local-cloud in the project).
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  dataDirectoryOf,
  readEndpointsFile,
  runCommandLine,
  UsageError,
} from '@serverless-week/local-cloud';
import type { ParsedCommandLine } from '@serverless-week/local-cloud';
import { projectFiles } from '../stacks/project-files';
import { durationMs, followEvents, logGroupOf, printEvents } from './lib/log-reader';

const COMMAND_LINE = {
  usage: 'npm run logs -- <function name> [--follow] [--since <30s|10m|2h|1d>]',
  options: {
    follow: { type: 'boolean', short: 'f', default: false },
    since: { type: 'string', default: '10m' },
  },
  positionals: true,
} as const;

interface Request {
  name: string;
  follow: boolean;
  sinceMs: number;
}

function request({ values, positionals }: ParsedCommandLine<typeof COMMAND_LINE.options>): Request {
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError('Name one function');
  const sinceMs = durationMs(values.since);
  if (sinceMs === undefined) {
    throw new UsageError(
      `--since takes a duration like 30s, 10m, 2h or 1d (got "${values.since}")`,
    );
  }
  return { name, follow: values.follow, sinceMs };
}

async function main(parsed: ParsedCommandLine<typeof COMMAND_LINE.options>): Promise<void> {
  const wanted = request(parsed);
  // Lambda runs Node 22; the SDK's notice that this machine's Node 20 goes out of support is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoints = readEndpointsFile(dataDirectoryOf(process.env, projectFiles.root));
  const logs = new CloudWatchLogsClient({
    endpoint: endpoints.aws,
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    credentials: endpoints.credentials,
    maxAttempts: 2,
  });
  const group = await logGroupOf(logs, wanted.name);
  const options = {
    group,
    startTime: Date.now() - wanted.sinceMs,
    print: (line: string) => console.log(line),
  };
  if (!wanted.follow) {
    await printEvents(logs, options);
    logs.destroy();
    return;
  }
  const stop = new AbortController();
  const quit = (): void => stop.abort();
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  await followEvents(logs, { ...options, signal: stop.signal });
  logs.destroy();
}

runCommandLine(COMMAND_LINE, main);
