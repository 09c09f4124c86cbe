/**
 * API Gateway's account settings (GetAccount, UpdateAccount): the CloudWatch role API Gateway logs
 * with, account-wide, kept in the data directory. Setting it is refused as API Gateway refuses it:
 * an ARN that is no role's, or a role API Gateway may not assume.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObject } from '../../../json';
import { replaceFile } from '../../../persistence/replace-file';
import type { ResourceRegistry } from '../../../model/resource-registry';
import { trustsService } from '../../../iam/role-trust';
import { badRequest } from './control-errors';
import type { PatchOperation } from './patch-operations';

interface AccountSettings {
  cloudwatchRoleArn?: string;
}

export interface ApiGatewayAccount {
  /** GetAccount's answer. */
  shape(): Record<string, unknown>;
  /** Whether API Gateway may write logs for the account (a CloudWatch role is set). */
  mayLog(): boolean;
  update(operations: PatchOperation[]): void;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export function openApiGatewayAccount(
  dataDir: string,
  registry: ResourceRegistry,
): ApiGatewayAccount {
  const file = join(dataDir, 'apigateway-account.json');
  let settings = read(file);
  return {
    shape: () => ({
      ...(settings.cloudwatchRoleArn ? { cloudwatchRoleArn: settings.cloudwatchRoleArn } : {}),
      throttleSettings: { burstLimit: 5000, rateLimit: 10000.0 },
      features: ['UsagePlans'],
      apiKeyVersion: '4',
    }),
    mayLog: () => settings.cloudwatchRoleArn !== undefined,
    update(operations) {
      let next = settings;
      for (const operation of operations) {
        if (
          operation.path !== '/cloudwatchRoleArn' ||
          !['replace', 'remove'].includes(operation.op)
        ) {
          throw badRequest(
            `Invalid patch path '${operation.path}' specified for op '${operation.op}'`,
          );
        }
        const arn = operation.op === 'remove' ? '' : (operation.value ?? '');
        next = arn === '' ? {} : { cloudwatchRoleArn: checkedRole(arn, registry) };
      }
      replaceFile(file, JSON.stringify(next));
      settings = next;
    },
  };
}

/** The role, if API Gateway could assume it (the provider retries this error while IAM settles). */
function checkedRole(arn: string, registry: ResourceRegistry): string {
  if (!ROLE_ARN.test(arn)) throw badRequest('The role ARN is not well formed');
  const role = registry.get('roles', arn);
  if (!role || !trustsService(role, 'apigateway.amazonaws.com')) {
    throw badRequest('The role ARN does not have required permissions set to API Gateway');
  }
  return arn;
}

function read(file: string): AccountSettings {
  if (!existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isObject(parsed) && typeof parsed.cloudwatchRoleArn === 'string'
      ? { cloudwatchRoleArn: parsed.cloudwatchRoleArn }
      : {};
  } catch {
    return {};
  }
}
