/**
 * npm run iam:report: what each function and state machine did with its role in the local cloud's
 * recorded runs, the grants it never used, and the smallest policy that would have sufficed.
 *
 *   npm run iam:report                          the last `npm start` (in LOCAL_CLOUD_DIR)
 *   npm run iam:report -- --usage <file|dir>    a usage file, a local cloud's data directory, or
 *                                               a directory of usage files (every *.json in it)
 *   npm run iam:report -- --out <file.md>       also write the report there
 *   npm run iam:report -- --fail-on-unused      exit 1 if any of our grants went unused (CI)
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectFiles } from '../stacks/project-files';
import {
  buildUsageReport,
  dataDirectoryOf,
  iamUsageFile,
  renderUsageReport,
  runCommandLine,
} from '@serverless-week/local-cloud';
import type { UsageFile } from '@serverless-week/local-cloud';

const COMMAND_LINE = {
  usage: 'npm run iam:report -- [--usage <file|dir>] [--out <file.md>] [--fail-on-unused]',
  options: {
    usage: { type: 'string' },
    out: { type: 'string' },
    'fail-on-unused': { type: 'boolean', default: false },
  },
} as const;

/**
 * A data directory holds the cloud's other state next to its usage file, so only that file is
 * read there; any other directory is a collection of usage files (CI's IAM_USAGE_DIR).
 */
function usageFiles(location: string): string[] {
  if (!existsSync(location)) {
    throw new Error(
      `No IAM usage at ${location}: run the local cloud first (npm start), then this report`,
    );
  }
  if (!statSync(location).isDirectory()) return [location];
  if (existsSync(iamUsageFile(location))) return [iamUsageFile(location)];
  const files = readdirSync(location)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(location, name));
  if (files.length === 0 || existsSync(join(location, 'endpoints.json'))) {
    throw new Error(
      `No IAM usage in ${location}: no request has been recorded there yet (IAM off, or nothing called)`,
    );
  }
  return files;
}

function readUsage(file: string): UsageFile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as UsageFile;
  if (parsed.version !== 1 || !Array.isArray(parsed.callers)) {
    throw new Error(`${file} is not an IAM usage file of the local cloud`);
  }
  return parsed;
}

runCommandLine(COMMAND_LINE, ({ values }) => {
  const location = values.usage ?? dataDirectoryOf(process.env, projectFiles.root);
  const report = buildUsageReport(usageFiles(location).map(readUsage));
  const markdown = renderUsageReport(report);
  console.log(markdown);
  if (values.out) writeFileSync(values.out, markdown);

  const unused = report.callers.flatMap((caller) =>
    caller.unused.filter((grant) => !grant.awsManaged).map((grant) => ({ caller, grant })),
  );
  if (values['fail-on-unused'] && unused.length > 0) {
    console.error(
      `${unused.length} grant(s) were never used: ${unused
        .map(
          ({ caller, grant }) =>
            `${caller.name}: ${grant.actionPattern} on ${grant.resourcePattern}`,
        )
        .join('; ')}`,
    );
    return 1;
  }
  return 0;
});
