/** The table the local cloud prints once it is up: where it answers, and where its data lives. */
import { join } from 'node:path';
import { DEFAULT_ADMIN_CREDENTIALS } from '../src/credentials';
import { endpointTable } from '../src/endpoint-table';

const topology = {
  restApis: [],
  httpApis: [
    {
      address: 'aws_apigatewayv2_api.http-api',
      id: 'abcdef1234',
      name: 'serverless-week-local-items-http-api',
      executionArn: 'arn:aws:execute-api:us-east-1:000000000000:abcdef1234',
      stageName: '$default',
      routes: [],
    },
  ],
  functions: [],
  tables: [],
  buckets: [],
  queues: [],
  topics: [],
  stateMachines: [],
};

const cloud = {
  endpoints: {
    web: 'http://127.0.0.1:3000',
    api: 'http://127.0.0.1:3001',
    httpApi: 'http://127.0.0.1:3002',
    aws: 'http://127.0.0.1:4566',
  },
  topology,
  adminCredentials: DEFAULT_ADMIN_CREDENTIALS,
};

const dataDir = join(process.cwd(), '.local-cloud');

it('says where the data lives as an absolute path, wherever it was started from', () => {
  const table = endpointTable(cloud, { dataDir, bootMs: 1000 });

  expect(table).toContain(`data in ${dataDir}/`);
});

it('says how to start again with no data: the reset flag, or removing the directory once stopped', () => {
  const table = endpointTable(cloud, {
    dataDir,
    bootMs: 1000,
    resetCommand: 'npm start -- --reset',
  });

  expect(table).toContain('npm start -- --reset');
  expect(table).toContain(`rm -rf ${dataDir}`);
});

it('ends with how to stop it, the line a script waits for', () => {
  const table = endpointTable(cloud, { dataDir, bootMs: 1000 });

  expect(table.split('\n').at(-1)).toContain('Ctrl+C stops');
});

it('lists the HTTP API as httpApi, on its own port', () => {
  const table = endpointTable(cloud, { dataDir, bootMs: 1000 });

  expect(table).toMatch(
    /│ httpApi +│ http:\/\/127\.0\.0\.1:3002 +│ HTTP API \(serverless-week-local-items-http-api\) +│/,
  );
});
