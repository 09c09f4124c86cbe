// Flat config: typescript-eslint's type-aware recommended rules; formatting is prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// The local cloud is a package of its own: the app reaches it only through its public entry, and
// it reaches nothing of the app's (its specs read their own fixtures).
const LOCAL_CLOUD = 'packages/local-cloud';
const SOURCES = '*.{ts,js,mjs,cjs}';
const ONLY_PUBLIC_ENTRY = {
  files: [`**/${SOURCES}`],
  ignores: [`${LOCAL_CLOUD}/**`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: '^@serverless-week/local-cloud/',
            message: 'Import the local cloud from its public entry, @serverless-week/local-cloud.',
          },
          {
            regex: '^(\\.\\.?/)+(.*/)?packages/',
            message:
              'Import a workspace package by its name (@serverless-week/local-cloud), not by a path into packages/.',
          },
        ],
      },
    ],
  },
};
/** A file `depth` folders below the package's root may climb `depth` folders, and no further. */
const stayInsidePackage = (depth) => ({
  files: [`${LOCAL_CLOUD}/${'*/'.repeat(depth)}${SOURCES}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(\\./)?(\\.\\./){${depth + 1},}`,
            message: `The local cloud imports nothing outside ${LOCAL_CLOUD}: it must not depend on the app.`,
          },
        ],
      },
    ],
  },
});
const PACKAGE_DEPTHS = [0, 1, 2, 3, 4, 5, 6, 7];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdktf.out/',
      'build/',
      'coverage/',
      '.local-cloud/',
      'handlers/lib/api-types.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'off',
    },
  },
  ONLY_PUBLIC_ENTRY,
  ...PACKAGE_DEPTHS.map(stayInsidePackage),
  {
    // An untyped package's API is declared in a .d.ts next to the one module that imports it, which
    // references it (src/services/dynamodb/dynalite.d.ts), so the declaration travels with the package
    // into any program using it.
    files: ['packages/*/src/**/*.ts'],
    rules: { '@typescript-eslint/triple-slash-reference': ['error', { path: 'always' }] },
  },
  {
    files: ['web/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'module',
      // Plain browser modules, outside tsconfig: parse them without type information.
      parserOptions: { projectService: false, project: false, program: null },
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        FormData: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        File: 'readonly',
        Blob: 'readonly',
        HTMLElement: 'readonly',
        Event: 'readonly',
        AbortController: 'readonly',
        URLSearchParams: 'readonly',
        location: 'readonly',
        Intl: 'readonly',
      },
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/jest.config.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'commonjs',
      parserOptions: { projectService: false, project: false, program: null },
      globals: { module: 'writable', require: 'readonly', process: 'readonly' },
    },
  },
  prettier,
);
