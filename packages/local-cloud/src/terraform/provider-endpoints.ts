/**
 * The AWS provider's (5.100.0) names for the endpoints of the services the local cloud serves:
 * a configuration that deploys to the local cloud points each of them at its AWS endpoint.
 */
export const PROVIDER_ENDPOINT_SERVICES = [
  'apigateway',
  'apigatewayv2',
  'cloudwatchlogs',
  'dynamodb',
  'iam',
  'lambda',
  's3',
  'sfn',
  'sns',
  'sqs',
  'sts',
] as const;
