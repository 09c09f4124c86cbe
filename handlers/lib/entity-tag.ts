import type { VersionPrecondition } from './items-repository';

/**
 * Items' entity tags: the strong tag `"<version>"` of the version number every write of the item
 * increments. A client sends back in If-Match the tag it read; the write goes ahead only while
 * the item is still at that version (optimistic concurrency).
 */

export function entityTag(version: number): string {
  return `"${version}"`;
}

const ENTITY_TAG = /(W\/)?"([^"]*)"/g;
const VERSION = /^(0|[1-9][0-9]{0,14})$/;

/**
 * What an If-Match header (its syntax already checked against the API document) asks of the
 * write: nothing when absent, an existing item for `*`, else one of the versions it lists. Weak
 * tags and tags this API never issued match no version (If-Match compares strongly).
 */
export function versionPrecondition(ifMatch: string | undefined): VersionPrecondition | undefined {
  if (ifMatch === undefined) return undefined;
  if (ifMatch.trim() === '*') return 'any';
  const versions = [...ifMatch.matchAll(ENTITY_TAG)]
    .filter(([, weak, opaque]) => weak === undefined && VERSION.test(opaque ?? ''))
    .map(([, , opaque]) => Number(opaque));
  return [...new Set(versions)];
}
