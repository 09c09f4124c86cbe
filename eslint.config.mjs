// Flat config: typescript-eslint's type-aware recommended rules; formatting is prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// The workspace packages (the local cloud, and the helpers the specs share) are reached only
// through their public entries, and reach nothing of the app's (the local cloud's specs read their
// own fixtures).
const PACKAGES = ['packages/local-cloud', 'packages/test-support'];
const SOURCES = '*.{ts,js,mjs,cjs}';
const NO_DEEP_IMPORT = {
  regex: '^@serverless-week/[^/]+/',
  message:
    'Import a workspace package from its public entry (@serverless-week/local-cloud, @serverless-week/test-support), not by a path inside it.',
};
const ONLY_PUBLIC_ENTRY = {
  files: [`**/${SOURCES}`],
  ignores: PACKAGES.map((folder) => `${folder}/**`),
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          NO_DEEP_IMPORT,
          {
            regex: '^(\\.\\.?/)+(.*/)?packages/',
            message:
              'Import a workspace package by its name (@serverless-week/local-cloud, @serverless-week/test-support), not by a path into packages/.',
          },
        ],
      },
    ],
  },
};
/** A file `depth` folders below its package's root may climb `depth` folders, and no further. */
const stayInsidePackage = (folder, depth) => ({
  files: [`${folder}/${'*/'.repeat(depth)}${SOURCES}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          NO_DEEP_IMPORT,
          {
            regex: `^(\\./)?(\\.\\./){${depth + 1},}`,
            message: `${folder} imports nothing outside it by path: not the app, and another package only by its name.`,
          },
        ],
      },
    ],
  },
});
// The shared test helpers are for specs: no source of the app or of the local cloud imports them
// (a rule of its own, so that it adds to the boundary rules above instead of replacing them).
const ONLY_SPECS_USE_TEST_SUPPORT = {
  files: [`**/${SOURCES}`],
  ignores: ['__tests__/**', 'packages/local-cloud/test/**', 'packages/test-support/**'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: [
          {
            name: '@serverless-week/test-support',
            message: 'Only specs (__tests__/, packages/*/test/) use @serverless-week/test-support.',
          },
        ],
      },
    ],
  },
};
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
  ...PACKAGES.flatMap((folder) => PACKAGE_DEPTHS.map((depth) => stayInsidePackage(folder, depth))),
  ONLY_SPECS_USE_TEST_SUPPORT,
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
        ResizeObserver: 'readonly',
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
