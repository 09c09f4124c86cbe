/** The Invoke API's payload quotas, as Lambda enforces them. */

/** A synchronous (RequestResponse) request: 6 MB. */
export const SYNC_REQUEST_LIMIT_BYTES = 6 * 1024 * 1024;
/** A synchronous response, as Lambda's error message states it. */
export const SYNC_RESPONSE_LIMIT_BYTES = 6_291_556;
/** An asynchronous (Event) request: 1 MB since October 2025 (256 KB before). */
export const ASYNC_REQUEST_LIMIT_BYTES = 1024 * 1024;
