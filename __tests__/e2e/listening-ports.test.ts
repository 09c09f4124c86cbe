/**
 * The local cloud opens exactly the four ports the README documents (website, REST API, HTTP API,
 * AWS endpoint): every emulator answers in-process, behind the AWS endpoint, with no listener of
 * its own that would take requests around IAM.
 */
import { listeningPorts } from '@serverless-week/test-support';
import { startTestCloud } from '../support/local-cloud';
import type { TestCloud } from '../support/local-cloud';

let cloud: TestCloud | undefined;

afterAll(async () => {
  await cloud?.dispose();
});

const portOf = (url: string): number => Number(new URL(url).port);

it('listens on its web, api, httpApi and aws ports and on no other', async () => {
  // Given the ports this process listened on before
  const before = listeningPorts();

  // When the local cloud has booted the whole stack
  cloud = await startTestCloud();

  // Then the new listening ports are exactly its four endpoints
  const { web, api, httpApi, aws } = cloud.endpoints;
  const opened = listeningPorts().filter((port) => !before.includes(port));
  expect(opened).toEqual(
    [portOf(web), portOf(api), portOf(httpApi), portOf(aws)].sort((a, b) => a - b),
  );
}, 60000);
