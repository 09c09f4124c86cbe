/**
 * The document of a DeleteObjects request, read once, the same way, by the store and by IAM
 * (`src/iam/actions/s3-actions.ts`), so the keys authorized are the keys deleted.
 */
import { s3Errors } from './s3-errors';
import type { XmlElement } from './xml-reader';
import { childrenNamed, childText, readXml, XmlError } from './xml-reader';

export interface DeleteRequest {
  quiet: boolean;
  objects: { key: string; versionId?: string }[];
}

/** `<Delete><Quiet/>?<Object><Key/><VersionId/>?</Object>…</Delete>`: 1 to 1,000 objects. */
export function readDeleteRequest(root: XmlElement): DeleteRequest {
  if (root.name !== 'Delete') throw s3Errors.malformedXml();
  const objects = childrenNamed(root, 'Object');
  if (objects.length === 0 || objects.length > 1000) throw s3Errors.malformedXml();
  try {
    return {
      quiet: childText(root, 'Quiet')?.trim() === 'true',
      objects: objects.map((object) => {
        const key = childText(object, 'Key');
        if (key === undefined || key === '') throw s3Errors.malformedXml();
        const versionId = childText(object, 'VersionId');
        return versionId === undefined ? { key } : { key, versionId };
      }),
    };
  } catch (error) {
    if (error instanceof XmlError) throw s3Errors.malformedXml();
    throw error;
  }
}

/** The same, from the raw body; undefined when it is not such a document. */
export function parseDeleteRequest(body: Buffer): DeleteRequest | undefined {
  try {
    return readDeleteRequest(readXml(body));
  } catch {
    return undefined;
  }
}
