/**
 * The roles API Gateway assumes for a REST API's `aws` integrations (their `credentials`): IAM
 * issues each a key at boot, which the gateway signs those integrations' calls with.
 */
import { isObject } from '../../json';
import type { RestApiSpec } from '../../stack/topology';
import { operationsOf } from './openapi-routes';

const ROLE = /^arn:aws:iam::\d{12}:role\/.+$/;

export function integrationRoleArns(apis: readonly RestApiSpec[]): string[] {
  const roles = new Set<string>();
  for (const api of apis) {
    for (const { operation } of operationsOf(api.body)) {
      const integration = operation['x-amazon-apigateway-integration'];
      const credentials = isObject(integration) ? integration.credentials : undefined;
      if (typeof credentials === 'string' && ROLE.test(credentials)) roles.add(credentials);
    }
  }
  return [...roles];
}
