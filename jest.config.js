/** Tests are TypeScript, compiled by swc (type checking is `tsc --noEmit`'s job, run by `npm test`). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/cdktf-matchers.ts'],
  testTimeout: 30000,
};
