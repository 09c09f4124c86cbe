/**
 * npm run bench: the figures behind the project's speed and size goals, as one table.
 * Figures, not pass/fail: each row shows its goal, and whether this run met it.
 * `npm run bench -- --quick` runs shorter loads and memory cycles (and synthesizes once).
 */
import { statSync } from 'node:fs';
import { runCommandLine } from '@serverless-week/local-cloud';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchLocalCloud } from './bench-local-cloud';
import { benchLocalDeploy } from './bench-local-deploy';
import { benchThumbnail } from './bench-thumbnail';
import type { BenchRow } from './bench-thumbnail';
import { buildFunctions } from './build-functions';
import { synthesize } from './lib/synth';
import {
  findProviderMirror,
  terraformEnvironment,
  terraformIn,
  terraformVersion,
  writeCliConfig,
} from './lib/terraform';

const STAGE = 'dev';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function timed<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, (performance.now() - started) / 1000];
}

const seconds = (value: number): string => `${value.toFixed(2)} s`;
const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

function benchSynthAndPlan(quick: boolean): BenchRow[] {
  const runs = quick ? 1 : 3;
  const synthTimes = Array.from({ length: runs }, () =>
    timed(() => synthesize({ stage: STAGE, offline: true })),
  );
  const stackDirectory = synthTimes[0]?.[0] ?? '';
  const synth = median(synthTimes.map(([, time]) => time));
  const rows: BenchRow[] = [
    {
      name: `synth (tsx main.ts, median of ${runs})`,
      value: seconds(synth),
      goal: `< 3 s: ${verdict(synth < 3)}`,
    },
  ];
  if (!terraformVersion()) {
    return [...rows, { name: 'validate + plan', value: 'skipped: terraform is not on PATH' }];
  }
  const terraform = terraformIn(
    stackDirectory,
    terraformEnvironment(writeCliConfig(findProviderMirror()), true),
  );
  const [, init] = timed(() => terraform(['init', '-input=false', '-no-color'], { capture: true }));
  const [, validatePlan] = timed(() => {
    terraform(['validate', '-no-color'], { capture: true });
    terraform(['plan', '-input=false', '-no-color', '-out=plan.tfplan'], { capture: true });
  });
  return [
    ...rows,
    { name: 'terraform init (from the mirror)', value: seconds(init) },
    {
      name: 'terraform validate + plan (offline)',
      value: seconds(validatePlan),
      goal: `< 15 s: ${verdict(validatePlan < 15)}`,
    },
  ];
}

async function benchZips(): Promise<BenchRow[]> {
  const built = await buildFunctions();
  return built.map(({ name, zipPath }) => {
    const kilobytes = statSync(zipPath).size / 1024;
    const exempt = name === 'imageProcessor';
    return {
      name: `zip ${path.basename(zipPath)}`,
      value: `${kilobytes.toFixed(0)} KB`,
      goal: exempt ? '(image processor: no goal)' : `< 500 KB: ${verdict(kilobytes < 500)}`,
    };
  });
}

function printTable(rows: BenchRow[]): void {
  const widths = [
    Math.max(...rows.map((row) => row.name.length), 'measure'.length),
    Math.max(...rows.map((row) => row.value.length), 'value'.length),
  ];
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ')} |`;
  console.log(line(['measure', 'value', 'goal']));
  console.log(line(['-'.repeat(widths[0] ?? 0), '-'.repeat(widths[1] ?? 0), '----']));
  for (const row of rows) console.log(line([row.name, row.value, row.goal ?? '']));
}

const COMMAND_LINE = {
  usage: 'npm run bench -- [--quick]',
  options: { quick: { type: 'boolean', default: false } },
} as const;

runCommandLine(COMMAND_LINE, async ({ values: { quick } }) => {
  const rows = [
    ...(await benchZips()),
    ...benchSynthAndPlan(quick),
    ...(await benchThumbnail()),
    ...(await benchLocalCloud({ quick })),
    ...(await benchLocalDeploy()),
  ];
  printTable(rows);
});
