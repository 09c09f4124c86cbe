/**
 * The stack synthesized for a deploy to the local cloud (`npm run deploy -- local --local-cloud`):
 * the provider calls the local cloud, and the URLs it hands out answer on this machine.
 */
import { Testing } from 'cdktf';
import { AppStack } from '../../stacks/app-stack';
import type { AppStackOptions } from '../../stacks/app-stack';
import { STACK_SERVICES } from '../../stacks/lib/local-cloud';
import type { LocalCloudTarget } from '../../stacks/lib/local-cloud';
import { parseSynth, ref, resourcesOf, theResource } from '../support/synth';
import {
  createFixtureBundles,
  removeDirectory,
  temporaryDirectory,
} from '../support/stack-fixtures';

const TARGET: LocalCloudTarget = {
  awsEndpoint: 'http://127.0.0.1:4566',
  websiteEndpoint: 'http://127.0.0.1:3000',
  stateFile: '/tmp/local-cloud-data/terraform.local.tfstate',
};
const LOCAL: AppStackOptions = {
  stage: 'local',
  region: 'us-east-1',
  offline: false,
  localCloud: TARGET,
};

/** The provider's endpoint name of each service whose resources the stack declares. */
const SERVICE_OF_TYPE: [RegExp, string][] = [
  [/^aws_api_gateway_/, 'apigateway'],
  [/^aws_apigatewayv2_/, 'apigatewayv2'],
  [/^aws_cloudwatch_log_/, 'cloudwatchlogs'],
  [/^aws_dynamodb_/, 'dynamodb'],
  [/^aws_iam_/, 'iam'],
  [/^aws_lambda_/, 'lambda'],
  [/^aws_s3_/, 's3'],
  [/^aws_sfn_/, 'sfn'],
  [/^aws_sns_/, 'sns'],
  [/^aws_sqs_/, 'sqs'],
];

describe('AppStack deployed to the local cloud', () => {
  let bundles: string;
  let outdir: string;
  let synthesized: string;

  beforeAll(() => {
    // Given the local stage synthesized for the local cloud, with stand-in zips.
    bundles = createFixtureBundles();
    outdir = temporaryDirectory('local-cloud-target-spec');
    synthesized = Testing.synth(
      new AppStack(Testing.app({ outdir }), 'local', { ...LOCAL, bundleDirectory: bundles }),
    );
  });
  afterAll(() => {
    removeDirectory(outdir);
    removeDirectory(bundles);
  });

  const provider = () => parseSynth(synthesized).provider?.aws?.[0] ?? {};
  const restStage = () => theResource(synthesized, 'aws_api_gateway_stage');
  const restApi = () => theResource(synthesized, 'aws_api_gateway_rest_api');
  const httpStage = () => theResource(synthesized, 'aws_apigatewayv2_stage');
  const httpApi = () => theResource(synthesized, 'aws_apigatewayv2_api');
  const localApiUrl = () =>
    `http://127.0.0.1:4566/restapis/${ref(restApi(), 'id')}/${ref(restStage(), 'stage_name')}/_user_request_`;

  it("points every service the stack's resources call at the local cloud's AWS endpoint", () => {
    const types = Object.keys(parseSynth(synthesized).resource ?? {});
    const services = new Set(
      types.map((type) => SERVICE_OF_TYPE.find(([pattern]) => pattern.test(type))?.[1] ?? type),
    );

    expect([...services].filter((service) => !STACK_SERVICES.some((s) => s === service))).toEqual(
      [],
    );
    expect(provider().endpoints).toEqual([
      Object.fromEntries(STACK_SERVICES.map((service) => [service, TARGET.awsEndpoint])),
    ]);
  });

  it('uses path-style S3 and skips the credentials, metadata and region checks, not the account lookup', () => {
    expect(provider()).toMatchObject({
      s3_use_path_style: true,
      skip_credentials_validation: true,
      skip_metadata_api_check: 'true',
      skip_region_validation: true,
    });
    expect(provider()).not.toHaveProperty('skip_requesting_account_id');
  });

  it('writes no key pair into the synthesized stack: the provider reads it from the environment', () => {
    expect(provider()).not.toHaveProperty('access_key');
    expect(provider()).not.toHaveProperty('secret_key');
  });

  it('keeps its Terraform state in the file it is given', () => {
    expect(parseSynth(synthesized).terraform?.backend).toEqual({
      local: { path: TARGET.stateFile },
    });
  });

  it("outputs the REST API's and the HTTP API's path-style URLs on the local cloud's AWS endpoint", () => {
    const outputs = parseSynth(synthesized).output ?? {};

    expect(outputs.api_url).toEqual({ value: localApiUrl() });
    expect(outputs.http_api_url).toEqual({
      value: `http://127.0.0.1:4566/restapis/${ref(httpApi(), 'id')}/${ref(httpStage(), 'name')}/_user_request_/`,
    });
  });

  it("outputs the local cloud's website endpoint as the website URL", () => {
    expect(parseSynth(synthesized).output?.website_url).toEqual({ value: TARGET.websiteEndpoint });
  });

  it('allows the local website origin, the one the browser sends, and no AWS host name', () => {
    const cors = theResource(synthesized, 'aws_s3_bucket_cors_configuration');
    const origins = resourcesOf(synthesized, 'aws_lambda_function').map(
      (fn) => fn.block.environment?.variables?.ALLOWED_ORIGIN,
    );

    expect(cors.block.cors_rule).toEqual([
      expect.objectContaining({ allowed_origins: [TARGET.websiteEndpoint] }),
    ]);
    expect(new Set(origins.filter(Boolean))).toEqual(new Set([TARGET.websiteEndpoint]));
    expect(httpApi().block.cors_configuration).toMatchObject({
      allow_origins: [TARGET.websiteEndpoint],
    });
    expect(synthesized).not.toContain('s3-website');
  });

  it("tells the website the API's local URL in config.json", () => {
    const config = theResource(synthesized, 'aws_s3_object', (o) => o.key === 'config.json');

    expect(JSON.parse(String(config.block.content))).toEqual({ apiUrl: localApiUrl() });
  });

  it('refuses to be an offline plan or to keep its state in S3 as well', () => {
    const synthWith = (overrides: Partial<AppStackOptions>) => () =>
      new AppStack(Testing.app({ outdir }), 'local', {
        ...LOCAL,
        ...overrides,
        bundleDirectory: bundles,
      });

    expect(synthWith({ offline: true })).toThrow('neither an offline plan nor in remote state');
    expect(synthWith({ remoteState: { bucket: 'state', region: 'us-east-1' } })).toThrow(
      'neither an offline plan nor in remote state',
    );
  });
});
