/**
 * The READMEs' AWS CLI lines work on the CLIs new users have: AWS CLI v1 reads the region only
 * from AWS_DEFAULT_REGION (v2 reads AWS_REGION first), and CLIs up to 2.9 (Debian 12's) speak
 * SQS's Query protocol, which the local SQS serves beside the JSON one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const READMES = ['README.md', join('packages', 'local-cloud', 'README.md')];

const read = (readme: string): string => readFileSync(join(ROOT, readme), 'utf8');

/** The `export …` lines of the README's shell blocks that also run the AWS CLI. */
function cliExports(readme: string): string[] {
  const blocks = [...read(readme).matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map(
    (match) => match[1] ?? '',
  );
  return blocks
    .filter((block) => /^aws /m.test(block))
    .flatMap((block) => block.split('\n').filter((line) => line.startsWith('export ')));
}

/** The variables an `export A=1 B=2` line sets. */
const exported = (line: string): Map<string, string> =>
  new Map(
    [...line.matchAll(/(\w+)=(\S+)/g)].map((match) => [match[1] ?? '', match[2] ?? ''] as const),
  );

describe.each(READMES)('%s', (readme) => {
  it('shows the AWS CLI an environment with a region it runs with', () => {
    expect(cliExports(readme).length).toBeGreaterThan(0);
  });

  it('exports AWS_DEFAULT_REGION, which AWS CLI v1 reads, wherever it exports AWS_REGION', () => {
    for (const line of cliExports(readme)) {
      const variables = exported(line);
      expect(variables.get('AWS_DEFAULT_REGION')).toBe(variables.get('AWS_REGION'));
    }
  });
});

it('says the local SQS answers both the JSON and the Query protocol', () => {
  const readme = read(join('packages', 'local-cloud', 'README.md'));

  expect(readme).toMatch(/SQS \(JSON and Query protocols\)/);
  expect(readme).not.toMatch(/SQS speaks the JSON protocol only/);
});
