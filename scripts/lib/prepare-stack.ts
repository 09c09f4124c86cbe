/**
 * `npm start` boots from the synthesized stack, so it builds the function zips and synthesizes
 * first when a source is newer than the synthesized cdk.tf.json (or nothing is synthesized yet).
 * The zips are the same deterministic ones `cdktf deploy` would upload.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildFunctions } from '../build-functions';
import { synthesize } from './synth';
import { projectFiles } from '../../stacks/project-files';
import type { LocalLog } from '@serverless-week/local-cloud';

/** Everything the synthesized stack is made from. */
const SOURCES = [
  'main.ts',
  'stacks',
  'handlers',
  'api',
  'statemachines',
  'web',
  'package-lock.json',
];

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestChange(join(path, entry))),
    stat.mtimeMs,
  );
}

export function stackDirectory(stage: string): string {
  return join(projectFiles.root, 'cdktf.out', 'stacks', stage);
}

/** Returns the stack directory, built and synthesized if it was missing or stale. */
export async function prepareStack(stage: string, log: LocalLog): Promise<string> {
  const stackDir = stackDirectory(stage);
  const synthesized = join(stackDir, 'cdk.tf.json');
  const sourcesChanged = Math.max(
    ...SOURCES.map((source) => newestChange(join(projectFiles.root, source))),
  );
  if (existsSync(synthesized) && statSync(synthesized).mtimeMs >= sourcesChanged) return stackDir;

  const started = Date.now();
  log.write('info', 'boot', 'sources changed since the last synth: building the functions…');
  await buildFunctions();
  log.write('info', 'boot', `synthesizing stage "${stage}"…`);
  synthesize({ stage, offline: true });
  log.write(
    'info',
    'boot',
    `built and synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return stackDir;
}
