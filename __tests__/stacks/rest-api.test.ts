import { readFileSync } from 'node:fs';
import { TerraformOutput } from 'cdktf';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { Construct } from 'constructs';
import type { FunctionName } from '../../handlers/environments';
import type { NodeFunction } from '../../stacks/constructs/node-function';
import { RestApi, operationsOf } from '../../stacks/constructs/rest-api';
import type { RestApiProps } from '../../stacks/constructs/rest-api';
import type { ApiGatewayDocument } from '../support/synth';
import { projectFiles } from '../../stacks/project-files';
import {
  functionNamed,
  parseSynth,
  ref,
  resourcesOf,
  restApiBodyOf,
  synthScope,
  theResource,
  trustStatementsOf,
} from '../support/synth';
import {
  createFixtureBundles,
  functionNames,
  removeDirectory,
  testDefaults,
  testFunction,
  testNaming,
} from '../support/stack-fixtures';

const ORIGIN = 'http://site.example';
/** The app's OpenAPI document, as RestApi takes it. */
const document = JSON.parse(
  readFileSync(projectFiles.openApiDocument, 'utf8'),
) as ApiGatewayDocument & Record<string, unknown>;

/** Where each operation lives: the method and path its invoke permission is scoped to. */
const ROUTES: Record<string, string> = {
  listItems: 'GET/items',
  createItem: 'POST/items',
  getItem: 'GET/items/*',
  updateItem: 'PUT/items/*',
  deleteItem: 'DELETE/items/*',
  createImageUpload: 'POST/items/*/image',
  publishNotification: 'POST/notifications',
  receiveMessages: 'GET/messages',
  deleteMessage: 'DELETE/messages/*',
  listAudit: 'GET/audit',
  startWorkflow: 'POST/workflows',
  getWorkflow: 'GET/workflows/*',
};

