/** Command lines read one way: the values asked for, and a mistake as one line naming it. */
import { parseCommandLine, UsageError } from '../src/parse-command-line';

const COMMAND_LINE = {
  usage: 'npm run example -- [--name <text>] [--quick]',
  options: { name: { type: 'string' }, quick: { type: 'boolean', default: false } },
} as const;

it('answers the values of the options given, and the defaults of the others', () => {
  const { values } = parseCommandLine(COMMAND_LINE, ['--name', 'x']);

  expect(values).toEqual({ name: 'x', quick: false, help: false });
});

it('names an unknown option in a UsageError, without the separator advice of node', () => {
  expect(() => parseCommandLine(COMMAND_LINE, ['--bogus'])).toThrow(
    new UsageError("unknown option '--bogus'"),
  );
});

it('names an option missing its value', () => {
  expect(() => parseCommandLine(COMMAND_LINE, ['--name'])).toThrow(
    new UsageError("option '--name <value>' argument missing"),
  );
});

it('refuses an argument that is not an option when the command takes none', () => {
  expect(() => parseCommandLine(COMMAND_LINE, ['stray'])).toThrow(
    new UsageError("unexpected argument 'stray'"),
  );
});
