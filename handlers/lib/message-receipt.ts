import { InvalidRequestError } from './errors';

/**
 * Receipts of received inbox messages: the SQS receipt handle, base64url-encoded so that it fits
 * in a URL path (handles contain `/`, `+` and `=`). A receipt is decoded and checked before it
 * reaches SQS, so a made-up one is a 400, never a 500.
 */
export function encodeReceipt(receiptHandle: string): string {
  return Buffer.from(receiptHandle, 'utf8').toString('base64url');
}

/** Receipt handles are printable ASCII. */
const RECEIPT_HANDLE = /^[\x21-\x7e]+$/;

export function decodeReceipt(receipt: string): string {
  const handle = Buffer.from(receipt, 'base64url').toString('utf8');
  // Only the one encoding this API hands out: no padding, no stray bits, nothing lost in decoding.
  if (!RECEIPT_HANDLE.test(handle) || encodeReceipt(handle) !== receipt) {
    throw new InvalidRequestError('Invalid request parameters', [
      { path: 'path.receipt', message: 'is not a receipt this API issued' },
    ]);
  }
  return handle;
}
