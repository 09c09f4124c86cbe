/**
 * IAM: the keys of the administrator and of every function and state machine (random, kept in the
 * data directory), every role's policies and every resource policy; the paths between services
 * the policies break are said at boot, not at the first request.
 */
import { join } from 'node:path';
import { DEFAULT_ADMIN_CREDENTIALS, openCallerKeys } from '../credentials';
import type { CallerKind, Credentials } from '../credentials';
import { AccessControl, roleNameOf } from '../iam/access-control';
import { integrationRoleArns } from '../services/api-gateway/integration-roles';
import type { IamMode } from '../iam/access-control';
import { reportIamAtBoot, ServiceLinks } from '../iam/service-links';
import type { LocalLog } from '../log';
import type { StackTopology } from '../stack/topology';
import { iamUsageFile } from './data-directory';
import type { Started } from './types';

export interface AccessOptions {
  dataDir: string;
  log: LocalLog;
  /** Default: enforce. */
  iam?: IamMode;
  /** Where IAM decisions are recorded (default <dataDir>/iam-usage.json). */
  iamUsageFile?: string;
  /** Default DEFAULT_ADMIN_CREDENTIALS. */
  adminCredentials?: Credentials;
}

export interface Access {
  readonly control: AccessControl;
  /** The account administrator's key pair. */
  readonly adminCredentials: Credentials;
  /** The key pair a function or state machine signs with (made for this data directory). */
  readonly credentialsFor: (kind: CallerKind, name: string) => Credentials;
}

/** The callers' keys and the policies' judge; stopping it flushes the usage it recorded. */
export function controlAccess(topology: StackTopology, options: AccessOptions): Started<Access> {
  const { dataDir } = options;
  const adminCredentials = options.adminCredentials ?? DEFAULT_ADMIN_CREDENTIALS;
  const apiIntegrationRoles = integrationRoleArns(topology.restApis);
  const keys = openCallerKeys(join(dataDir, 'access-keys.json'), [
    ...topology.functions.map(({ name }) => ({ kind: 'function' as const, name })),
    ...topology.stateMachines.map(({ name }) => ({ kind: 'state-machine' as const, name })),
    ...apiIntegrationRoles.map((arn) => ({
      kind: 'api-integration' as const,
      name: roleNameOf(arn),
    })),
  ]);
  const credentialsFor = (kind: CallerKind, name: string): Credentials =>
    keys.credentialsFor(kind, name);
  const control = new AccessControl({
    topology,
    mode: options.iam ?? 'enforce',
    log: options.log,
    credentialsFor,
    admin: adminCredentials,
    usageFile: options.iamUsageFile ?? iamUsageFile(dataDir),
    apiIntegrationRoles: () => integrationRoleArns(topology.restApis),
  });
  return {
    service: { control, adminCredentials, credentialsFor },
    stop: () => control.flush(),
  };
}

/** The paths between the stack's services (triggers, destinations, invokes), judged by IAM. */
export function linkServices(
  control: AccessControl,
  topology: StackTopology,
  log: LocalLog,
): ServiceLinks {
  const links = new ServiceLinks(control, topology);
  reportIamAtBoot(log, control, links);
  return links;
}
