import { TerraformOutput } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { EventsTopic } from '../../stacks/constructs/events-topic';
import { parseSynth, synthScope, theResource } from '../support/synth';
import { testNaming } from '../support/stack-fixtures';

describe('EventsTopic', () => {
  let synthesized: string;

  beforeAll(() => {
    synthesized = synthScope((scope) => {
      const topic = new EventsTopic(scope, 'events', { naming: testNaming });
      new TerraformOutput(scope, 'topic_arn', { value: topic.arn });
    });
  });

  it('is one SNS topic named events', () => {
    expect(synthesized).toHaveResourceWithProperties(SnsTopic, {
      name: 'serverless-week-test-events',
    });
  });

  it('is encrypted with the AWS managed SNS key', () => {
    expect(synthesized).toHaveResourceWithProperties(SnsTopic, {
      kms_master_key_id: 'alias/aws/sns',
    });
  });

  it('exposes the topic ARN for subscriptions and IAM statements', () => {
    expect(parseSynth(synthesized).output?.topic_arn?.value).toBe(
      `\${${theResource(synthesized, 'aws_sns_topic').address}.arn}`,
    );
  });
});
