/**
 * S3's tags, on a bucket (`?tagging`) or an object (`?tagging`, or `x-amz-tagging` on a write):
 * a TagSet document or a URL-encoded header read into a map, with S3's limits (50 tags on a
 * bucket, 10 on an object, keys of 1 to 128 characters, values up to 256, each key once, no
 * `aws:` key set by a requester).
 */
import { S3Error, s3Errors } from './s3-errors';
import type { XmlElement } from './xml-reader';
import { childrenNamed, childText } from './xml-reader';
import { nested, text } from './xml-writer';

export type Tags = Record<string, string>;

export const BUCKET_TAG_LIMIT = 50;
export const OBJECT_TAG_LIMIT = 10;

const invalidTag = (message: string, key?: string): S3Error =>
  new S3Error('InvalidTag', 400, message, key === undefined ? {} : { TagKey: key });

/** Checks and collects tags given as pairs. */
export function tagsOf(pairs: [string, string][], limit: number): Tags {
  const tags: Tags = {};
  for (const [key, value] of pairs) {
    if (key in tags) throw invalidTag('Cannot provide multiple Tags with the same key', key);
    if (key.length < 1 || key.length > 128) {
      throw invalidTag('The TagKey you have provided is invalid', key);
    }
    if (value.length > 256) throw invalidTag('The TagValue you have provided is invalid', key);
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidTag('System tags cannot be added/updated by requester', key);
    }
    tags[key] = value;
  }
  if (Object.keys(tags).length > limit) {
    throw invalidTag(
      limit === BUCKET_TAG_LIMIT
        ? `Bucket tag count cannot be greater than ${limit}`
        : `Object tags cannot be greater than ${limit}`,
    );
  }
  return tags;
}

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>`. */
export function readTagging(root: XmlElement, limit: number): Tags {
  const [tagSet, ...more] = childrenNamed(root, 'TagSet');
  if (root.name !== 'Tagging' || !tagSet || more.length > 0) throw s3Errors.malformedXml();
  const pairs = childrenNamed(tagSet, 'Tag').map((tag): [string, string] => {
    const key = childText(tag, 'Key');
    const value = childText(tag, 'Value');
    if (key === undefined || value === undefined) throw s3Errors.malformedXml();
    return [key, value];
  });
  return tagsOf(pairs, limit);
}

/** The TagSet element of a Tagging answer. */
export function writeTagSet(tags: Tags): string {
  return nested(
    'TagSet',
    ...Object.entries(tags).map(([key, value]) =>
      nested('Tag', text('Key', key), text('Value', value)),
    ),
  );
}

/** `x-amz-tagging: a=1&b=2` (URL query encoding), as PutObject and CopyObject take it. */
export function readTaggingHeader(header: string | undefined): Tags | undefined {
  if (header === undefined) return undefined;
  const pairs = [...new URLSearchParams(header)];
  return tagsOf(pairs, OBJECT_TAG_LIMIT);
}
