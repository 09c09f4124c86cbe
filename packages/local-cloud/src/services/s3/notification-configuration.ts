/**
 * A bucket's notification configuration (`?notification`): the functions S3 invokes when objects
 * are created, with their events and key filters. As S3 does, a Put is refused unless every
 * function's resource policy lets s3.amazonaws.com invoke it for this bucket (InvalidArgument,
 * "Unable to validate the following destination configurations"). SNS, SQS and EventBridge
 * destinations are not emulated: a configuration naming one is refused with NotImplemented rather
 * than kept and never delivered.
 */
import { randomBytes } from 'node:crypto';
import type { BucketNotification } from '../../stack/topology';
import type { ConfigurationKind } from './configuration-kind';
import { S3Error, s3Errors } from './s3-errors';
import type { XmlElement } from './xml-reader';
import { childrenNamed, childText } from './xml-reader';
import { nested, text } from './xml-writer';

const EVENTS = [
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:Replication:*',
  's3:ReducedRedundancyLostObject',
];

const UNEMULATED = ['TopicConfiguration', 'QueueConfiguration', 'EventBridgeConfiguration'];

function filterRules(configuration: XmlElement): { prefix?: string; suffix?: string } {
  const rules: { prefix?: string; suffix?: string } = {};
  for (const filter of childrenNamed(configuration, 'Filter')) {
    for (const key of childrenNamed(filter, 'S3Key')) {
      for (const rule of childrenNamed(key, 'FilterRule')) {
        const name = childText(rule, 'Name')?.toLowerCase();
        const value = childText(rule, 'Value') ?? '';
        if (name !== 'prefix' && name !== 'suffix') {
          throw s3Errors.invalidArgument(
            'filter rule name must be either prefix or suffix',
            'FilterRule.Name',
            name ?? '',
          );
        }
        if (rules[name] !== undefined) {
          throw s3Errors.invalidArgument(
            `Cannot specify more than one ${name} rule in a filter.`,
            'FilterRule.Name',
            name,
          );
        }
        rules[name] = value;
      }
    }
  }
  return rules;
}

function readFunctionConfiguration(configuration: XmlElement): BucketNotification {
  const functionArn = childText(configuration, 'CloudFunction')?.trim();
  if (!functionArn) throw s3Errors.malformedXml();
  const events = childrenNamed(configuration, 'Event').map((event) => event.text.trim());
  if (events.length === 0) throw s3Errors.malformedXml();
  for (const event of events) {
    if (!EVENTS.includes(event)) {
      throw s3Errors.invalidArgument(
        'The event is not supported for notifications',
        'Event',
        event,
      );
    }
  }
  const { prefix, suffix } = filterRules(configuration);
  // S3 names a configuration given without an Id.
  const id = childText(configuration, 'Id')?.trim() || randomBytes(24).toString('base64url');
  return {
    id,
    functionArn,
    events,
    ...(prefix ? { filterPrefix: prefix } : {}),
    ...(suffix ? { filterSuffix: suffix } : {}),
  };
}

function readNotifications(root: XmlElement): BucketNotification[] {
  if (root.name !== 'NotificationConfiguration') throw s3Errors.malformedXml();
  const unemulated = UNEMULATED.find((name) => childrenNamed(root, name).length > 0);
  if (unemulated) throw s3Errors.notImplemented(`A notification ${unemulated}`);
  const notifications = childrenNamed(root, 'CloudFunctionConfiguration').map(
    readFunctionConfiguration,
  );
  const ids = new Set(notifications.map((notification) => notification.id));
  if (ids.size < notifications.length) {
    throw s3Errors.invalidArgument(
      'Configuration id must be unique.',
      'id',
      notifications.find((n, i) => notifications.findIndex((m) => m.id === n.id) !== i)?.id ?? '',
    );
  }
  return notifications;
}

function writeFilter(notification: BucketNotification): string {
  const rules = [
    ['Prefix', notification.filterPrefix],
    ['Suffix', notification.filterSuffix],
  ].filter((rule): rule is [string, string] => rule[1] !== undefined);
  if (rules.length === 0) return '';
  return nested(
    'Filter',
    nested(
      'S3Key',
      ...rules.map(([name, value]) =>
        nested('FilterRule', text('Name', name), text('Value', value)),
      ),
    ),
  );
}

function writeNotifications(notifications: BucketNotification[]): string {
  return notifications
    .map((notification) =>
      nested(
        'CloudFunctionConfiguration',
        text('Id', notification.id),
        text('CloudFunction', notification.functionArn),
        ...notification.events.map((event) => text('Event', event)),
        writeFilter(notification),
      ),
    )
    .join('');
}

export const notificationKind: ConfigurationKind<BucketNotification[]> = {
  subresource: 'notification',
  root: 'NotificationConfiguration',
  read: readNotifications,
  write: writeNotifications,
  // A bucket without notifications answers an empty configuration.
  absent: { value: [] },
  check: (notifications, bucket, context) => {
    const bucketArn = `arn:aws:s3:::${bucket.name}`;
    const refused = notifications.flatMap(({ functionArn }) => {
      const problem = context.destinationProblem?.(bucketArn, functionArn);
      return problem === undefined ? [] : [{ functionArn, problem }];
    });
    if (refused.length === 0) return;
    const details: Record<string, string> = {};
    refused.forEach(({ functionArn, problem }, index) => {
      details[`ArgumentName${index + 1}`] = functionArn;
      details[`ArgumentValue${index + 1}`] = problem;
    });
    throw new S3Error(
      'InvalidArgument',
      400,
      'Unable to validate the following destination configurations',
      details,
    );
  },
};
