/**
 * S3's REST operations as IAM sees them. The operation is the method plus the subresource in the
 * query string (`?tagging`, `?uploadId`…); the resource is the bucket (`arn:aws:s3:::bucket`) or
 * the object (`arn:aws:s3:::bucket/key`, the key decoded: ARNs hold the key as stored). The bucket,
 * key, copy source and DeleteObjects keys are read by the local S3's own functions, so what is
 * authorized is exactly what the store touches.
 */
import type { ActionContext, IncomingAwsRequest, RequiredAuthorization } from '../access-types';
import { parseDeleteRequest } from '../../services/s3/delete-request';
import type { S3Location } from '../../services/s3/s3-location';
import { locateS3Request, parseCopySource } from '../../services/s3/s3-location';

type Keys = Record<string, string | string[]>;
type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';

function header(request: IncomingAwsRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** The bucket and key the store will see; undefined when S3 will refuse the path (InvalidURI). */
function locate(request: IncomingAwsRequest): S3Location | undefined {
  try {
    return locateS3Request(request.rawPath, header(request, 'host'));
  } catch {
    return undefined;
  }
}

const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;
const objectArn = (bucket: string, key: string): string => `arn:aws:s3:::${bucket}/${key}`;

/** Keys every S3 action carries: how the request was authenticated, and its payload hash. */
function requestKeys(request: IncomingAwsRequest): Keys {
  const keys: Keys = {};
  const authorization = header(request, 'authorization');
  const presigned = request.query.get('X-Amz-Signature') ?? request.query.get('Signature');
  if (authorization) {
    keys['s3:authType'] = 'REST-HEADER';
    // SigV4 names its algorithm first (AWS4-HMAC-SHA256); SigV2 is `AWS <key>:<signature>`.
    const algorithm = /^(AWS4-[A-Z0-9-]+)\s/.exec(authorization)?.[1];
    keys['s3:signatureversion'] = algorithm ?? 'AWS';
  } else if (presigned !== null) {
    keys['s3:authType'] = 'REST-QUERY-STRING';
    keys['s3:signatureversion'] = request.query.get('X-Amz-Algorithm') ?? 'AWS';
  }
  const payloadHash = header(request, 'x-amz-content-sha256');
  if (payloadHash) keys['s3:x-amz-content-sha256'] = payloadHash;
  return keys;
}

/** Headers that are condition keys of the writes that accept them, by key name. */
const ACL_HEADERS = [
  'x-amz-acl',
  'x-amz-grant-full-control',
  'x-amz-grant-read',
  'x-amz-grant-read-acp',
  'x-amz-grant-write',
  'x-amz-grant-write-acp',
];
const OBJECT_WRITE_HEADERS: [string, string][] = [
  ...ACL_HEADERS.map((name): [string, string] => [name, `s3:${name}`]),
  ['x-amz-server-side-encryption', 's3:x-amz-server-side-encryption'],
  ['x-amz-server-side-encryption-aws-kms-key-id', 's3:x-amz-server-side-encryption-aws-kms-key-id'],
  ['x-amz-storage-class', 's3:x-amz-storage-class'],
  ['x-amz-website-redirect-location', 's3:x-amz-website-redirect-location'],
  ['x-amz-metadata-directive', 's3:x-amz-metadata-directive'],
  ['x-amz-object-lock-mode', 's3:object-lock-mode'],
  ['x-amz-object-lock-retain-until-date', 's3:object-lock-retain-until-date'],
  ['x-amz-object-lock-legal-hold', 's3:object-lock-legal-hold'],
];

function headerKeys(request: IncomingAwsRequest, names: [string, string][]): Keys {
  const keys: Keys = {};
  for (const [name, key] of names) {
    const value = header(request, name);
    if (value !== undefined) keys[key] = value;
  }
  return keys;
}

/** `x-amz-tagging: a=1&b=2` → s3:RequestObjectTag/a, s3:RequestObjectTag/b, s3:RequestObjectTagKeys. */
function taggingKeys(tagging: string | undefined): Keys {
  if (tagging === undefined) return {};
  const keys: Keys = {};
  const names: string[] = [];
  for (const [name, value] of new URLSearchParams(tagging)) {
    keys[`s3:RequestObjectTag/${name}`] = value;
    names.push(name);
  }
  keys['s3:RequestObjectTagKeys'] = names;
  return keys;
}

interface CopySource {
  resource: string;
  /** The s3:x-amz-copy-source value: `bucket/key`, decoded, as policies write it. */
  path: string;
  versionId?: string;
}

/** The copy's source as the store reads it; a header it cannot read keeps its text as sent. */
function copySourceOf(value: string): CopySource {
  const source = parseCopySource(value);
  if (!source) return { resource: bucketArn(value.replace(/^\//, '')), path: value };
  const version = source.versionId === undefined ? {} : { versionId: source.versionId };
  if ('arn' in source) return { resource: source.arn, path: source.arn, ...version };
  return {
    resource: objectArn(source.bucket, source.key),
    path: `${source.bucket}/${source.key}`,
    ...version,
  };
}

/**
 * PutObject and its kin (CopyObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload).
 * AWS also requires PutObjectAcl for ACL headers, PutObjectTagging for x-amz-tagging and the
 * object-lock actions for object-lock headers; a copy reads its source with GetObject(Version).
 */
function putObject(
  request: IncomingAwsRequest,
  resource: string,
  common: Keys,
): RequiredAuthorization[] {
  const tagging = header(request, 'x-amz-tagging');
  const keys: Keys = {
    ...common,
    ...headerKeys(request, OBJECT_WRITE_HEADERS),
    ...taggingKeys(tagging),
  };
  const copyHeader = header(request, 'x-amz-copy-source');
  const source = copyHeader === undefined ? undefined : copySourceOf(copyHeader);
  if (source) keys['s3:x-amz-copy-source'] = source.path;
  const out = [grant('s3:PutObject', resource, keys)];
  if (ACL_HEADERS.some((name) => header(request, name) !== undefined)) {
    out.push(grant('s3:PutObjectAcl', resource, { ...common, ...aclKeys(request) }));
  }
  if (tagging !== undefined) {
    out.push(grant('s3:PutObjectTagging', resource, { ...common, ...taggingKeys(tagging) }));
  }
  if (
    header(request, 'x-amz-object-lock-mode') ??
    header(request, 'x-amz-object-lock-retain-until-date')
  ) {
    out.push(grant('s3:PutObjectRetention', resource, common));
  }
  if (header(request, 'x-amz-object-lock-legal-hold') !== undefined) {
    out.push(grant('s3:PutObjectLegalHold', resource, common));
  }
  if (source) {
    out.push(
      source.versionId
        ? grant('s3:GetObjectVersion', source.resource, {
            ...common,
            's3:versionid': source.versionId,
          })
        : grant('s3:GetObject', source.resource, common),
    );
  }
  return out;
}

function aclKeys(request: IncomingAwsRequest): Keys {
  return headerKeys(
    request,
    ACL_HEADERS.map((name) => [name, `s3:${name}`]),
  );
}

const grant = (action: string, resource: string, conditionKeys: Keys): RequiredAuthorization => ({
  action,
  resource,
  conditionKeys,
});

// ----- buckets ---------------------------------------------------------------------------------

/**
 * Bucket subresources, in the order they are looked for. Several Delete* operations are governed
 * by the Put* action of the same configuration (DeleteBucketCors → s3:PutBucketCORS).
 */
const BUCKET_SUBRESOURCES: [string, Partial<Record<Method, string>>][] = [
  ['uploads', { GET: 'ListBucketMultipartUploads' }],
  ['versions', { GET: 'ListBucketVersions' }],
  ['acl', { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' }],
  ['cors', { GET: 'GetBucketCORS', PUT: 'PutBucketCORS', DELETE: 'PutBucketCORS' }],
  ['policyStatus', { GET: 'GetBucketPolicyStatus' }],
  ['policy', { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' }],
  ['notification', { GET: 'GetBucketNotification', PUT: 'PutBucketNotification' }],
  ['website', { GET: 'GetBucketWebsite', PUT: 'PutBucketWebsite', DELETE: 'DeleteBucketWebsite' }],
  ['location', { GET: 'GetBucketLocation' }],
  ['versioning', { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' }],
  ['tagging', { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'PutBucketTagging' }],
  [
    'lifecycle',
    {
      GET: 'GetLifecycleConfiguration',
      PUT: 'PutLifecycleConfiguration',
      DELETE: 'PutLifecycleConfiguration',
    },
  ],
  [
    'encryption',
    {
      GET: 'GetEncryptionConfiguration',
      PUT: 'PutEncryptionConfiguration',
      DELETE: 'PutEncryptionConfiguration',
    },
  ],
  [
    'publicAccessBlock',
    {
      GET: 'GetBucketPublicAccessBlock',
      PUT: 'PutBucketPublicAccessBlock',
      DELETE: 'PutBucketPublicAccessBlock',
    },
  ],
  ['logging', { GET: 'GetBucketLogging', PUT: 'PutBucketLogging' }],
  [
    'replication',
    {
      GET: 'GetReplicationConfiguration',
      PUT: 'PutReplicationConfiguration',
      DELETE: 'PutReplicationConfiguration',
    },
  ],
  ['requestPayment', { GET: 'GetBucketRequestPayment', PUT: 'PutBucketRequestPayment' }],
  ['accelerate', { GET: 'GetAccelerateConfiguration', PUT: 'PutAccelerateConfiguration' }],
  [
    'analytics',
    {
      GET: 'GetAnalyticsConfiguration',
      PUT: 'PutAnalyticsConfiguration',
      DELETE: 'PutAnalyticsConfiguration',
    },
  ],
  [
    'inventory',
    {
      GET: 'GetInventoryConfiguration',
      PUT: 'PutInventoryConfiguration',
      DELETE: 'PutInventoryConfiguration',
    },
  ],
  [
    'metrics',
    {
      GET: 'GetMetricsConfiguration',
      PUT: 'PutMetricsConfiguration',
      DELETE: 'PutMetricsConfiguration',
    },
  ],
  [
    'intelligent-tiering',
    {
      GET: 'GetIntelligentTieringConfiguration',
      PUT: 'PutIntelligentTieringConfiguration',
      DELETE: 'PutIntelligentTieringConfiguration',
    },
  ],
  [
    'ownershipControls',
    {
      GET: 'GetBucketOwnershipControls',
      PUT: 'PutBucketOwnershipControls',
      DELETE: 'PutBucketOwnershipControls',
    },
  ],
  [
    'object-lock',
    { GET: 'GetBucketObjectLockConfiguration', PUT: 'PutBucketObjectLockConfiguration' },
  ],
];

const LISTING_KEYS: [string, string][] = [
  ['prefix', 's3:prefix'],
  ['delimiter', 's3:delimiter'],
  ['max-keys', 's3:max-keys'],
];

function listingKeys(query: URLSearchParams): Keys {
  const keys: Keys = {};
  for (const [name, key] of LISTING_KEYS) {
    const value = query.get(name);
    if (value !== null) keys[key] = value;
  }
  return keys;
}

/** CreateBucket, and the configuration actions AWS requires for the headers that set them. */
function createBucket(
  request: IncomingAwsRequest,
  bucket: string,
  common: Keys,
): RequiredAuthorization[] {
  const resource = bucketArn(bucket);
  const acl = aclKeys(request);
  const ownership = header(request, 'x-amz-object-ownership');
  const out = [
    grant('s3:CreateBucket', resource, {
      ...common,
      ...acl,
      ...(ownership === undefined ? {} : { 's3:x-amz-object-ownership': ownership }),
    }),
  ];
  if (Object.keys(acl).length > 0)
    out.push(grant('s3:PutBucketAcl', resource, { ...common, ...acl }));
  if (header(request, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true') {
    out.push(grant('s3:PutBucketObjectLockConfiguration', resource, common));
    out.push(grant('s3:PutBucketVersioning', resource, common));
  }
  if (ownership !== undefined) out.push(grant('s3:PutBucketOwnershipControls', resource, common));
  return out;
}

function isFormUpload(request: IncomingAwsRequest): boolean {
  return (header(request, 'content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
}

function bucketAuthorizations(
  request: IncomingAwsRequest,
  method: string,
  bucket: string,
  common: Keys,
): RequiredAuthorization[] | undefined {
  const { query } = request;
  const resource = bucketArn(bucket);
  if (method === 'POST') {
    if (query.has('delete')) return deleteObjects(request, bucket, common);
    // A browser's POST upload: the key is a field of the (streamed) form, so the object is not
    // known here; the bucket's every key stands for it.
    if (isFormUpload(request)) {
      return [grant('s3:PutObject', objectArn(bucket, '*'), { ...common, 's3:authType': 'POST' })];
    }
    return undefined;
  }
  for (const [name, actions] of BUCKET_SUBRESOURCES) {
    if (!query.has(name)) continue;
    const action = actions[method as Method];
    if (!action) return undefined;
    const keys: Keys = { ...common };
    if (action === 'ListBucketVersions') Object.assign(keys, listingKeys(query));
    if (action === 'PutBucketAcl') Object.assign(keys, aclKeys(request));
    return [grant(`s3:${action}`, resource, keys)];
  }
  switch (method) {
    case 'GET':
      return [grant('s3:ListBucket', resource, { ...common, ...listingKeys(query) })];
    case 'HEAD':
      return [grant('s3:ListBucket', resource, common)];
    case 'PUT':
      return createBucket(request, bucket, common);
    case 'DELETE':
      return [grant('s3:DeleteBucket', resource, common)];
    default:
      return undefined;
  }
}

// ----- DeleteObjects ---------------------------------------------------------------------------

/** One deletion per key of the `<Delete>` document, read as the store reads it. */
function deleteObjects(
  request: IncomingAwsRequest,
  bucket: string,
  common: Keys,
): RequiredAuthorization[] {
  const document = request.body ? parseDeleteRequest(request.body) : undefined;
  const bypass = header(request, 'x-amz-bypass-governance-retention')?.toLowerCase() === 'true';
  // No readable document (S3 will refuse it): the deletion still needs the bucket's every key.
  if (!document) return [grant('s3:DeleteObject', objectArn(bucket, '*'), common)];
  return document.objects.flatMap(({ key, versionId }) =>
    deleteObject(objectArn(bucket, key), versionId, bypass, common),
  );
}

function deleteObject(
  resource: string,
  versionId: string | undefined,
  bypassGovernance: boolean,
  common: Keys,
): RequiredAuthorization[] {
  const out = [
    versionId
      ? grant('s3:DeleteObjectVersion', resource, { ...common, 's3:versionid': versionId })
      : grant('s3:DeleteObject', resource, common),
  ];
  if (bypassGovernance) out.push(grant('s3:BypassGovernanceRetention', resource, common));
  return out;
}

// ----- objects ---------------------------------------------------------------------------------

/** Object subresources whose action has a *Version* twin used when `versionId` is given. */
const VERSIONED_SUBRESOURCES: [string, Partial<Record<Method, [string, string]>>][] = [
  [
    'tagging',
    {
      GET: ['GetObjectTagging', 'GetObjectVersionTagging'],
      PUT: ['PutObjectTagging', 'PutObjectVersionTagging'],
      DELETE: ['DeleteObjectTagging', 'DeleteObjectVersionTagging'],
    },
  ],
  [
    'acl',
    {
      GET: ['GetObjectAcl', 'GetObjectVersionAcl'],
      PUT: ['PutObjectAcl', 'PutObjectVersionAcl'],
    },
  ],
  ['attributes', { GET: ['GetObjectAttributes', 'GetObjectVersionAttributes'] }],
  ['torrent', { GET: ['GetObjectTorrent', 'GetObjectVersionTorrent'] }],
];

const PLAIN_SUBRESOURCES: [string, Partial<Record<Method, string>>][] = [
  ['retention', { GET: 'GetObjectRetention', PUT: 'PutObjectRetention' }],
  ['legal-hold', { GET: 'GetObjectLegalHold', PUT: 'PutObjectLegalHold' }],
  ['restore', { POST: 'RestoreObject' }],
  // SelectObjectContent reads the object.
  ['select', { POST: 'GetObject' }],
];

function objectAuthorizations(
  request: IncomingAwsRequest,
  method: string,
  bucket: string,
  key: string,
  common: Keys,
): RequiredAuthorization[] | undefined {
  const { query } = request;
  const resource = objectArn(bucket, key);
  const versionId = query.get('versionId');
  if (query.has('uploadId')) {
    const action = {
      GET: 's3:ListMultipartUploadParts',
      DELETE: 's3:AbortMultipartUpload',
    }[method];
    if (action) return [grant(action, resource, common)];
    return method === 'PUT' || method === 'POST' ? putObject(request, resource, common) : undefined;
  }
  if (query.has('uploads')) {
    return method === 'POST' ? putObject(request, resource, common) : undefined;
  }
  for (const [name, actions] of VERSIONED_SUBRESOURCES) {
    if (!query.has(name)) continue;
    const pair = actions[method as Method];
    if (!pair) return undefined;
    const keys: Keys = { ...common };
    if (name === 'acl' && method === 'PUT') Object.assign(keys, aclKeys(request));
    if (versionId === null) return [grant(`s3:${pair[0]}`, resource, keys)];
    return [grant(`s3:${pair[1]}`, resource, { ...keys, 's3:versionid': versionId })];
  }
  for (const [name, actions] of PLAIN_SUBRESOURCES) {
    if (!query.has(name)) continue;
    const action = actions[method as Method];
    if (!action) return undefined;
    const out = [grant(`s3:${action}`, resource, common)];
    const bypass = header(request, 'x-amz-bypass-governance-retention')?.toLowerCase() === 'true';
    if (action === 'PutObjectRetention' && bypass) {
      out.push(grant('s3:BypassGovernanceRetention', resource, common));
    }
    return out;
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      return [
        versionId === null
          ? grant('s3:GetObject', resource, common)
          : grant('s3:GetObjectVersion', resource, { ...common, 's3:versionid': versionId }),
      ];
    case 'PUT':
      return putObject(request, resource, common);
    case 'DELETE': {
      const bypass = header(request, 'x-amz-bypass-governance-retention')?.toLowerCase() === 'true';
      return deleteObject(resource, versionId ?? undefined, bypass, common);
    }
    default:
      return undefined;
  }
}

export function s3Authorizations(
  request: IncomingAwsRequest,
  _context: ActionContext,
): RequiredAuthorization[] {
  const method = request.method.toUpperCase();
  // A CORS preflight carries no credentials; S3 answers it from the bucket's CORS rules alone.
  if (method === 'OPTIONS') return [];
  const common = requestKeys(request);
  const location = locate(request);
  const { bucket, key } = location ?? {};
  let out: RequiredAuthorization[] | undefined;
  if (!location) {
    out = undefined;
  } else if (bucket === undefined) {
    out = method === 'GET' ? [grant('s3:ListAllMyBuckets', '*', common)] : undefined;
  } else if (key === undefined) {
    out = bucketAuthorizations(request, method, bucket, common);
  } else {
    out = objectAuthorizations(request, method, bucket, key, common);
  }
  return out ?? [grant(`s3:${method}`, '*', common)];
}
