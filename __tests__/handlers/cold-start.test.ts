/**
 * Every function reads its environment contract at cold start (module scope): a variable the
 * stack forgot to bind fails the init phase, naming the variable, instead of surfacing later as
 * a confusing SDK error on the first request.
 */
// First: imageProcessor's codecs load as CommonJS under Jest, so its import reaches the environment check.
import '../support/jsquash-as-commonjs';
import { entryName, environments } from '../../handlers/environments';
import type { FunctionName } from '../../handlers/environments';
import { setEnvironment } from '../support/emulators';
import { APP_ENV } from '../support/test-app';

let restore: () => void;

beforeAll(() => {
  restore = setEnvironment({
    ...APP_ENV,
    AWS_REGION: 'eu-west-1',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
  });
});

afterAll(() => restore());

/** Imports the handler module in a fresh registry, as a new Lambda execution environment would. */
async function coldStart(name: FunctionName): Promise<unknown> {
  let outcome: unknown;
  await jest.isolateModulesAsync(async () => {
    // The error class of this registry, so instanceof means what it says.
    const { MissingEnvironmentError } = await import('../../handlers/lib/env-contract');
    try {
      await import(`../../handlers/${entryName(name)}`);
      outcome = 'started';
    } catch (error) {
      outcome =
        error instanceof MissingEnvironmentError
          ? { missing: error.missing, message: error.message }
          : error;
    }
  });
  return outcome;
}

const cases = (Object.keys(environments) as FunctionName[]).flatMap((name) =>
  environments[name].keys.map((variable) => ({ name, variable })),
);

describe('cold start', () => {
  it.each(cases)(
    '$name fails at import when $variable is missing, with a MissingEnvironmentError naming it',
    async ({ name, variable }) => {
      const unset = setEnvironment({ [variable]: undefined });
      try {
        expect(await coldStart(name)).toEqual({
          missing: [variable],
          message: `Missing environment variable(s): ${variable}`,
        });
      } finally {
        unset();
      }
    },
  );

  it('a function missing several variables names all of them at once', async () => {
    const unset = setEnvironment({ ITEMS_TABLE: undefined, ALLOWED_ORIGIN: undefined });
    try {
      expect(await coldStart('updateItem')).toMatchObject({
        missing: ['ITEMS_TABLE', 'ALLOWED_ORIGIN'],
      });
    } finally {
      unset();
    }
  });

  it('a variable set to an empty string counts as missing', async () => {
    const unset = setEnvironment({ AUDIT_TABLE: '' });
    try {
      expect(await coldStart('auditConsumer')).toMatchObject({ missing: ['AUDIT_TABLE'] });
    } finally {
      unset();
    }
  });

  it.each(Object.keys(environments) as FunctionName[])(
    '%s starts when its whole contract is bound',
    async (name) => {
      expect(await coldStart(name)).toBe('started');
    },
  );
});
