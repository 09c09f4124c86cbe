/**
 * npm run synth: builds the functions, then synthesizes the stage STAGE names (dev by default)
 * into cdktf.out, or `--output <dir>`, keeping the other stages' stacks there.
 */
import * as path from 'node:path';
import { runCommandLine } from '@serverless-week/local-cloud';
import { projectFiles } from '../stacks/project-files';
import { buildFunctions } from './build-functions';
import { synthKeepingOtherStages } from './cdktf';
import { findProviderMirror, writeCliConfig } from './lib/terraform';

const COMMAND_LINE = {
  usage: 'npm run synth -- [--output <dir>]',
  options: { output: { type: 'string', short: 'o' } },
} as const;

runCommandLine(COMMAND_LINE, async ({ values: { output } }) => {
  const built = await buildFunctions();
  const bundles = path.relative(projectFiles.root, projectFiles.functionBundles);
  console.log(`built ${built.length} functions into ${bundles}/`);
  const cliConfigFile = writeCliConfig(findProviderMirror());
  return synthKeepingOtherStages(output ? ['--output', output] : [], cliConfigFile);
});
