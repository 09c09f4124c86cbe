/**
 * What every S3 operation is given besides its call (the store, the region, how to announce a
 * created object), and the helpers operations share to read a call and write an answer (whose
 * shapes are in types.ts).
 */
import type { ObjectStore } from './object-store';
import { receiveSmallBody, bodyExpectations } from './request-body';
import { s3Errors } from './s3-errors';
import type { XmlElement } from './xml-reader';
import { readXml, XmlError } from './xml-reader';
import type { BucketRegistry, DestinationCheck, ObjectCreated, S3Answer, S3Call } from './types';

export interface S3Context {
  readonly store: ObjectStore;
  readonly region: string;
  /**
   * Announces a committed object to the listeners, synchronously, before the request is answered:
   * a listener that fails makes the request fail (the client retries, the object is written
   * again), so an acknowledged write never loses its notification.
   */
  notify(created: ObjectCreated): void;
  /** The model of resources: each bucket's spec (policy, notifications, CORS, website) is kept there. */
  readonly resources?: BucketRegistry;
  /** Checks a notification's function before S3 keeps the configuration. */
  readonly destinationProblem?: DestinationCheck;
}

export const xmlAnswer = (body: string, headers: Record<string, string> = {}): S3Answer => ({
  status: 200,
  headers: { 'content-type': 'application/xml', ...headers },
  body,
});

/** The single value of a header. */
export function headerOf(call: Pick<S3Call, 'headers'>, name: string): string | undefined {
  const value = call.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the request's XML document (checked against its digests); MalformedXML when it is not one. */
export async function readXmlBody(call: S3Call): Promise<XmlElement> {
  const body = await receiveSmallBody(call.request, bodyExpectations(call.headers));
  try {
    return readXml(body);
  } catch (error) {
    if (error instanceof XmlError) throw s3Errors.malformedXml();
    throw error;
  }
}
