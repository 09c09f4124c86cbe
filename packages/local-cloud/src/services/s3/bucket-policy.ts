/**
 * A bucket's policy (`?policy`): a JSON document, not XML. S3 checks it when it is put (the
 * document's grammar, and that every Resource is this bucket or its objects) and answers
 * MalformedPolicy with its reason; a bucket without one answers NoSuchBucketPolicy.
 */
import type { PolicyDocument } from '../../stack/topology';
import { isObject } from '../../json';
import type { Json } from '../../json';
import { receiveSmallBody, bodyExpectations } from './request-body';
import { S3Error } from './s3-errors';
import type { S3Call } from './types';

/** The key under which the store keeps the policy with the bucket's configurations. */
export const POLICY = 'policy';

/** The largest policy S3 takes: 20 KB. */
const MAX_POLICY_BYTES = 20 * 1024;

export const malformedPolicy = (message: string): S3Error =>
  new S3Error('MalformedPolicy', 400, message);

export const noSuchBucketPolicy = (bucket: string): S3Error =>
  new S3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist', {
    BucketName: bucket,
  });

const list = (value: Json | undefined): Json[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function checkResources(statement: { [key: string]: Json }, bucket: string): void {
  const resources = list(statement.Resource ?? statement.NotResource);
  if (resources.length === 0) throw malformedPolicy('Missing required field Resource');
  const arn = `arn:aws:s3:::${bucket}`;
  for (const resource of resources) {
    if (typeof resource !== 'string') throw malformedPolicy('Policy has invalid resource');
    const named = resource === '*' || resource === arn || resource.startsWith(`${arn}/`);
    // A wildcard may stand for this bucket's name (arn:aws:s3:::my-*).
    const wildcard = resource.startsWith('arn:aws:s3:::') && /[*?]/.test(resource);
    if (!named && !wildcard) throw malformedPolicy('Policy has invalid resource');
  }
}

function checkStatement(statement: Json, bucket: string): void {
  if (!isObject(statement)) throw malformedPolicy('Policy statement must be an object');
  const effect = statement.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') {
    throw malformedPolicy(`Invalid effect: ${typeof effect === 'string' ? effect : ''}`);
  }
  if (statement.Principal === undefined && statement.NotPrincipal === undefined) {
    throw malformedPolicy('Missing required field Principal');
  }
  if (list(statement.Action ?? statement.NotAction).length === 0) {
    throw malformedPolicy('Missing required field Action');
  }
  checkResources(statement, bucket);
}

/** The policy of a PutBucketPolicy, checked as S3 checks it. */
export async function readBucketPolicy(call: S3Call, bucket: string): Promise<PolicyDocument> {
  const body = await receiveSmallBody(call.request, bodyExpectations(call.headers));
  if (body.length > MAX_POLICY_BYTES) throw malformedPolicy('Policies cannot exceed 20 KB');
  const text = body.toString('utf8').trim();
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    parsed = null;
  }
  if (!text.startsWith('{') || !isObject(parsed)) {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  const statements = list(parsed.Statement);
  if (statements.length === 0) throw malformedPolicy('Missing required field Statement');
  for (const statement of statements) checkStatement(statement, bucket);
  return parsed;
}
