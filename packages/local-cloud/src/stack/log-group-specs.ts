/** The stack's CloudWatch Logs log groups: their names, retention and tags. */
import { readBlock } from './block-reader';
import type { StackModel } from './stack-model';
import type { LogGroupSpec } from './topology';

export function logGroupSpecs(model: StackModel): LogGroupSpec[] {
  return model.resources('aws_cloudwatch_log_group').map((block) => {
    const read = readBlock(model, block);
    const retentionInDays = read.optionalNumber('retention_in_days');
    const tags = read.stringMap('tags');
    return {
      address: block.address,
      name: read.attributeString('name'),
      // 0, the provider's default, is no retention: events are kept forever.
      ...(retentionInDays ? { retentionInDays } : {}),
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
    };
  });
}
