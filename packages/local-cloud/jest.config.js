/** The package's specs, on their own: no synthesized app, only the fixtures in test/fixtures. */
// Lambda runs Node 22; the SDK's notice that this machine's Node 20 will go out of support is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The SQS Query protocol spec drives the AWS SDK v2 on purpose; its maintenance notice is noise.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';

/**
 * The Terraform round trips of each control plane (`*-terraform.test.ts`: the real provider,
 * about a minute or more each) run apart with `npm run test:terraform` (TERRAFORM_SPECS=1); CI's
 * deploy of the whole stack (`npm run test:local-cloud-deploy`) applies, plans and destroys every
 * resource type they cover.
 */
const terraformSpecs = process.env.TERRAFORM_SPECS === '1' ? [] : ['-terraform\\.test\\.ts$'];

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'local-cloud',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...terraformSpecs],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 30000,
};
