import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  InvalidAttributeValue,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DEFAULT_ADMIN_CREDENTIALS } from '../../../src/credentials';
import { emptyRegistry } from '../../support/empty-registry';
import { FIXTURE_ACCOUNT, FIXTURE_REGION } from '../../support/queue-fixtures';
import { serveQueues } from '../../support/served-queues';
import type { ServedQueues } from '../../support/served-queues';

/**
 * The queue attributes a control plane sets (Terraform's aws_sqs_queue, _policy and
 * _redrive_allow_policy): each is read back as set, and every queue reaches the model of resources.
 */

const registry = emptyRegistry();
let served: ServedQueues;
let sqs: SQSClient;
const arnOf = (name: string): string => `arn:aws:sqs:${FIXTURE_REGION}:${FIXTURE_ACCOUNT}:${name}`;

beforeAll(async () => {
  served = await serveQueues(() => [], { resources: registry });
  sqs = new SQSClient({
    region: FIXTURE_REGION,
    endpoint: served.endpoint,
    credentials: DEFAULT_ADMIN_CREDENTIALS,
  });
});

afterAll(async () => {
  sqs.destroy();
  await served.close();
});

async function createQueue(name: string, Attributes: Record<string, string> = {}) {
  const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  return QueueUrl;
}

async function attributes(QueueUrl: string): Promise<Record<string, string>> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
  );
  return Attributes;
}

describe('redrive allow policy', () => {
  it('reads back the RedriveAllowPolicy SetQueueAttributes set', async () => {
    // Given a dead-letter queue
    const QueueUrl = await createQueue('allow-dlq');
    const policy = { redrivePermission: 'byQueue', sourceQueueArns: [arnOf('allow-source')] };

    // When its redrive allow policy is set
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: { RedriveAllowPolicy: JSON.stringify(policy) },
      }),
    );

    // Then GetQueueAttributes answers it
    expect(JSON.parse((await attributes(QueueUrl)).RedriveAllowPolicy ?? '{}')).toEqual(policy);
  });

  it('removes the RedriveAllowPolicy set to an empty string', async () => {
    // Given a queue created with a redrive allow policy
    const QueueUrl = await createQueue('allow-cleared', {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }),
    });

    // When it is set to ''
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedriveAllowPolicy: '' } }),
    );

    // Then the queue has none
    expect(await attributes(QueueUrl)).not.toHaveProperty('RedriveAllowPolicy');
  });

  it('refuses byQueue without source queues as InvalidAttributeValue', async () => {
    // Given a queue
    const QueueUrl = await createQueue('allow-invalid');

    // When byQueue names no source queue
    const set = sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: { RedriveAllowPolicy: '{"redrivePermission":"byQueue"}' },
      }),
    );

    // Then SQS refuses it
    await expect(set).rejects.toBeInstanceOf(InvalidAttributeValue);
  });
});

describe('encryption', () => {
  it('answers SqsManagedSseEnabled true for a new queue, as SQS does by default', async () => {
    // Given a queue created without encryption settings
    const QueueUrl = await createQueue('sse-default');

    // Then it is encrypted with SQS's keys
    expect(await attributes(QueueUrl)).toMatchObject({ SqsManagedSseEnabled: 'true' });
  });

  it('reads back SqsManagedSseEnabled false when it was turned off', async () => {
    // Given a queue created with SSE-SQS off
    const QueueUrl = await createQueue('sse-off', { SqsManagedSseEnabled: 'false' });

    // Then it says so
    expect(await attributes(QueueUrl)).toMatchObject({ SqsManagedSseEnabled: 'false' });
  });

  it('reads back a KMS key with its data key reuse period, SSE-SQS off', async () => {
    // Given a queue encrypted with a KMS key
    const QueueUrl = await createQueue('sse-kms', {
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '600',
    });

    // Then the key, its period and SSE-SQS off are read back
    expect(await attributes(QueueUrl)).toMatchObject({
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '600',
      SqsManagedSseEnabled: 'false',
    });
  });
});

describe('the model of resources', () => {
  it('holds a queue created with its policy and redrive policy', async () => {
    // Given a queue created with a policy and a redrive policy
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: arnOf('model') },
      ],
    };
    const redrive = { deadLetterTargetArn: arnOf('model-dlq'), maxReceiveCount: 3 };
    await createQueue('model', {
      Policy: JSON.stringify(policy),
      RedrivePolicy: JSON.stringify(redrive),
    });

    // Then the registry holds its spec, with its policy and redrive
    expect(registry.get('queues', arnOf('model'))).toMatchObject({
      name: 'model',
      address: arnOf('model'),
      policy,
      redrive,
    });
  });

  it('follows a policy set later', async () => {
    // Given a queue
    const QueueUrl = await createQueue('model-later');
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: '*' }],
    };

    // When its policy is set
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(policy) } }),
    );

    // Then the registry's spec has it
    expect(registry.get('queues', arnOf('model-later'))?.policy).toEqual(policy);
  });

  it('forgets a deleted queue', async () => {
    // Given a queue
    const QueueUrl = await createQueue('model-deleted');

    // When it is deleted
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));

    // Then the registry no longer holds it
    expect(registry.get('queues', arnOf('model-deleted'))).toBeUndefined();
  });
});

describe('policy', () => {
  it('refuses a JSON document without statements with the message SQS answers', async () => {
    // Given a queue
    const QueueUrl = await createQueue('policy-empty');

    // When its policy is JSON but holds no statement
    const set = sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: { Policy: JSON.stringify({ Version: '2012-10-17' }) },
      }),
    );

    // Then SQS refuses it
    await expect(set).rejects.toMatchObject({
      name: 'InvalidAttributeValue',
      message: 'Invalid value for the parameter Policy.',
    });
  });

  it('refuses a policy that is not JSON with the message SQS answers', async () => {
    // Given a queue
    const QueueUrl = await createQueue('policy-invalid');

    // When its policy is set to text that is not JSON
    const set = sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: 'not json' } }),
    );

    // Then SQS refuses it
    await expect(set).rejects.toMatchObject({
      name: 'InvalidAttributeValue',
      message: 'Invalid value for the parameter Policy.',
    });
  });
});
