/**
 * What the stack and the handlers must agree on about storage: table keys, index names and
 * object prefixes. Kept free of SDK imports so the stack can read it at synth time.
 */
export const itemsTableLayout = {
  partitionKey: 'id',
  /** Lists items newest first; `kind` is the constant 'item'. */
  index: { name: 'itemsByCreatedAt', partitionKey: 'kind', sortKey: 'createdAt' },
} as const;

export const auditTableLayout = {
  /** The event id: storing an event is a conditional put on it, so duplicates are ignored. */
  partitionKey: 'id',
  /** Lists entries newest first; `stream` is the constant 'events', `receivedKey` is `receivedAt#id`. */
  index: { name: 'auditByReceivedAt', partitionKey: 'stream', sortKey: 'receivedKey' },
  /** Epoch seconds after which DynamoDB deletes the entry. */
  timeToLiveAttribute: 'expiresAt',
} as const;

/** Originals in the uploads bucket; the bucket notification fires for this prefix only. */
export const UPLOADS_PREFIX = 'uploads/';
/** Thumbnails in the processed bucket. */
export const THUMBNAILS_PREFIX = 'thumbnails/';
