/**
 * npm run postman:local: the Postman collection against the local cloud that is running now, on
 * whatever ports it took (it writes them to endpoints.json in its data directory, LOCAL_CLOUD_DIR).
 *
 *   npm run postman:local                          every request
 *   npm run postman:local -- --folder <request>    only that request (repeatable, as newman's)
 */
import {
  dataDirectoryOf,
  readEndpointsFile,
  runCommandLine,
  UsageError,
} from '@serverless-week/local-cloud';
import { projectFiles } from '../stacks/project-files';
import { requireRunningLocalCloud } from './lib/deploy-target';
import { ENVIRONMENT_FILES, runCollection } from './lib/postman';

const COMMAND_LINE = {
  usage: 'npm run postman:local -- [--folder <request>]...',
  options: { folder: { type: 'string', multiple: true } },
} as const;

runCommandLine(COMMAND_LINE, async ({ values }) => {
  const dataDir = dataDirectoryOf(process.env, projectFiles.root);
  const { aws, urls } = readEndpointsFile(dataDir);
  const { api, web } = urls;
  if (!api || !web) throw new Error(`${dataDir}/endpoints.json names no api and web endpoints`);
  await requireRunningLocalCloud(aws, dataDir);
  console.log(`The Postman collection against ${api} (origin ${web})`);
  const summary = await runCollection({
    environment: ENVIRONMENT_FILES.local,
    baseUrl: api,
    origin: web,
    ...(values.folder ? { folders: values.folder } : {}),
    reporters: ['cli'],
  }).catch((error: unknown) => {
    // newman refuses a --folder naming no request of the collection: a mistake in the command.
    const unknown = /Unable to find a folder or request: (.*)/.exec(String(error))?.[1];
    throw unknown ? new UsageError(`--folder ${unknown} is no request of the collection`) : error;
  });
  return summary.run.failures.length === 0 ? 0 : 1;
});
