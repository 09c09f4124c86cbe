/**
 * What the spec of `npm run deploy -- local --local-cloud` needs around the scripts it runs: the
 * scripts in child processes with the provider's debug log kept, a report of what Terraform did
 * and which AWS calls failed (the message a failing stage shows), and every resource the local
 * cloud still lists, through the AWS SDK v3 clients.
 */
import { existsSync, readFileSync } from 'node:fs';
import { APIGatewayClient, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { ListSubscriptionsCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Credentials } from '@serverless-week/local-cloud';
import {
  completedCount,
  failedAwsCalls,
  formatErrors,
  formatFailedCalls,
  plainText,
  terraformOutcome,
} from '../../scripts/lib/terraform-debug-log';
import type { ScriptRun } from '../../scripts/lib/script-run';

/** What a run of deploy or destroy did: completed resources, errors, failed AWS calls. */
export function runReport(run: ScriptRun): string {
  const outcome = terraformOutcome(run.output);
  const log = run.debugLog;
  const calls = log && existsSync(log) ? failedAwsCalls(readFileSync(log, 'utf8')) : [];
  return [
    `exit ${run.code} after ${run.seconds.toFixed(0)} s; ${completedCount(outcome)} resources completed`,
    `errors by resource type:\n${formatErrors(outcome) || '(none)'}`,
    `AWS calls answered >= 400 (resource type, service, action, status):\n${formatFailedCalls(calls) || '(none)'}`,
    `last lines:\n${plainText(run.output).split('\n').slice(-15).join('\n')}`,
  ].join('\n\n');
}

/** Fails with the run's report (what Terraform did, which AWS calls failed) unless it exited 0. */
export function expectSuccess(run: ScriptRun): void {
  if (run.code !== 0) throw new Error(runReport(run));
}

/** How many resources a synthesized stack declares (what an apply must complete). */
export function resourceCount(stackFile: string): number {
  const stack = JSON.parse(readFileSync(stackFile, 'utf8')) as {
    resource?: Record<string, Record<string, unknown>>;
  };
  return Object.values(stack.resource ?? {}).reduce(
    (sum, resources) => sum + Object.keys(resources).length,
    0,
  );
}

/** Everything of each kind the local cloud lists, by kind (what a destroy must leave empty). */
export async function resourcesListed(
  endpoint: string,
  credentials: Credentials,
): Promise<Record<string, string[]>> {
  const config = { endpoint, region: 'us-east-1', credentials, forcePathStyle: true };
  const lambda = new LambdaClient(config);
  const logs = new CloudWatchLogsClient(config);
  const dynamodb = new DynamoDBClient(config);
  const s3 = new S3Client(config);
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  const sfn = new SFNClient(config);
  const iam = new IAMClient(config);
  const apiGateway = new APIGatewayClient(config);
  const apiGatewayV2 = new ApiGatewayV2Client(config);
  try {
    const [functions, logGroups, tables, buckets, queues, topics, subscriptions, machines] =
      await Promise.all([
        lambda.send(new ListFunctionsCommand({})),
        logs.send(new DescribeLogGroupsCommand({})),
        dynamodb.send(new ListTablesCommand({})),
        s3.send(new ListBucketsCommand({})),
        sqs.send(new ListQueuesCommand({})),
        sns.send(new ListTopicsCommand({})),
        sns.send(new ListSubscriptionsCommand({})),
        sfn.send(new ListStateMachinesCommand({})),
      ]);
    const [roles, restApis, httpApis] = await Promise.all([
      iam.send(new ListRolesCommand({})),
      apiGateway.send(new GetRestApisCommand({})),
      apiGatewayV2.send(new GetApisCommand({})),
    ]);
    return {
      roles: (roles.Roles ?? []).map((role) => String(role.RoleName)),
      functions: (functions.Functions ?? []).map((fn) => String(fn.FunctionName)),
      logGroups: (logGroups.logGroups ?? []).map((group) => String(group.logGroupName)),
      tables: tables.TableNames ?? [],
      buckets: (buckets.Buckets ?? []).map((bucket) => String(bucket.Name)),
      queues: queues.QueueUrls ?? [],
      topics: (topics.Topics ?? []).map((topic) => String(topic.TopicArn)),
      subscriptions: (subscriptions.Subscriptions ?? []).map((s) => String(s.SubscriptionArn)),
      stateMachines: (machines.stateMachines ?? []).map((machine) => String(machine.name)),
      restApis: (restApis.items ?? []).map((api) => String(api.name)),
      httpApis: (httpApis.Items ?? []).map((api) => String(api.Name)),
    };
  } finally {
    const clients = [lambda, logs, dynamodb, s3, sqs, sns, sfn, iam, apiGateway, apiGatewayV2];
    for (const client of clients) client.destroy();
  }
}
