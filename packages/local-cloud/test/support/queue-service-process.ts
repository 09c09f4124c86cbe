/**
 * The local SQS alone in a process of its own, behind the AWS endpoint on a free port, with its
 * journal at the path given as the first argument: what a crash spec can kill (SIGKILL) in the
 * middle of a load. Prints `{"endpoint": …}` on one line once it answers.
 *
 * Usage: node --import tsx packages/local-cloud/test/support/queue-service-process.ts <journal file>
 */
import { openEndpoint } from '../../src/services/edge/http-endpoint';
import { silentLog } from '../../src/log';
import { createAwsEdge } from '../../src/services/edge/aws-edge';
import { QueueService } from '../../src/services/sqs/queue-service';
import { FIXTURE_ACCOUNT, FIXTURE_REGION, queueSpec } from './queue-fixtures';

/** The queue the crash spec loads. */
export const CRASH_QUEUE = 'crash-load';

async function main(journalFile: string): Promise<void> {
  const server = await openEndpoint('127.0.0.1', 0, 'aws');
  const queues = new QueueService({
    queues: [queueSpec(CRASH_QUEUE, server.url)],
    accountId: FIXTURE_ACCOUNT,
    region: FIXTURE_REGION,
    endpoint: server.url,
    journalFile,
    log: silentLog,
  });
  const edge = createAwsEdge([queues], silentLog);
  server.attach((request, response) => edge.handle(request, response));
  process.stdout.write(`${JSON.stringify({ endpoint: server.url })}\n`);
}

const [journalFile] = process.argv.slice(2);
if (require.main === module) {
  if (!journalFile) throw new Error('usage: queue-service-process.ts <journal file>');
  void main(journalFile);
}
