/**
 * The stack deployed to the local cloud (`npm run deploy -- local --local-cloud`) rather than to
 * AWS: the provider calls the local cloud's AWS endpoint, and the URLs the stack hands out are the
 * ones that answer on this machine.
 */
import type { AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { PROVIDER_ENDPOINT_SERVICES } from '@serverless-week/local-cloud';

export interface LocalCloudTarget {
  /** The local cloud's AWS endpoint (`aws` in its endpoints.json). */
  awsEndpoint: string;
  /**
   * Where the local cloud serves the website bucket (`web` in endpoints.json): the site's URL,
   * and so the one origin the API and the uploads bucket allow (what the browser really sends).
   */
  websiteEndpoint: string;
  /** Terraform state of this deploy, apart from that of a deploy of the same stage to AWS. */
  stateFile: string;
}

/**
 * Every service the stack's resources call, by the provider's names for their endpoints: those
 * the local cloud serves (a spec checks that the stack uses no other).
 */
export const STACK_SERVICES = PROVIDER_ENDPOINT_SERVICES;

/**
 * Provider settings for the local cloud: every endpoint the stack uses at it, path-style S3 (no
 * bucket host names), no EC2 metadata, credentials or region checks. The account id is still
 * looked up (STS answers it): the API invoke permissions' source ARNs are built from it. The key
 * pair comes from the environment, never from the synthesized file.
 */
export function localCloudProviderSettings(target: LocalCloudTarget): Partial<AwsProviderConfig> {
  return {
    endpoints: [Object.fromEntries(STACK_SERVICES.map((service) => [service, target.awsEndpoint]))],
    s3UsePathStyle: true,
    skipCredentialsValidation: true,
    skipMetadataApiCheck: 'true',
    skipRegionValidation: true,
  };
}

/**
 * An API stage's URL on the local cloud, path-style as LocalStack's
 * (`<aws endpoint>/restapis/<api id>/<stage>/_user_request_`): the provider computes `invoke_url`
 * as an execute-api host name of AWS, which no endpoint setting changes.
 */
export function localInvokeUrl(awsEndpoint: string, apiId: string, stage: string): string {
  return `${awsEndpoint.replace(/\/+$/, '')}/restapis/${apiId}/${stage}/_user_request_`;
}
