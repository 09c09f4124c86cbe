/**
 * Tests are TypeScript, compiled by swc (type checking is `tsc --noEmit`'s job, run by `npm test`).
 * Two projects: the app's specs (__tests__/) and the local cloud package's own (packages/local-cloud).
 */
// Lambda runs Node 22; the SDK's notice that this machine's Node 20 will go out of support is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * The whole stack deployed to the local cloud and destroyed (__tests__/local-cloud-deploy) runs
 * apart, with `npm run test:local-cloud-deploy` and `npm run test:broken-variants`
 * (LOCAL_CLOUD_DEPLOY_SPEC=1): minutes of real
 * Terraform, which `npm test` leaves out.
 */
const deploySpecs =
  process.env.LOCAL_CLOUD_DEPLOY_SPEC === '1' ? [] : ['/__tests__/local-cloud-deploy/'];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  // One worker per core, not jest's default of one fewer (a single worker on a 2-core CI machine):
  // most end-to-end specs wait on local clouds, child processes and a browser rather than the CPU.
  maxWorkers: '100%',
  projects: [
    {
      displayName: 'app',
      testEnvironment: 'node',
      roots: ['<rootDir>/__tests__'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...deploySpecs],
      transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
      globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
      globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/__tests__/support/cdktf-matchers.ts'],
    },
    '<rootDir>/packages/local-cloud',
  ],
};
