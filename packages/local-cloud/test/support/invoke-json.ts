/** A synchronous invocation through the SDK v3 Lambda client, its payload parsed. */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { LambdaClient } from '@aws-sdk/client-lambda';

export async function invokeJson(
  lambda: LambdaClient,
  name: string,
  payload: unknown = {},
): Promise<unknown> {
  const answer = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }),
  );
  return JSON.parse(Buffer.from(answer.Payload ?? []).toString('utf8')) as unknown;
}
