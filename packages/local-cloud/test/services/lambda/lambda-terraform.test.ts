import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { eventually } from '@serverless-week/test-support';
import type { LocalTerraform } from '@serverless-week/test-support';
import { invokeJson } from '../../support/invoke-json';
import { useLambdaCloud } from '../../support/lambda-cloud';
import { zipBuffer } from '../../support/function-fixtures';
import { trustPolicy } from '../../support/policy-documents';

/**
 * Terraform's AWS provider (5.100.0) applies, plans, runs and destroys Lambda resources on a cloud
 * started with no stack, from a plain configuration.
 */

jest.setTimeout(120_000);

const ECHO = `exports.handler = async (event) => ({ echo: event, greeting: process.env.GREETING });`;
const RECORDER = `const seen = [];
exports.handler = async (event) => {
  if (event.Records) { seen.push(...event.Records.map((record) => record.body)); return {}; }
  return seen;
};`;

const fixture = useLambdaCloud({ prefix: 'lambda-terraform-' });

/** A zip of `source` as index.js in the data directory, with its filebase64sha256. */
async function packageOf(
  name: string,
  source: string,
): Promise<{ filename: string; hash: string }> {
  const zip = await zipBuffer({ 'index.js': source });
  const filename = join(fixture.dataDir, `${name}.zip`);
  writeFileSync(filename, zip);
  return { filename, hash: createHash('sha256').update(zip).digest('base64') };
}

async function functionResource(
  name: string,
  source: string,
  role: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const { filename, hash } = await packageOf(name, source);
  return {
    function_name: name,
    filename,
    source_code_hash: hash,
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    role,
    ...extra,
  };
}

const terraform = (resources: Record<string, unknown>): Promise<LocalTerraform> =>
  fixture.terraform({ resource: resources });

const invoke = (name: string): Promise<unknown> => invokeJson(fixture.lambda, name);

/** An SQS client of the cloud, signed as the administrator. */
const sqsClient = (): SQSClient => fixture.client(SQSClient);

/** An identity policy allowing what Lambda's SQS poller calls on a queue. */
const pollPolicy = (queueArn: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: queueArn,
      },
    ],
  });

describe('aws_lambda_function with its permission and invoke config', () => {
  let config: LocalTerraform;

  beforeAll(async () => {
    config = await terraform({
      aws_lambda_function: {
        echo: await functionResource(
          'tf-echo',
          ECHO,
          'arn:aws:iam::000000000000:role/lambda-role',
          {
            timeout: 10,
            memory_size: 256,
            environment: { variables: { GREETING: 'from terraform' } },
            logging_config: { log_format: 'JSON', log_group: '/aws/lambda/tf-echo' },
            reserved_concurrent_executions: 2,
            tags: { team: 'week' },
          },
        ),
      },
      aws_lambda_permission: {
        from_topic: {
          statement_id: 'from-topic',
          action: 'lambda:InvokeFunction',
          function_name: '${aws_lambda_function.echo.function_name}',
          principal: 'sns.amazonaws.com',
          source_arn: 'arn:aws:sns:us-east-1:000000000000:events',
        },
      },
      aws_lambda_function_event_invoke_config: {
        echo: {
          function_name: '${aws_lambda_function.echo.function_name}',
          maximum_retry_attempts: 0,
        },
      },
    });
  });

  afterAll(() => config.remove());

  it('applies', async () => {
    const run = await config.apply();

    expect(run).toMatchObject({ exitCode: 0 });
  });

  it('plans no change right after the apply', async () => {
    const run = await config.plan();

    expect(run.output).toContain('No changes.');
    expect(run.exitCode).toBe(0);
  });

  it("runs the deployed function: an invocation returns its handler's answer", async () => {
    expect(await invoke('tf-echo')).toEqual({ echo: {}, greeting: 'from terraform' });
  });

  it('destroys everything it applied', async () => {
    const run = await config.destroy();

    expect(run).toMatchObject({ exitCode: 0 });
    expect(fixture.cloud.resources.list('functions')).toEqual([]);
    expect(fixture.cloud.resources.list('permissions')).toEqual([]);
    expect(fixture.cloud.resources.list('asyncInvokeConfigs')).toEqual([]);
  });
});

