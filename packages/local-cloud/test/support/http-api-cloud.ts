/**
 * The fixture stack's cloud for the HTTP API control-plane specs, with an API Gateway v2 client
 * signed as the administrator, and without the stack's HTTP API: the HTTP API port serves the
 * registry's first, so the one a spec makes is the one served.
 */
import { ApiGatewayV2Client, DeleteApiCommand, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import type { LocalCloud } from '../../src/local-cloud';
import { startFixtureCloud } from './in-process-cloud';

export interface HttpApiCloud {
  cloud: LocalCloud;
  client: ApiGatewayV2Client;
  /** Deletes every HTTP API the registry holds. */
  deleteHttpApis(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHttpApiCloud(): Promise<HttpApiCloud> {
  const fixture = await startFixtureCloud({ prefix: 'http-api-cloud-' });
  const client = fixture.client(ApiGatewayV2Client);
  const deleteHttpApis = async (): Promise<void> => {
    const { Items = [] } = await client.send(new GetApisCommand({}));
    for (const api of Items) await client.send(new DeleteApiCommand({ ApiId: api.ApiId }));
  };
  await deleteHttpApis();
  return { cloud: fixture.cloud, client, deleteHttpApis, stop: () => fixture.stop() };
}
