/**
 * The bucket sub-resources that are configuration documents (`PUT/GET/DELETE /<bucket>?cors`…):
 * each kind reads S3's XML into its model, writes it back, and names the error S3 answers when the
 * bucket has none. The store keeps the models in bucket.json. A sub-resource added here is served
 * by the generic Put/Get/Delete operations with no other change.
 */
import type { CorsRule } from './cors-configuration';
import { readCorsConfiguration, writeCorsConfiguration } from './cors-configuration';
import type { Bucket } from './object-store';
import { S3Error } from './s3-errors';
import type { WebsiteConfiguration } from './website-configuration';
import { readWebsiteConfiguration, writeWebsiteConfiguration } from './website-configuration';
import type { ConfigurationKind } from './configuration-kind';
import {
  encryptionKind,
  lifecycleKind,
  ownershipControlsKind,
  publicAccessBlockKind,
  taggingKind,
  versioningKind,
} from './bucket-settings';
import { notificationKind } from './notification-configuration';

export type { ConfigurationKind } from './configuration-kind';

export const corsKind: ConfigurationKind<CorsRule[]> = {
  subresource: 'cors',
  root: 'CORSConfiguration',
  read: readCorsConfiguration,
  write: writeCorsConfiguration,
  missing: (bucket) =>
    new S3Error('NoSuchCORSConfiguration', 404, 'The CORS configuration does not exist', {
      BucketName: bucket,
    }),
};

export const websiteKind: ConfigurationKind<WebsiteConfiguration> &
  Required<Pick<ConfigurationKind<WebsiteConfiguration>, 'missing'>> = {
  subresource: 'website',
  root: 'WebsiteConfiguration',
  read: readWebsiteConfiguration,
  write: writeWebsiteConfiguration,
  missing: (bucket) =>
    new S3Error(
      'NoSuchWebsiteConfiguration',
      404,
      'The specified bucket does not have a website configuration',
      { BucketName: bucket },
    ),
};

/** Every configuration sub-resource the local S3 stores. */
export const CONFIGURATION_KINDS: readonly ConfigurationKind<unknown>[] = [
  corsKind,
  websiteKind,
  taggingKind,
  publicAccessBlockKind,
  ownershipControlsKind,
  encryptionKind,
  versioningKind,
  lifecycleKind,
  notificationKind,
] as ConfigurationKind<unknown>[];

/** The bucket's configuration of that kind, or undefined. */
export function configurationOf<T>(bucket: Bucket, kind: ConfigurationKind<T>): T | undefined {
  return bucket.configurations[kind.subresource] as T | undefined;
}
