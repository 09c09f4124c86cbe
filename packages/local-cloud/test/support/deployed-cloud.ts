/**
 * A local cloud started with no stack (as `npm start -- --empty`), in-process on ports of its own,
 * for the control plane's specs; and what they deploy into it before the IAM API does: a role.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud } from '../../src/local-cloud';
import type { LocalCloud } from '../../src/local-cloud';
import { silentLog } from '../../src/log';
import type { PolicyDocument, RoleSpec } from '../../src/stack/topology';

export async function startEmptyCloud(dataDir: string): Promise<LocalCloud> {
  return startLocalCloud({
    dataDir,
    ports: { web: 0, api: 0, httpApi: 0, aws: 0 },
    log: silentLog,
  });
}

export function temporaryDataDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A trust policy that lets `service` assume the role. */
export function trustPolicy(service: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  };
}

/** A role in the cloud's registry, as IAM's CreateRole would put it. */
export function putRole(cloud: LocalCloud, name: string, service: string): RoleSpec {
  const arn = `arn:aws:iam::${cloud.topology.accountId}:role/${name}`;
  const role: RoleSpec = {
    address: arn,
    name,
    arn,
    assumeRolePolicy: trustPolicy(service),
    inlinePolicies: {},
    managedPolicyArns: [],
  };
  cloud.resources.put('roles', role);
  return role;
}
