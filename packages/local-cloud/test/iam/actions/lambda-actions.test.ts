/**
 * Lambda's REST API as IAM sees it (src/iam/actions/lambda-actions.ts),
 * through authorizationsFor: the requests are the real ones the SDK's LambdaClient sends to a
 * recording endpoint (see ../support/sdk-requests.ts).
 */
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeAsyncCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { authorizationsFor } from '../../../src/iam/request-authorizations';
import { context, incoming, only, recordSdkRequests } from '../support/sdk-requests';

const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:get-item';

const sdk = recordSdkRequests();
const { received, authorizationsOf } = sdk;
let lambda: LambdaClient;

beforeAll(() => {
  lambda = sdk.client((config) => new LambdaClient(config));
});

describe('Lambda', () => {
  it('authorizes Invoke by name with lambda:InvokeFunction on the function', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: 'get-item', Payload: Buffer.from('{}') })),
    );

    expect(authorizations).toEqual(only('lambda:InvokeFunction', FUNCTION));
  });

  it('adds the Qualifier parameter to the function’s ARN', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: 'get-item', Qualifier: '7' })),
    );

    expect(authorizations).toEqual(only('lambda:InvokeFunction', `${FUNCTION}:7`));
  });

  it('keeps an alias given in the function name', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: 'get-item:live' })),
    );

    expect(authorizations).toEqual(only('lambda:InvokeFunction', `${FUNCTION}:live`));
  });

  it('takes the account of a partial ARN', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: '210987654321:function:get-item:live' })),
    );

    expect(authorizations).toEqual(
      only('lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:210987654321:function:get-item:live'),
    );
  });

  it('uses a full ARN as it is', async () => {
    const arn = 'arn:aws:lambda:eu-west-1:210987654321:function:remote';

    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: arn })),
    );

    expect(authorizations).toEqual(only('lambda:InvokeFunction', arn));
  });

  it('authorizes an asynchronous Invoke with lambda:InvokeFunction too', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(new InvokeCommand({ FunctionName: 'get-item', InvocationType: 'Event' })),
    );

    expect(authorizations).toEqual(only('lambda:InvokeFunction', FUNCTION));
  });

  it('authorizes the legacy InvokeAsync with lambda:InvokeAsync', async () => {
    const authorizations = await authorizationsOf(() =>
      lambda.send(
        new InvokeAsyncCommand({ FunctionName: 'get-item', InvokeArgs: Buffer.from('{}') }),
      ),
    );

    expect(authorizations).toEqual(only('lambda:InvokeAsync', FUNCTION));
  });

  it.each<[string, () => Promise<unknown>]>([
    ['GetFunction', () => lambda.send(new GetFunctionCommand({ FunctionName: 'get-item' }))],
    [
      'GetFunctionConfiguration',
      () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'get-item' })),
    ],
    ['GetPolicy', () => lambda.send(new GetPolicyCommand({ FunctionName: 'get-item' }))],
  ])('authorizes %s with the lambda action of its name on the function', async (action, send) => {
    const authorizations = await authorizationsOf(send);

    expect(authorizations).toEqual(only(`lambda:${action}`, FUNCTION));
  });

  it('authorizes ListFunctions on every resource', async () => {
    const authorizations = await authorizationsOf(() => lambda.send(new ListFunctionsCommand({})));

    expect(authorizations).toEqual(only('lambda:ListFunctions', '*'));
  });

  it('authorizes a path it does not know with lambda:<method> on every resource', async () => {
    const request = await received(() => lambda.send(new ListFunctionsCommand({})));

    const authorizations = authorizationsFor(
      { ...incoming(request), rawPath: '/2099-01-01/gadgets' },
      context,
    );

    expect(authorizations).toEqual(only('lambda:GET', '*'));
  });
});
