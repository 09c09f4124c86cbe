/** Roles made through IAM's API, as a user's client makes them, for the control planes' specs. */
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { IAMClient } from '@aws-sdk/client-iam';
import { trustPolicy } from './policy-documents';

/**
 * A role `service` (e.g. `lambda.amazonaws.com`) may assume, with an inline policy allowing
 * `actions` on `resource` (none when `actions` is empty); its ARN.
 */
export async function createRoleAllowing(
  iam: IAMClient,
  name: string,
  service: string,
  actions: string[],
  resource: string,
): Promise<string> {
  const { Role } = await iam.send(
    new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy(service) }),
  );
  if (actions.length > 0) {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: 'allowed',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }],
        }),
      }),
    );
  }
  return Role?.Arn ?? '';
}