/** What the stack fills the AWS service integrations' placeholders with. */
const INTEGRATION_VALUES = {
  region: 'eu-west-1',
  accountId: '123456789012',
  inboxQueueName: 'serverless-week-test-inbox',
  sendMessageRoleArn: 'arn:aws:iam::123456789012:role/serverless-week-test-send-to-inbox',
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function isFunctionName(name: string): name is FunctionName {
  return (functionNames as string[]).includes(name);
}

function handlersFor(
  scope: Construct,
  bundles: string,
  operationIds: string[],
): Record<string, NodeFunction> {
  return Object.fromEntries(
    operationIds.map((operationId) => {
      if (!isFunctionName(operationId)) throw new Error(`No function is named ${operationId}`);
      return [operationId, testFunction(scope, testDefaults(bundles), operationId)];
    }),
  );
}

function restApiProps(
  overrides: Partial<RestApiProps> & Pick<RestApiProps, 'handlers'>,
): RestApiProps {
  return {
    naming: testNaming,
    document,
    allowedOrigin: ORIGIN,
    stageName: 'test',
    throttling: { burstLimit: 20, rateLimit: 10 },
    logRetentionDays: 7,
    manageAccountLoggingRole: true,
    integrationValues: INTEGRATION_VALUES,
    ...overrides,
  };
}

describe('RestApi', () => {
  let bundles: string;
  let synthesized: string;

  beforeAll(() => {
    bundles = createFixtureBundles();
    // Given the app's OpenAPI document and one function per operation.
    synthesized = synthScope((scope) => {
      const api = new RestApi(
        scope,
        'api',
        restApiProps({ handlers: handlersFor(scope, bundles, Object.keys(ROUTES)) }),
      );
      new TerraformOutput(scope, 'url', { value: api.url });
    });
  });
  afterAll(() => removeDirectory(bundles));

  const api = () => theResource(synthesized, 'aws_api_gateway_rest_api');
  const body = () => restApiBodyOf(synthesized);
  const operationsOfBody = () =>
    Object.entries(body().paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => HTTP_METHODS.includes(method))
        .map(([method, operation]) => ({ path, method, operation })),
    );

  it('imports the OpenAPI document as the body of a regional API that fails on warnings', () => {
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayRestApi, {
      name: 'serverless-week-test-api',
      fail_on_warnings: true,
      endpoint_configuration: { types: ['REGIONAL'] },
    });
    expect(Object.keys(body().paths)).toEqual(Object.keys(document.paths));
  });

  it('integrates every Lambda operation through aws_proxy, POST, to its own function', () => {
    // Given the body, then each operation's URI is the invoke ARN of the function of its id.
    const lambdaOperations = operationsOfBody().filter(
      ({ method, operation }) =>
        method !== 'options' && operation['x-amazon-apigateway-integration'].type !== 'aws',
    );
    expect(lambdaOperations).toHaveLength(Object.keys(ROUTES).length);
    for (const { operation } of lambdaOperations) {
      const handler = functionNamed(synthesized, testNaming.name(operation.operationId ?? ''));
      expect(operation['x-amazon-apigateway-integration']).toEqual(
        expect.objectContaining({
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: ref(handler, 'invoke_arn'),
        }),
      );
    }
  });

  it('integrates POST /messages straight with SQS SendMessage, as its own role, with no function', () => {
    const integration = body().paths['/messages']?.post?.['x-amazon-apigateway-integration'];
    expect(integration).toEqual(
      expect.objectContaining({
        type: 'aws',
        httpMethod: 'POST',
        uri: 'arn:aws:apigateway:eu-west-1:sqs:path/123456789012/serverless-week-test-inbox',
        credentials: INTEGRATION_VALUES.sendMessageRoleArn,
        requestParameters: {
          'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
        },
        passthroughBehavior: 'never',
        requestTemplates: {
          'application/json':
            "Action=SendMessage&MessageBody=$util.urlEncode($input.path('$.body'))",
        },
      }),
    );
    expect(synthesized).not.toHaveResourceWithProperties(LambdaPermission, {
      source_arn: expect.stringContaining('/POST/messages') as unknown,
    });
  });

  it("maps SQS's answers to POST /messages by status: 2xx to 202 {messageId}, 4xx and 5xx to {message}, each with CORS", () => {
    const post = body().paths['/messages']?.post;
    const responses = post?.['x-amazon-apigateway-integration'].responses ?? {};
    expect(Object.keys(responses)).toEqual(['2\\d{2}', '4\\d{2}', '5\\d{2}']);
    expect(responses['2\\d{2}']?.statusCode).toBe('202');
    expect(responses['2\\d{2}']?.responseTemplates?.['application/json']).toBe(
      `{"messageId":"$input.path('$.SendMessageResponse.SendMessageResult.MessageId')"}`,
    );
    for (const response of Object.values(responses)) {
      expect(response.responseParameters).toEqual({
        'method.response.header.Access-Control-Allow-Origin': `'${ORIGIN}'`,
        'method.response.header.Vary': "'Origin'",
      });
      // API Gateway imports a header mapping only for a header the method response declares.
      expect(Object.keys(post?.responses?.[response.statusCode] ?? {})).toContain('headers');
    }
    for (const pattern of ['4\\d{2}', '5\\d{2}']) {
      const template = responses[pattern]?.responseTemplates?.['application/json'] ?? '';
      expect(Object.keys(JSON.parse(template) as object)).toEqual(['message']);
    }
  });

  it('answers every CORS preflight with a mock integration allowing the website origin', () => {
    const preflights = operationsOfBody().filter(({ method }) => method === 'options');
    expect(preflights.map(({ path }) => path)).toEqual(Object.keys(body().paths));
    for (const { operation } of preflights) {
      const integration = operation['x-amazon-apigateway-integration'];
      expect(integration.type).toBe('mock');
      expect(integration.responses?.default?.statusCode).toBe('204');
      expect(integration.responses?.default?.responseParameters).toEqual(
        expect.objectContaining({
          'method.response.header.Access-Control-Allow-Origin': `'${ORIGIN}'`,
          'method.response.header.Vary': "'Origin'",
        }),
      );
    }
  });

  it('lists in each preflight exactly the methods of its path, plus OPTIONS', () => {
    for (const [path, item] of Object.entries(body().paths)) {
      const allowed =
        item.options?.['x-amazon-apigateway-integration'].responses?.default?.responseParameters?.[
          'method.response.header.Access-Control-Allow-Methods'
        ];
      const methods = Object.keys(item)
        .filter((method) => HTTP_METHODS.includes(method))
        .map((method) => method.toUpperCase());
      expect({ path, methods: allowed?.replace(/'/g, '').split(',').sort() }).toEqual({
        path,
        methods: methods.sort(),
      });
    }
  });

  it.each(['DEFAULT_4XX', 'DEFAULT_5XX'])(
    'adds CORS headers for the website origin to the %s gateway response',
    (responseType) => {
      expect(
        body()['x-amazon-apigateway-gateway-responses'][responseType]?.responseParameters,
      ).toEqual(
        expect.objectContaining({
          'gatewayresponse.header.Access-Control-Allow-Origin': `'${ORIGIN}'`,
          'gatewayresponse.header.Vary': "'Origin'",
        }),
      );
    },
  );

  it('validates the body of every operation that has one, and the parameters of all', () => {
    const validators = body()['x-amazon-apigateway-request-validators'];
    expect(validators).toEqual({
      body: { validateRequestBody: true, validateRequestParameters: true },
      params: { validateRequestBody: false, validateRequestParameters: true },
    });
    for (const { operation } of operationsOfBody().filter(({ method }) => method !== 'options')) {
      expect({
        operationId: operation.operationId,
        validator: operation['x-amazon-apigateway-request-validator'],
      }).toEqual({
        operationId: operation.operationId,
        validator: operation.requestBody === undefined ? 'params' : 'body',
      });
    }
  });

  it('leaves no placeholder of the document in the body', () => {
    expect(api().block.body).not.toMatch(/\$\{[A-Za-z][A-Za-z0-9]*\}/);
  });

  it('redeploys whenever the body changes, creating the new deployment before the old goes', () => {
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayDeployment, {
      rest_api_id: ref(api(), 'id'),
      triggers: { redeployment: `\${sha1(${api().address}.body)}` },
      lifecycle: { create_before_destroy: true },
    });
  });

  it('deploys to the stage with JSON access logs in a log group with retention', () => {
    const accessLogs = theResource(
      synthesized,
      'aws_cloudwatch_log_group',
      (group) => group.name === '/aws/apigateway/serverless-week-test-api/access',
    );
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: accessLogs.block.name,
      retention_in_days: 7,
    });
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayStage, {
      stage_name: 'test',
      deployment_id: ref(theResource(synthesized, 'aws_api_gateway_deployment'), 'id'),
    });
    const stage = theResource(synthesized, 'aws_api_gateway_stage');
    expect(stage.block).toEqual(
      expect.objectContaining({
        access_log_settings: {
          destination_arn: ref(accessLogs, 'arn'),
          format: expect.stringContaining('"requestId":"$context.requestId"') as unknown,
        },
      }),
    );
  });

  it('writes access logs as one JSON object per request', () => {
    const { block } = theResource(synthesized, 'aws_api_gateway_stage');
    const format = JSON.parse(block.access_log_settings.format) as Record<string, string>;
    expect(Object.keys(format)).toEqual(
      expect.arrayContaining(['requestId', 'httpMethod', 'resourcePath', 'status']),
    );
  });

  it('throttles every method of the stage and records metrics and errors', () => {
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayMethodSettings, {
      method_path: '*/*',
      stage_name: ref(theResource(synthesized, 'aws_api_gateway_stage'), 'stage_name'),
      settings: {
        throttling_burst_limit: 20,
        throttling_rate_limit: 10,
        metrics_enabled: true,
        logging_level: 'ERROR',
        data_trace_enabled: false,
      },
    });
  });

  it('lets API Gateway invoke each function only for its own method and path in the stage', () => {
    // Given one permission per function, then each is scoped to this API, stage and route.
    const permissions = resourcesOf(synthesized, 'aws_lambda_permission');
    expect(permissions).toHaveLength(Object.keys(ROUTES).length);
    for (const [operationId, route] of Object.entries(ROUTES)) {
      const handler = functionNamed(synthesized, testNaming.name(operationId));
      expect(permissions.map((permission) => permission.block)).toContainEqual({
        statement_id: 'AllowApiGatewayInvoke',
        action: 'lambda:InvokeFunction',
        function_name: ref(handler, 'function_name'),
        principal: 'apigateway.amazonaws.com',
        source_arn: `${ref(api(), 'execution_arn')}/test/${route}`,
      });
    }
  });

  it('sets the account-wide CloudWatch role for API Gateway logs before the stage exists', () => {
    const role = theResource(synthesized, 'aws_iam_role', (r) =>
      r.name.endsWith('-apigateway-cloudwatch'),
    );
    expect(trustStatementsOf(synthesized, role.address)).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['apigateway.amazonaws.com'] }],
      },
    ]);
    expect(synthesized).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      role: ref(role, 'name'),
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
    });
    expect(synthesized).toHaveResourceWithProperties(ApiGatewayAccount, {
      cloudwatch_role_arn: ref(role, 'arn'),
    });
    expect(theResource(synthesized, 'aws_api_gateway_stage').block.depends_on).toEqual([
      theResource(synthesized, 'aws_api_gateway_account').address,
    ]);
  });

  it('has the invoke URL of its stage as its URL', () => {
    expect(parseSynth(synthesized).output?.url?.value).toBe(
      ref(theResource(synthesized, 'aws_api_gateway_stage'), 'invoke_url'),
    );
  });

  it('leaves the account logging role alone when the account already has one', () => {
    const withoutRole = synthScope((scope) => {
      new RestApi(
        scope,
        'api',
        restApiProps({
          handlers: handlersFor(scope, bundles, Object.keys(ROUTES)),
          manageAccountLoggingRole: false,
        }),
      );
    });
    expect(resourcesOf(withoutRole, 'aws_api_gateway_account')).toEqual([]);
    expect(resourcesOf(withoutRole, 'aws_iam_role_policy_attachment')).toEqual([]);
    expect(theResource(withoutRole, 'aws_api_gateway_stage').block.depends_on).toEqual([]);
  });

  describe('when operations and functions do not match one to one', () => {
    const smallDocument = {
      paths: {
        '/items': {
          get: {
            operationId: 'listItems',
            'x-amazon-apigateway-integration': { uri: '${listItemsInvokeArn}' },
          },
        },
      },
    };

    it('throws when an operation has no function', () => {
      // Given an operation listItems and no handlers, when the API is built, then it refuses.
      expect(() =>
        synthScope((scope) => {
          new RestApi(scope, 'api', restApiProps({ document: smallDocument, handlers: {} }));
        }),
      ).toThrow('No function for operation(s) listItems');
    });

    it('throws when a function has no operation', () => {
      expect(() =>
        synthScope((scope) => {
          const handlers = handlersFor(scope, bundles, ['listItems', 'getItem']);
          new RestApi(scope, 'api', restApiProps({ document: smallDocument, handlers }));
        }),
      ).toThrow('Functions for unknown operation(s) getItem');
    });
  });
});

describe('operationsOf', () => {
  it('lists the Lambda operations with method and path, leaving CORS preflights and AWS service integrations out', () => {
    expect(operationsOf(document)).toEqual(
      expect.arrayContaining([
        { operationId: 'createImageUpload', method: 'POST', path: '/items/{id}/image' },
        { operationId: 'getWorkflow', method: 'GET', path: '/workflows/{executionId}' },
      ]),
    );
    expect(
      operationsOf(document)
        .map(({ operationId }) => operationId)
        .sort(),
    ).toEqual(Object.keys(ROUTES).sort());
  });

  it('throws when an operation has no operationId', () => {
    expect(() => operationsOf({ paths: { '/items': { get: { summary: 'anonymous' } } } })).toThrow(
      'OpenAPI: GET /items has no operationId',
    );
  });
});
