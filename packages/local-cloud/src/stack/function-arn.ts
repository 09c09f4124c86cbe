/**
 * A function's ARN from any way the Lambda API lets a caller name it: a name, a partial ARN
 * (`123456789012:function:name`) or a full ARN, each with or without a qualifier, which is kept.
 */
export function functionArnOf(nameOrArn: string, region: string, accountId: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  if (/^\d{12}:function:/.test(nameOrArn)) return `arn:aws:lambda:${region}:${nameOrArn}`;
  return `arn:aws:lambda:${region}:${accountId}:function:${nameOrArn}`;
}

/**
 * The function an API Gateway integration invokes: its URI is the function's invoke ARN
 * (`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`) or,
 * for an HTTP API, may be the function's ARN itself.
 */
export function invokedFunctionArn(uri: string): string | undefined {
  if (uri.startsWith('arn:aws:lambda:')) return uri;
  return /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(uri)?.[1];
}
