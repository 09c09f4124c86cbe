/**
 * The whole stack deployed to, then destroyed from, a local cloud started as `npm start -- --empty`
 * (a child process, its own data directory, free ports): the wall time of `npm run deploy -- local
 * --local-cloud` and `npm run destroy -- local --local-cloud`, and of their cdktf deploy/destroy
 * (the real Terraform apply), which the goals are about; the build and synth before it are the
 * same as for a deploy to AWS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BenchRow } from './bench-thumbnail';
import { startLocalCloudProcess } from './lib/local-cloud-process';
import { runScript } from './lib/script-run';
import type { ScriptRun } from './lib/script-run';
import { completedCount, slowestTypes, terraformOutcome } from './lib/terraform-debug-log';

const MINUTE = 60000;
const seconds = (value: number): string => `${value.toFixed(1)} s`;
const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

/** Seconds the run spent in its cdktf command (from the line announcing it to the end). */
function commandSeconds(run: ScriptRun): number {
  return run.seconds - (run.commandStartedAt ?? 0);
}

function rowsOf(verb: 'deploy' | 'destroy', run: ScriptRun, goalSeconds: number): BenchRow[] {
  const name = `local ${verb}: npm run ${verb} -- local --local-cloud`;
  if (run.code !== 0) {
    return [{ name, value: `failed (exit ${run.code})`, goal: `< ${goalSeconds} s: MISSED` }];
  }
  const applied = commandSeconds(run);
  return [
    { name: `${name} (build + synth + cdktf)`, value: seconds(run.seconds) },
    {
      name: `local ${verb}: cdktf ${verb} (${completedCount(terraformOutcome(run.output))} resources)`,
      value: seconds(applied),
      goal: `< ${goalSeconds} s: ${verdict(applied < goalSeconds)}`,
    },
    {
      // The floor under the figure: the provider's own waits (a lifecycle configuration is read
      // back for most of a minute; functions from zips are created one at a time, each waited on).
      name: `local ${verb}: slowest resource types`,
      value: slowestTypes(run.output, 3)
        .map(({ type, seconds: taken }) => `${type} ${taken} s`)
        .join(', '),
    },
  ];
}

export async function benchLocalDeploy(): Promise<BenchRow[]> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'bench-local-deploy-'));
  const dataDir = path.join(workDir, 'cloud');
  const cloud = await startLocalCloudProcess({ dataDir, args: ['--empty'], timeoutMs: MINUTE });
  try {
    const run = (script: string, args: string[]): Promise<ScriptRun> =>
      runScript(script, ['local', '--local-cloud', '--auto-approve', ...args], {
        env: { LOCAL_CLOUD_DIR: dataDir },
        timeoutMs: 10 * MINUTE,
      });
    const deployed = await run('deploy.ts', ['--skip-smoke']);
    const destroyed = await run('destroy.ts', []);
    return [...rowsOf('deploy', deployed, 60), ...rowsOf('destroy', destroyed, 30)];
  } finally {
    await cloud.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
