/**
 * What a bucket configuration sub-resource (`PUT/GET/DELETE /<bucket>?cors`…) is to the generic
 * Put/Get/Delete operations: how its XML is read and written, and what a bucket without one
 * answers.
 */
import type { Bucket } from './object-store';
import type { S3Context } from './s3-context';
import type { S3Error } from './s3-errors';
import type { XmlElement } from './xml-reader';

export interface ConfigurationKind<T> {
  /** The query parameter naming the sub-resource. */
  readonly subresource: string;
  /** The root element of its XML document. */
  readonly root: string;
  read(document: XmlElement): T;
  /** The children of the root element. */
  write(configuration: T): string;
  /** The error a Get answers when the bucket has none (kinds with an `absent` value have none). */
  missing?(bucket: string): S3Error;
  /** What a Get answers when the bucket has none set (or had it deleted). */
  readonly absent?: { value: T };
  /** The status of a successful Put (200 unless S3 answers 204 No Content). */
  readonly putStatus?: number;
  /** Checks a configuration against the rest of the cloud before it is kept (S3's validation). */
  check?(configuration: T, bucket: Bucket, context: S3Context): void;
  /** Headers every Get answer carries. */
  readonly answerHeaders?: Record<string, string>;
}
