/**
 * The bucket settings Terraform's aws_s3_bucket_* resources write, each a configuration kind
 * (see bucket-configurations.ts): tags, public access block, object ownership, default
 * encryption, versioning and lifecycle. Each is read from S3's XML with S3's checks, kept per
 * bucket, and written back as S3 answers it.
 */
import type { ConfigurationKind } from './configuration-kind';
import { S3Error, s3Errors } from './s3-errors';
import { BUCKET_TAG_LIMIT, readTagging, writeTagSet } from './tag-set';
import type { Tags } from './tag-set';
import type { XmlElement } from './xml-reader';
import { childrenNamed, childText } from './xml-reader';
import { nested, text } from './xml-writer';
import { escapeXml } from '../../xml-escape';

function only(element: XmlElement, name: string): XmlElement | undefined {
  const matches = childrenNamed(element, name);
  if (matches.length > 1) throw s3Errors.malformedXml();
  return matches[0];
}

function rootOf(element: XmlElement, name: string): XmlElement {
  if (element.name !== name) throw s3Errors.malformedXml();
  return element;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T {
  const found = allowed.find((candidate) => candidate === value?.trim());
  if (found === undefined) throw s3Errors.malformedXml();
  return found;
}

function flag(element: XmlElement, name: string): boolean {
  const value = childText(element, name)?.trim();
  if (value === undefined) return false;
  return oneOf(value, ['true', 'false']) === 'true';
}

const missing = (code: string, message: string) => (bucket: string) =>
  new S3Error(code, 404, message, { BucketName: bucket });

export const taggingKind: ConfigurationKind<Tags> = {
  subresource: 'tagging',
  root: 'Tagging',
  read: (root) => readTagging(root, BUCKET_TAG_LIMIT),
  write: writeTagSet,
  missing: missing('NoSuchTagSet', 'The TagSet does not exist'),
  putStatus: 204,
};

const ACCESS_BLOCKS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;
export type PublicAccessBlock = Record<(typeof ACCESS_BLOCKS)[number], boolean>;

/** What a bucket created since April 2023 has: every public access blocked. */
export const BLOCK_ALL_PUBLIC_ACCESS: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export const publicAccessBlockKind: ConfigurationKind<PublicAccessBlock> = {
  subresource: 'publicAccessBlock',
  root: 'PublicAccessBlockConfiguration',
  read: (element) => {
    const root = rootOf(element, 'PublicAccessBlockConfiguration');
    return Object.fromEntries(
      ACCESS_BLOCKS.map((name) => [name, flag(root, name)]),
    ) as PublicAccessBlock;
  },
  write: (block) => ACCESS_BLOCKS.map((name) => text(name, block[name])).join(''),
  missing: missing(
    'NoSuchPublicAccessBlockConfiguration',
    'The public access block configuration was not found',
  ),
};

export const OBJECT_OWNERSHIPS = [
  'BucketOwnerEnforced',
  'BucketOwnerPreferred',
  'ObjectWriter',
] as const;
export type ObjectOwnership = (typeof OBJECT_OWNERSHIPS)[number];

export const ownershipControlsKind: ConfigurationKind<ObjectOwnership> = {
  subresource: 'ownershipControls',
  root: 'OwnershipControls',
  read: (element) => {
    const rules = childrenNamed(rootOf(element, 'OwnershipControls'), 'Rule');
    const [rule] = rules;
    if (!rule || rules.length > 1) throw s3Errors.malformedXml();
    return oneOf(childText(rule, 'ObjectOwnership'), OBJECT_OWNERSHIPS);
  },
  write: (ownership) => nested('Rule', text('ObjectOwnership', ownership)),
  missing: missing(
    'OwnershipControlsNotFoundError',
    'The bucket ownership controls were not found',
  ),
};

export interface DefaultEncryption {
  algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  kmsMasterKeyId?: string;
  bucketKeyEnabled: boolean;
}

/** Every bucket is encrypted with S3's keys unless told otherwise (since January 2023). */
const S3_MANAGED_ENCRYPTION: DefaultEncryption = { algorithm: 'AES256', bucketKeyEnabled: false };

export const encryptionKind: ConfigurationKind<DefaultEncryption> = {
  subresource: 'encryption',
  root: 'ServerSideEncryptionConfiguration',
  read: (element) => {
    const rules = childrenNamed(rootOf(element, 'ServerSideEncryptionConfiguration'), 'Rule');
    const [rule] = rules;
    if (!rule || rules.length > 1) throw s3Errors.malformedXml();
    const byDefault = only(rule, 'ApplyServerSideEncryptionByDefault');
    if (!byDefault) throw s3Errors.malformedXml();
    const algorithm = oneOf(childText(byDefault, 'SSEAlgorithm'), [
      'AES256',
      'aws:kms',
      'aws:kms:dsse',
    ]);
    const key = childText(byDefault, 'KMSMasterKeyID')?.trim();
    if (key && algorithm === 'AES256') {
      throw s3Errors.invalidArgument(
        'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse',
        'ApplyServerSideEncryptionByDefault',
      );
    }
    return {
      algorithm,
      ...(key ? { kmsMasterKeyId: key } : {}),
      bucketKeyEnabled: flag(rule, 'BucketKeyEnabled'),
    };
  },
  write: (encryption) =>
    nested(
      'Rule',
      nested(
        'ApplyServerSideEncryptionByDefault',
        text('SSEAlgorithm', encryption.algorithm),
        text('KMSMasterKeyID', encryption.kmsMasterKeyId),
      ),
      text('BucketKeyEnabled', encryption.bucketKeyEnabled),
    ),
  missing: missing(
    'ServerSideEncryptionConfigurationNotFoundError',
    'The server side encryption configuration was not found',
  ),
  absent: { value: S3_MANAGED_ENCRYPTION },
};

export interface Versioning {
  status: 'Enabled' | 'Suspended';
  mfaDelete?: 'Enabled' | 'Disabled';
}

/**
 * A bucket's versioning status. Objects keep one version locally (`null`, as in a bucket that
 * was never versioned): the status is kept and answered, ListObjectVersions lists that version.
 */
export const versioningKind: ConfigurationKind<Versioning | undefined> = {
  subresource: 'versioning',
  root: 'VersioningConfiguration',
  read: (element) => {
    const root = rootOf(element, 'VersioningConfiguration');
    const status = oneOf(childText(root, 'Status'), ['Enabled', 'Suspended']);
    const mfa = childText(root, 'MfaDelete');
    if (mfa !== undefined && oneOf(mfa, ['Enabled', 'Disabled']) === 'Enabled') {
      throw s3Errors.invalidRequest('DevPay and Mfa are mutually exclusive authorization methods.');
    }
    return { status, ...(mfa === undefined ? {} : { mfaDelete: 'Disabled' as const }) };
  },
  write: (versioning) =>
    versioning ? text('Status', versioning.status) + text('MfaDelete', versioning.mfaDelete) : '',
  // A bucket never versioned answers an empty configuration.
  absent: { value: undefined },
};

/** An element written back as it was read (its attributes dropped, as S3's schema has none). */
function writeElement(element: XmlElement): string {
  const inner =
    element.children.length > 0
      ? element.children.map(writeElement).join('')
      : escapeXml(element.text);
  return `<${element.name}>${inner}</${element.name}>`;
}

/** The most rules a lifecycle configuration holds. */
const MAX_LIFECYCLE_RULES = 1000;

/**
 * Lifecycle rules are kept as S3 was given them and answered back element for element: nothing
 * expires or moves locally, and a rule read back equals the rule written (Terraform's waiter
 * compares them).
 */
export const lifecycleKind: ConfigurationKind<XmlElement[]> = {
  subresource: 'lifecycle',
  root: 'LifecycleConfiguration',
  read: (element) => {
    const rules = childrenNamed(rootOf(element, 'LifecycleConfiguration'), 'Rule');
    if (rules.length === 0 || rules.length > MAX_LIFECYCLE_RULES) throw s3Errors.malformedXml();
    const ids = new Set<string>();
    for (const rule of rules) {
      oneOf(childText(rule, 'Status'), ['Enabled', 'Disabled']);
      const id = childText(rule, 'ID');
      if (id !== undefined && id.length > 255) {
        throw s3Errors.invalidArgument(
          'ID length should not exceed allowed limit of 255',
          'ID',
          id,
        );
      }
      if (id !== undefined && ids.has(id)) {
        throw s3Errors.invalidArgument(
          'RuleId must be unique. Found same ID for more than one rule',
          'ID',
          id,
        );
      }
      if (id !== undefined) ids.add(id);
    }
    return rules;
  },
  write: (rules) => rules.map(writeElement).join(''),
  missing: missing('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'),
  // S3 answers the default minimum object size of a transition with every lifecycle read.
  answerHeaders: { 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' },
};
