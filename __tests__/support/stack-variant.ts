/**
 * Broken variants of the real stack, applied to a local cloud: the stack as `npm run deploy --
 * local --local-cloud` synthesizes it, with one resource edited (a policy that is not JSON, a
 * permission removed…), applied with `-target` on that resource (and what it depends on) with the
 * real Terraform and provider, in a directory and state of its own. What AWS refuses at apply
 * time must then fail the apply with AWS's error.
 */
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { synthStage } from '../../scripts/deploy';
import type { DeployTarget } from '../../scripts/lib/deploy-target';
import { plainText } from '../../scripts/lib/terraform-debug-log';
import { findProviderMirror, writeCliConfig } from '../../scripts/lib/terraform';
import { resourcesOf } from './synth';
import type { Block, SynthesizedStack } from './synth';

export interface VariantRun {
  code: number;
  /** Terraform's output, without colours. */
  output: string;
}

/** Synthesizes the stage for the local cloud; resolves to its stack directory. */
export async function synthesizeForLocalCloud(
  stage: string,
  target: DeployTarget,
): Promise<string> {
  const status = await synthStage(writeCliConfig(findProviderMirror()))(stage, target);
  if (status !== 0) throw new Error(`cdktf synth of stage ${stage} failed (exit ${status})`);
  return path.join(target.output, 'stacks', stage);
}

function terraform(args: string[], cwd: string, env: Record<string, string>): Promise<VariantRun> {
  return new Promise((resolve) => {
    execFile(
      'terraform',
      args,
      {
        cwd,
        env: {
          ...process.env,
          ...env,
          TF_CLI_CONFIG_FILE: writeCliConfig(findProviderMirror()),
          TF_IN_AUTOMATION: '1',
          CHECKPOINT_DISABLE: '1',
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          output: plainText(`${stdout}${stderr}`),
        }),
    );
  });
}

/**
 * A copy of `stackDir` in `workDir` whose first resource of `type` `edit` changed (it may change
 * the rest of the stack too), with its state in `workDir`, applied to the target with `-target`
 * on that resource, or on the first resource of `targetType` when the edit breaks another's.
 */
export async function applyVariant(options: {
  stackDir: string;
  workDir: string;
  target: DeployTarget;
  type: string;
  edit: (block: Block, stack: SynthesizedStack) => void;
  targetType?: string;
  /** Points the copy at another local cloud than the one it was synthesized for. */
  endpoints?: { from: string[]; to: string[] };
}): Promise<VariantRun & { address: string }> {
  const { workDir, target } = options;
  cpSync(options.stackDir, workDir, {
    recursive: true,
    filter: (source) => !/[/\\](\.terraform|terraform\.[^/\\]*\.tfstate)/.test(source),
  });
  const file = path.join(workDir, 'cdk.tf.json');
  let text = readFileSync(file, 'utf8');
  const { from = [], to = [] } = options.endpoints ?? {};
  from.forEach((url, index) => (text = text.replaceAll(url, to[index] ?? url)));
  const stack = JSON.parse(text) as SynthesizedStack;
  const [first] = resourcesOf(stack, options.type);
  if (!first) throw new Error(`the stack has no ${options.type}`);
  options.edit(first.block, stack);
  const [targeted] = options.targetType ? resourcesOf(stack, options.targetType) : [first];
  if (!targeted) throw new Error(`the stack has no ${options.targetType ?? options.type}`);
  stack.terraform = {
    ...stack.terraform,
    backend: { local: { path: path.join(workDir, 'terraform.tfstate') } },
  };
  writeFileSync(file, JSON.stringify(stack, null, 2));
  const init = await terraform(['init', '-input=false', '-no-color'], workDir, target.env);
  if (init.code !== 0) return { ...init, address: targeted.address };
  const applied = await terraform(
    ['apply', '-auto-approve', '-input=false', '-no-color', `-target=${targeted.address}`],
    workDir,
    target.env,
  );
  return { ...applied, address: targeted.address };
}
