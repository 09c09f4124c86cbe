/**
 * Every command of package.json that takes arguments, run as a user runs it: a mistake prints one
 * line naming it and the usage, exits 2, no stack trace; --help prints the usage and exits 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nonEmptyLines, runNpmScript } from '../support/npm-script';
import type { NpmScriptRun } from '../support/npm-script';

/** What is typed after `npm`, before `--`. */
const COMMANDS: string[][] = [
  ['start'],
  ['run', 'plan'],
  ['run', 'deploy'],
  ['run', 'destroy'],
  ['run', 'bench'],
  ['run', 'build'],
  ['run', 'synth'],
  ['run', 'iam:report'],
  ['run', 'logs'],
  ['run', 'postman'],
  ['run', 'postman:local'],
  ['start', '-w', 'packages/local-cloud'],
];

let dataDir: string;

beforeAll(() => {
  // Nothing must reach a local cloud of the developer's, should a command run despite the mistake.
  dataDir = mkdtempSync(join(tmpdir(), 'command-lines-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const run = (command: string[], option: string) =>
  runNpmScript([...command, '--', option], { LOCAL_CLOUD_DIR: dataDir });

describe.each(COMMANDS.map((command) => [command.join(' '), command]))('npm %s', (_, command) => {
  let bogus: NpmScriptRun;
  let help: NpmScriptRun;

  beforeAll(async () => {
    // When the command is given an option it does not take, and when it is asked for help
    [bogus, help] = await Promise.all([run(command, '--bogus'), run(command, '--help')]);
  }, 90000);

  it('prints an unknown option in one line, then the usage, and exits 2', () => {
    expect(nonEmptyLines(bogus.stderr)).toEqual([
      "unknown option '--bogus'",
      expect.stringMatching(`^usage: npm ${command.join(' ')}( |$)`),
    ]);
    expect(bogus.code).toBe(2);
  });

  it('prints no stack trace for the mistake', () => {
    expect(bogus.stderr).not.toMatch(/^\s+at /m);
  });

  it('prints the usage for --help and exits 0', () => {
    expect(nonEmptyLines(help.stdout)).toEqual([expect.stringMatching(/^usage: npm /)]);
    expect(help.code).toBe(0);
  });
});
