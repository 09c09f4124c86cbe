/**
 * A function's ARN from any way the Lambda API lets a caller name it: a name, a partial ARN
 * (`123456789012:function:name`) or a full ARN, each with or without a qualifier, which is kept.
 */
export function functionArnOf(nameOrArn: string, region: string, accountId: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  if (/^\d{12}:function:/.test(nameOrArn)) return `arn:aws:lambda:${region}:${nameOrArn}`;
  return `arn:aws:lambda:${region}:${accountId}:function:${nameOrArn}`;
}
