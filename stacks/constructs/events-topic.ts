import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Construct } from 'constructs';
import type { Naming } from '../naming';

export interface EventsTopicProps {
  naming: Naming;
}

/**
 * The app's event bus: one SNS topic, encrypted with the AWS managed SNS key (whose key policy
 * already lets the account's principals publish through SNS, so publishers need no KMS grant).
 */
export class EventsTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: EventsTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'topic', {
      name: props.naming.name('events'),
      kmsMasterKeyId: 'alias/aws/sns',
    });
  }

  get arn(): string {
    return this.topic.arn;
  }
}
