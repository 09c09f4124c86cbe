/**
 * The fixture stack's cloud for the HTTP API control-plane specs, with an API Gateway v2 client
 * signed as the administrator, and without the stack's HTTP API: the HTTP API port serves the
 * registry's first, so the one a spec makes is the one served.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiGatewayV2Client, DeleteApiCommand, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { silentLog } from '../../src/log';
import { startLocalCloud } from '../../src/local-cloud';
import type { LocalCloud } from '../../src/local-cloud';
import { copyFixtureStack } from './fixture-stack';

export interface HttpApiCloud {
  cloud: LocalCloud;
  client: ApiGatewayV2Client;
  /** Deletes every HTTP API the registry holds. */
  deleteHttpApis(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHttpApiCloud(): Promise<HttpApiCloud> {
  const stackDir = await copyFixtureStack();
  const dataDir = mkdtempSync(join(tmpdir(), 'http-api-cloud-'));
  const cloud = await startLocalCloud({
    stackDir,
    dataDir,
    ports: { web: 0, api: 0, httpApi: 0, aws: 0 },
    log: silentLog,
  });
  const client = new ApiGatewayV2Client({
    region: 'us-east-1',
    endpoint: cloud.endpoints.aws,
    credentials: cloud.adminCredentials,
  });
  const deleteHttpApis = async (): Promise<void> => {
    const { Items = [] } = await client.send(new GetApisCommand({}));
    for (const api of Items) await client.send(new DeleteApiCommand({ ApiId: api.ApiId }));
  };
  await deleteHttpApis();
  return {
    cloud,
    client,
    deleteHttpApis,
    stop: async () => {
      client.destroy();
      await cloud.stop();
      rmSync(stackDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
