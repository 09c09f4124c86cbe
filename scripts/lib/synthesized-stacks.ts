/**
 * `cdktf synth` synthesizes one stage (main.ts makes the stack STAGE names), and the cdktf CLI
 * deletes every stack directory of its output that this synth did not write: synthesizing `dev`
 * removed `local`, and the next `npm start` rebuilt it. So the synth goes to a staging directory
 * and only the stacks it wrote are moved into the output; other stages stay as they are.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** What `manifest.json` of a cdktf output says about its stacks (the rest is kept as it is). */
interface Manifest {
  stacks: Record<string, { workingDirectory: string }>;
  [key: string]: unknown;
}

function readManifest(outputDirectory: string): Manifest | undefined {
  const file = join(outputDirectory, 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : undefined;
}

/** Puts `from` at `to`, replacing what was there without a moment where `to` is missing. */
function replace(from: string, to: string, aside: string): void {
  if (existsSync(to)) renameSync(to, aside);
  renameSync(from, to);
  rmSync(aside, { recursive: true, force: true });
}

/**
 * Moves what the synth wrote for one stack into the stack's directory of the output, entry by
 * entry (cdk.tf.json last, since `npm start` dates the stack by it): what other commands keep
 * there (.terraform, plans) stays.
 */
function installStack(synthesized: string, target: string): void {
  mkdirSync(target, { recursive: true });
  const entries = readdirSync(synthesized).sort((a, b) =>
    a === 'cdk.tf.json' ? 1 : b === 'cdk.tf.json' ? -1 : a.localeCompare(b),
  );
  for (const entry of entries) {
    replace(join(synthesized, entry), join(target, entry), join(synthesized, `.old-${entry}`));
  }
}

/**
 * Moves the stacks a synth wrote into `staging` into `outputDirectory`, keeping the stacks of
 * other stages there and listing them all in its manifest; returns the stacks moved.
 */
export function installSynthesizedStacks(staging: string, outputDirectory: string): string[] {
  const synthesized = readManifest(staging);
  if (!synthesized) throw new Error(`the synth wrote no manifest.json in ${staging}`);
  const names = Object.keys(synthesized.stacks);
  for (const stack of Object.values(synthesized.stacks)) {
    installStack(
      join(staging, stack.workingDirectory),
      join(outputDirectory, stack.workingDirectory),
    );
  }
  const kept = Object.entries(readManifest(outputDirectory)?.stacks ?? {}).filter(
    ([name, stack]) =>
      !names.includes(name) && existsSync(join(outputDirectory, stack.workingDirectory)),
  );
  const stacks = { ...Object.fromEntries(kept), ...synthesized.stacks };
  writeFileSync(
    join(outputDirectory, 'manifest.json'),
    `${JSON.stringify({ ...synthesized, stacks }, null, 2)}\n`,
  );
  return names;
}
