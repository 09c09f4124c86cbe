/**
 * npm run iam:report: what each function and state machine did with its role in the local cloud's
 * recorded runs, the grants it never used, and the smallest policy that would have sufficed.
 *
 *   npm run iam:report                          the last `npm start` (LOCAL_CLOUD_DIR/iam-usage.json)
 *   npm run iam:report -- --usage <file|dir>    a usage file, or every *.json in a directory
 *   npm run iam:report -- --out <file.md>       also write the report there
 *   npm run iam:report -- --fail-on-unused      exit 1 if any of our grants went unused (CI)
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectFiles } from '../stacks/project-files';
import { buildUsageReport, renderUsageReport } from '@serverless-week/local-cloud';
import type { UsageFile } from '@serverless-week/local-cloud';

function usageFiles(location: string): string[] {
  if (!existsSync(location)) {
    throw new Error(
      `No IAM usage at ${location}: run the local cloud first (npm start), then this report`,
    );
  }
  if (!statSync(location).isDirectory()) return [location];
  return readdirSync(location)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(location, name));
}

function readUsage(file: string): UsageFile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as UsageFile;
  if (parsed.version !== 1 || !Array.isArray(parsed.callers)) {
    throw new Error(`${file} is not an IAM usage file of the local cloud`);
  }
  return parsed;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      usage: { type: 'string' },
      out: { type: 'string' },
      'fail-on-unused': { type: 'boolean', default: false },
    },
  });
  const dataDir = process.env.LOCAL_CLOUD_DIR ?? '.local-cloud';
  const fallback = join(
    isAbsolute(dataDir) ? dataDir : join(projectFiles.root, dataDir),
    'iam-usage.json',
  );
  const files = usageFiles(values.usage ?? fallback).map(readUsage);
  const report = buildUsageReport(files);
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
    process.exit(1);
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
