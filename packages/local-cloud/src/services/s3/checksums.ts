/**
 * The checksums S3 accepts for an object (`x-amz-checksum-<algorithm>`, as a header or an
 * aws-chunked trailer): CRC32, CRC32C, CRC64NVME, SHA1 and SHA256, computed as the body streams in
 * and answered base64-encoded, as S3 does.
 */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface Hasher {
  update(chunk: Buffer): void;
  digest(): Buffer;
}

export function checksumAlgorithmOf(name: string): ChecksumAlgorithm | undefined {
  const upper = name.toUpperCase();
  return CHECKSUM_ALGORITHMS.find((algorithm) => algorithm === upper);
}

/** `x-amz-checksum-crc32` for CRC32, and so on. */
export const checksumHeader = (algorithm: ChecksumAlgorithm): string =>
  `x-amz-checksum-${algorithm.toLowerCase()}`;

/** How many bytes the digest has: a value of another length cannot be the algorithm's. */
export const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};

function reflectedTable(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ polynomial : crc >>> 1;
    table[i] = crc >>> 0;
  }
  return table;
}

const CRC32_TABLE = reflectedTable(0xedb88320);
const CRC32C_TABLE = reflectedTable(0x82f63b78);

function crc32Hasher(table: Uint32Array): Hasher {
  let crc = 0xffffffff;
  return {
    update: (chunk) => {
      for (const byte of chunk) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
    },
    digest: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
      return out;
    },
  };
}

/** zlib's native CRC32 where Node has it (20.15 and later), the table otherwise. */
function crc32(): Hasher {
  const native = (zlib as { crc32?: (data: Buffer, value?: number) => number }).crc32;
  if (!native) return crc32Hasher(CRC32_TABLE);
  let crc = 0;
  return {
    update: (chunk) => {
      crc = native(chunk, crc);
    },
    digest: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(crc >>> 0);
      return out;
    },
  };
}

/** CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5) in two 32-bit halves. */
const CRC64_TABLES = ((): { high: Uint32Array; low: Uint32Array } => {
  const high = new Uint32Array(256);
  const low = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let hi = 0;
    let lo = i;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        hi = (hi ^ 0x9a6c9329) >>> 0;
        lo = (lo ^ 0xac4bc9b5) >>> 0;
      }
    }
    high[i] = hi;
    low[i] = lo;
  }
  return { high, low };
})();

function crc64Nvme(): Hasher {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  const { high, low } = CRC64_TABLES;
  return {
    update: (chunk) => {
      for (const byte of chunk) {
        const index = (lo ^ byte) & 0xff;
        lo = (((lo >>> 8) | (hi << 24)) ^ (low[index] as number)) >>> 0;
        hi = ((hi >>> 8) ^ (high[index] as number)) >>> 0;
      }
    },
    digest: () => {
      const out = Buffer.alloc(8);
      out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
      out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
      return out;
    },
  };
}

function hashOf(name: 'md5' | 'sha1' | 'sha256'): Hasher {
  const hash = createHash(name);
  return { update: (chunk) => hash.update(chunk), digest: () => hash.digest() };
}

export function createHasher(algorithm: ChecksumAlgorithm | 'MD5'): Hasher {
  switch (algorithm) {
    case 'CRC32':
      return crc32();
    case 'CRC32C':
      return crc32Hasher(CRC32C_TABLE);
    case 'CRC64NVME':
      return crc64Nvme();
    case 'SHA1':
      return hashOf('sha1');
    case 'SHA256':
      return hashOf('sha256');
    case 'MD5':
      return hashOf('md5');
  }
}
