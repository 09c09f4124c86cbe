/**
 * What an apply or destroy did, read from Terraform's output and from the AWS provider's debug log
 * (`TF_LOG=DEBUG TF_LOG_PATH=<file>`): resources completed per type, the errors, and every AWS
 * call answered with a status >= 400, by resource type, service and action, with the first answer.
 *
 *   npx tsx scripts/lib/terraform-debug-log.ts <debug log> [<terraform or cdktf output>]
 */
import { readFileSync } from 'node:fs';

export interface FailedCall {
  resourceType: string;
  service: string;
  action: string;
  status: number;
  count: number;
  /** The body of the first such answer, cut short. */
  firstAnswer: string;
}

export interface TerraformOutcome {
  /** Resources created, changed or destroyed, per type. */
  completed: Record<string, number>;
  /** The first lines of each error, with the resource type it names. */
  errors: { resourceType: string; message: string }[];
}

// Colours, and the stack name cdktf puts before each line of Terraform's.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

function field(entry: string, name: string): string | undefined {
  const match = new RegExp(`${name}=(?:"([^"]*)"|(\\S+))`).exec(entry);
  return match?.[1] ?? match?.[2];
}

/** Every answer >= 400 of the debug log, one entry per resource type, service, action and status. */
export function failedAwsCalls(debugLog: string): FailedCall[] {
  const calls = new Map<string, FailedCall>();
  // One record per timestamped line; bodies span the lines after it.
  for (const entry of debugLog.split(/^(?=\d{4}-\d\d-\d\dT)/m)) {
    if (!entry.includes('HTTP Response Received')) continue;
    const status = Number(field(entry, 'http.status_code') ?? 0);
    if (status < 400) continue;
    const call = {
      resourceType: field(entry, 'tf_resource_type') ?? '(provider)',
      service: field(entry, 'rpc.service') ?? '?',
      action: field(entry, 'rpc.method') ?? '?',
      status,
    };
    const key = `${call.resourceType} ${call.service} ${call.action} ${status}`;
    const known = calls.get(key);
    if (known) known.count += 1;
    else {
      // The body's lines start with `| ` (an XML body spans several); its declaration says nothing.
      const body = [...entry.matchAll(/^\s*\| (.*)$/gm)]
        .map((line) => line[1] ?? '')
        .join(' ')
        .replace(/<\?xml[^>]*\?>/, '');
      calls.set(key, {
        ...call,
        count: 1,
        firstAnswer: body.replace(/\s+/g, ' ').trim().slice(0, 300),
      });
    }
  }
  return [...calls.values()];
}

/** Terraform's (or cdktf's) output without its colours. */
export function plainText(output: string): string {
  return output.replace(ANSI, '');
}

/** Terraform's lines as Terraform wrote them: cdktf puts the stack's name and an indent first. */
function terraformLines(output: string): string {
  return plainText(output)
    .split('\n')
    .map((line) => line.replace(/^(?:[\w-]+ {2,}| +)/, ''))
    .join('\n');
}

/** What Terraform's (or cdktf's) output says completed and failed. */
export function terraformOutcome(output: string): TerraformOutcome {
  const plain = terraformLines(output);
  const completed: Record<string, number> = {};
  for (const match of plain.matchAll(
    /(aws_[a-z0-9_]+)\.[^:\s]+: (?:Creation|Destruction|Modifications) complete/g,
  )) {
    const type = match[1] ?? '';
    completed[type] = (completed[type] ?? 0) + 1;
  }
  const errors = new Map<string, { resourceType: string; message: string }>();
  for (const block of plain.split(/^[│ ]*Error: /m).slice(1)) {
    const resourceType = /with (aws_[a-z0-9_]+)\./.exec(block)?.[1] ?? '(provider)';
    const message = block
      .split('\n')
      .slice(0, 3)
      .join(' ')
      .replace(/[│╷╵]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    // cdktf shows each of Terraform's errors twice: as it comes, then under the stack's name.
    errors.set(`${resourceType} ${message}`, { resourceType, message });
  }
  return { completed, errors: [...errors.values()] };
}

/** The longest a resource of each type took, from Terraform's `… complete after 1m5s` lines. */
export function slowestTypes(output: string, count: number): { type: string; seconds: number }[] {
  const longest = new Map<string, number>();
  for (const match of terraformLines(output).matchAll(
    /(aws_[a-z0-9_]+)\.[^:\s]+: (?:Creation|Destruction|Modifications) complete after ((?:\d+m)?\d+s)/g,
  )) {
    const type = match[1] ?? '';
    const [, minutes = '0', secs = '0'] = /^(?:(\d+)m)?(\d+)s$/.exec(match[2] ?? '') ?? [];
    longest.set(type, Math.max(longest.get(type) ?? 0, Number(minutes) * 60 + Number(secs)));
  }
  return [...longest.entries()]
    .map(([type, seconds]) => ({ type, seconds }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, count);
}

/** How many resources completed, over all types. */
export function completedCount(outcome: TerraformOutcome): number {
  return Object.values(outcome.completed).reduce((sum, count) => sum + count, 0);
}

/** One line per failed call: `aws_iam_role IAM CreateRole 400 ×18: <answer>`. */
export function formatFailedCalls(calls: readonly FailedCall[]): string {
  return calls
    .map(
      (call) =>
        `${call.resourceType} ${call.service} ${call.action} ${call.status} ×${call.count}: ${call.firstAnswer}`,
    )
    .join('\n');
}

/** One line per resource type that failed: how many errors, and the first. */
export function formatErrors(outcome: TerraformOutcome): string {
  const byType = new Map<string, { count: number; first: string }>();
  for (const { resourceType, message } of outcome.errors) {
    const known = byType.get(resourceType);
    if (known) known.count += 1;
    else byType.set(resourceType, { count: 1, first: message });
  }
  return [...byType.entries()]
    .map(([type, { count, first }]) => `${type} ×${count}: ${first.slice(0, 400)}`)
    .join('\n');
}

if (require.main === module) {
  const [logFile, outputFile] = process.argv.slice(2);
  if (!logFile) {
    console.error('usage: terraform-debug-log.ts <debug log> [<terraform or cdktf output>]');
    process.exit(2);
  }
  if (outputFile) {
    const outcome = terraformOutcome(readFileSync(outputFile, 'utf8'));
    console.log(`${completedCount(outcome)} completed`, outcome.completed);
    console.log(formatErrors(outcome));
  }
  console.log(formatFailedCalls(failedAwsCalls(readFileSync(logFile, 'utf8'))));
}
