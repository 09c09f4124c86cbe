/**
 * A local cloud started with no stack (as `npm start -- --empty`), in-process on ports of its own,
 * for the control plane's specs; and what they deploy into it before the IAM API does: a role.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
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

/** A Lambda client of the cloud, signing with the administrator's keys unless told otherwise. */
export function lambdaClient(
  cloud: LocalCloud,
  credentials = cloud.adminCredentials,
): LambdaClient {
  return new LambdaClient({
    endpoint: cloud.endpoints.aws,
    region: cloud.topology.region,
    credentials,
    maxAttempts: 1,
  });
}

/** A synchronous invocation's payload, parsed. */
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

export interface EmptyCloudFixture {
  readonly cloud: LocalCloud;
  readonly lambda: LambdaClient;
  readonly dataDir: string;
}

/**
 * A cloud started with no stack for a spec file (before all its tests, stopped after), with a
 * Lambda client and a role Lambda may assume (`lambda-role`) and one it may not (`states-role`).
 */
export function useEmptyCloud(prefix: string): EmptyCloudFixture {
  let data: ReturnType<typeof temporaryDataDir> | undefined;
  let started: { cloud: LocalCloud; lambda: LambdaClient } | undefined;
  const current = (): { cloud: LocalCloud; lambda: LambdaClient } => {
    if (!started) throw new Error('the cloud is not started yet (use the fixture inside tests)');
    return started;
  };
  beforeAll(async () => {
    data = temporaryDataDir(prefix);
    const cloud = await startEmptyCloud(data.dir);
    putRole(cloud, 'lambda-role', 'lambda.amazonaws.com');
    putRole(cloud, 'states-role', 'states.amazonaws.com');
    started = { cloud, lambda: lambdaClient(cloud) };
  });
  afterAll(async () => {
    started?.lambda.destroy();
    await started?.cloud.stop();
    data?.remove();
  });
  return {
    get cloud() {
      return current().cloud;
    },
    get lambda() {
      return current().lambda;
    },
    get dataDir() {
      if (!data) throw new Error('the cloud is not started yet');
      return data.dir;
    },
  };
}