describe('aws_lambda_event_source_mapping from a queue', () => {
  let config: LocalTerraform;

  beforeAll(async () => {
    config = await terraform({
      aws_sqs_queue: { jobs: { name: 'tf-jobs' } },
      aws_iam_role: {
        consumer: {
          name: 'tf-consumer',
          assume_role_policy: trustPolicy('lambda.amazonaws.com'),
        },
      },
      aws_iam_role_policy: {
        poll: {
          name: 'poll',
          role: '${aws_iam_role.consumer.id}',
          policy: pollPolicy('${aws_sqs_queue.jobs.arn}'),
        },
      },
      aws_lambda_function: {
        consumer: {
          ...(await functionResource('tf-consumer', RECORDER, '${aws_iam_role.consumer.arn}')),
          depends_on: ['aws_iam_role_policy.poll'],
        },
      },
      aws_lambda_event_source_mapping: {
        jobs: {
          event_source_arn: '${aws_sqs_queue.jobs.arn}',
          function_name: '${aws_lambda_function.consumer.arn}',
          batch_size: 5,
          maximum_batching_window_in_seconds: 1,
          function_response_types: ['ReportBatchItemFailures'],
          scaling_config: { maximum_concurrency: 2 },
        },
      },
    });
  });

  afterAll(() => config.remove());

  it('applies, then plans no change', async () => {
    const apply = await config.apply();
    const plan = await config.plan();

    expect(apply).toMatchObject({ exitCode: 0 });
    expect(plan).toMatchObject({ exitCode: 0 });
  });

  it('delivers a message sent to the queue to the deployed function', async () => {
    const sqs = sqsClient();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: `${fixture.cloud.endpoints.aws}/000000000000/tf-jobs`,
        MessageBody: 'job 1',
      }),
    );
    sqs.destroy();

    await eventually(
      async () => ((await invoke('tf-consumer')) as string[]).includes('job 1') || undefined,
      {
        what: 'the message to reach the function',
      },
    );
  });

  it('destroys the mapping, the function and the queue', async () => {
    const run = await config.destroy();

    expect(run).toMatchObject({ exitCode: 0 });
    expect(fixture.cloud.resources.list('eventSourceMappings')).toEqual([]);
    expect(fixture.cloud.resources.list('functions')).toEqual([]);
  });
});

describe('aws_lambda_event_source_mapping whose function may not poll the queue', () => {
  it("fails the apply at once with Lambda's refusal instead of retrying for IAM's propagation", async () => {
    // Given a queue (made apart: the provider's wait on a new queue is not what this is about)
    const sqs = sqsClient();
    await sqs.send(new CreateQueueCommand({ QueueName: 'tf-unread' }));
    sqs.destroy();

    // When a function whose role has no policy on it is mapped to it
    const config = await terraform({
      aws_lambda_function: {
        reader: await functionResource(
          'tf-reader',
          ECHO,
          'arn:aws:iam::000000000000:role/lambda-role',
        ),
      },
      aws_lambda_event_source_mapping: {
        unread: {
          event_source_arn: 'arn:aws:sqs:us-east-1:000000000000:tf-unread',
          function_name: '${aws_lambda_function.reader.arn}',
        },
      },
    });

    const run = await config.apply();
    config.remove();
    await fixture.lambda.send(new DeleteFunctionCommand({ FunctionName: 'tf-reader' }));

    // Then the apply fails with Lambda's refusal, on its second try, and no mapping is made
    expect(run.exitCode).toBe(1);
    expect(run.output).toContain('InvalidParameterValueException');
    expect(run.output).toContain('may not call sqs:ReceiveMessage');
    expect(fixture.cloud.resources.list('eventSourceMappings')).toEqual([]);
  });
});

describe('aws_lambda_function with a role Lambda cannot assume', () => {
  it("fails the apply at once with Lambda's refusal instead of retrying for IAM's propagation", async () => {
    const config = await terraform({
      aws_lambda_function: {
        refused: await functionResource(
          'tf-refused',
          ECHO,
          'arn:aws:iam::000000000000:role/states-role',
        ),
      },
    });

    const run = await config.apply();
    config.remove();

    expect(run.exitCode).toBe(1);
    expect(run.output).toContain('InvalidParameterValueException');
    expect(run.output).toContain('cannot be assumed by Lambda');
    expect(fixture.cloud.resources.list('functions')).toEqual([]);
  });
});
