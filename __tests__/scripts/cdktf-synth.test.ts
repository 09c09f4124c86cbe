/**
 * `npm run synth` (`tsx scripts/cdktf.ts synth`) synthesizes one stage and leaves the other
 * stages' stacks in the output as they were, so `npm start` finds its `local` stack still there.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectFiles } from '../../stacks/project-files';

const TSX = join(projectFiles.root, 'node_modules', '.bin', 'tsx');
const SYNTH_TIMEOUT_MS = 180000;

let output: string;

beforeEach(() => {
  output = mkdtempSync(join(tmpdir(), 'cdktf-synth-'));
});

afterEach(() => {
  rmSync(output, { recursive: true, force: true });
});

/** A stage synthesized earlier: its cdk.tf.json, listed in the output's manifest. */
function synthesizedEarlier(stage: string): string {
  const directory = join(output, 'stacks', stage);
  mkdirSync(directory, { recursive: true });
  const stack = `{"//": "stage ${stage}, synthesized earlier"}\n`;
  writeFileSync(join(directory, 'cdk.tf.json'), stack);
  const manifest = {
    version: '0.21.0',
    stacks: { [stage]: { name: stage, workingDirectory: `stacks/${stage}` } },
  };
  writeFileSync(join(output, 'manifest.json'), JSON.stringify(manifest));
  return stack;
}

async function synth(stage: string | undefined): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1' };
  delete env.STAGE;
  if (stage) env.STAGE = stage;
  await promisify(execFile)(TSX, ['scripts/cdktf.ts', 'synth', '--output', output], {
    cwd: projectFiles.root,
    env,
  });
}

const stackAt = (stage: string): string =>
  readFileSync(join(output, 'stacks', stage, 'cdk.tf.json'), 'utf8');

const manifestStacks = (): string[] =>
  Object.keys(
    (JSON.parse(readFileSync(join(output, 'manifest.json'), 'utf8')) as { stacks: object }).stacks,
  ).sort();

it(
  'synthesizes the default stage into stacks/dev and keeps the local stage as it was',
  async () => {
    // Given the local stage synthesized earlier, and a plan of dev next to its stack
    const local = synthesizedEarlier('local');
    mkdirSync(join(output, 'stacks', 'dev'), { recursive: true });
    writeFileSync(join(output, 'stacks', 'dev', 'plan.json'), '{}');

    // When the default stage is synthesized
    await synth(undefined);

    // Then dev's stack is there, local's is untouched, dev's plan stays, and both are listed
    expect(stackAt('dev')).toContain('terraform.dev.tfstate');
    expect(stackAt('local')).toBe(local);
    expect(existsSync(join(output, 'stacks', 'dev', 'plan.json'))).toBe(true);
    expect(manifestStacks()).toEqual(['dev', 'local']);
  },
  SYNTH_TIMEOUT_MS,
);

it(
  'synthesizes STAGE=local into stacks/local and keeps the dev stage as it was',
  async () => {
    // Given the dev stage synthesized earlier
    const dev = synthesizedEarlier('dev');

    // When the local stage is synthesized
    await synth('local');

    // Then local's stack is there and dev's is untouched
    expect(stackAt('local')).toContain('terraform.local.tfstate');
    expect(stackAt('dev')).toBe(dev);
    expect(manifestStacks()).toEqual(['dev', 'local']);
  },
  SYNTH_TIMEOUT_MS,
);
