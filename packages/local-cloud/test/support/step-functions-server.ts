/** The local Step Functions on an HTTP server of its own, and a real SFNClient of it. */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../src/credentials';
import { StepFunctionsService } from '../../src/services/step-functions/step-functions';
import type { StepFunctionsOptions } from '../../src/services/step-functions/step-functions';

export interface ServedStepFunctions {
  service: StepFunctionsService;
  client: SFNClient;
  /** Stops the service, then the client and the server. */
  close(): Promise<void>;
}

export async function serveStepFunctions(
  options: StepFunctionsOptions,
): Promise<ServedStepFunctions> {
  const service = new StepFunctionsService(options);
  const credentials = DEFAULT_ADMIN_CREDENTIALS;
  const server: Server = createServer((request, response) =>
    service.handle(request, response, { accessKeyId: credentials.accessKeyId }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new SFNClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: options.region,
    credentials,
    // StartSyncExecution's host prefix (sync-) would name a host that does not exist locally.
    disableHostPrefix: true,
  });
  return {
    service,
    client,
    close: async () => {
      client.destroy();
      await service.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
