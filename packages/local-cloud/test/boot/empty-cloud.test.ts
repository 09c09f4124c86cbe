/**
 * `npm start -- --empty`: a cloud that boots no stack, ready for a deploy, and keeps what was
 * deployed to its data directory across a restart.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { rawRequest } from '@serverless-week/test-support';
import { startLocalCloud } from '../../src/local-cloud';
import type { LocalCloud } from '../../src/local-cloud';
import { createLog, silentLog } from '../../src/log';
import type { LocalLog } from '../../src/log';
import type { RoleSpec } from '../../src/stack/topology';

jest.setTimeout(60_000);

const deployedRole: RoleSpec = {
  address: 'arn:aws:iam::000000000000:role/deployed',
  name: 'deployed',
  arn: 'arn:aws:iam::000000000000:role/deployed',
  assumeRolePolicy: { Version: '2012-10-17', Statement: [] },
  inlinePolicies: {},
  managedPolicyArns: [],
};

let dataDir: string;
let cloud: LocalCloud | undefined;

const startEmpty = (log: LocalLog = silentLog): Promise<LocalCloud> =>
  startLocalCloud({ dataDir, ports: { web: 0, api: 0, httpApi: 0, aws: 0 }, log });

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'empty-cloud-'));
});

afterEach(async () => {
  await cloud?.stop();
  cloud = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a local cloud started with no stack', () => {
  it('holds no resource and answers on its AWS endpoint', async () => {
    // Given a cloud started with no stack
    cloud = await startEmpty();

    // When a client asks the AWS endpoint who it is
    const sts = new STSClient({
      endpoint: cloud.endpoints.aws,
      region: 'us-east-1',
      credentials: cloud.adminCredentials,
    });
    const identity = await sts.send(new GetCallerIdentityCommand({}));

    // Then it answers, and the cloud holds nothing
    expect(identity.Account).toBe('000000000000');
    expect(cloud.topology.functions).toEqual([]);
    expect(cloud.topology.buckets).toEqual([]);
  });

  it("answers the website port with S3's NoSuchWebsiteConfiguration until a website is deployed", async () => {
    // Given a cloud started with no stack
    cloud = await startEmpty();

    // When a browser asks the website port for its page
    const answer = await rawRequest(cloud.endpoints.web, { method: 'GET', path: '/' });

    // Then it is S3's 404 for a bucket without a website
    expect(answer.status).toBe(404);
    expect(answer.text).toContain('NoSuchWebsiteConfiguration');
  });

  it('gets back after a restart what was deployed to it', async () => {
    // Given a role deployed to a cloud started empty, which then stops
    cloud = await startEmpty();
    cloud.resources.put('roles', deployedRole);
    await cloud.stop();

    // When it starts again on the same data directory
    cloud = await startEmpty();

    // Then the role is there
    expect(cloud.topology.roles.map((role) => role.name)).toEqual(['deployed']);
  });

  it('boots on a journal whose last line a crash tore, with what was acknowledged and a warning', async () => {
    // Given a role IAM acknowledged, then a record the process was killed while writing
    cloud = await startEmpty();
    const admin = { endpoint: cloud.endpoints.aws, region: 'us-east-1' };
    await new IAMClient({ ...admin, credentials: cloud.adminCredentials }).send(
      new CreateRoleCommand({
        RoleName: 'acknowledged',
        AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
      }),
    );
    await cloud.stop();
    appendFileSync(join(dataDir, 'resources.journal'), '{"op":"put","kind":"roles","spec":{"na');

    // When the cloud starts again, empty, on the same data directory
    const lines: string[] = [];
    cloud = await startEmpty(createLog({ level: 'warn', sink: (line) => lines.push(line) }));

    // Then the acknowledged role is there, and the log says what was cut off
    const iam = new IAMClient({
      ...admin,
      endpoint: cloud.endpoints.aws,
      credentials: cloud.adminCredentials,
    });
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'acknowledged' }));
    expect(Role?.RoleName).toBe('acknowledged');
    expect(lines.join('\n')).toContain(
      'resources.journal: cut off a last record a crash interrupted',
    );
  });
});
