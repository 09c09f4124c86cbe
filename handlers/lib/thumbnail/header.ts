/**
 * What an image's first bytes say, read without decoding it: the format (by magic bytes), the pixel size
 * (JPEG SOFn marker / PNG IHDR chunk) and the EXIF orientation. Cheap enough to run on every upload, so that
 * decompression bombs are refused before the codec allocates anything.
 */
import type { ImageFormat, Size } from './types';
import { UnsupportedImageError } from './unsupported-image-error';

export interface ImageHeader {
  size: Size;
  /** EXIF orientation 1-8; 1 (as stored) when absent or unreadable. */
  orientation: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Identifies JPEG and PNG by their magic bytes only. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  if (bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    return 'png';
  }
  return undefined;
}

/** Pixel size from the header (JPEG SOFn marker / PNG IHDR chunk) without decoding the image. */
export function readImageSize(bytes: Uint8Array, format: ImageFormat): Size {
  return readImageHeader(bytes, format).size;
}

/** Size and orientation; PNG has no EXIF orientation, so a PNG is always as stored. */
export function readImageHeader(bytes: Uint8Array, format: ImageFormat): ImageHeader {
  return format === 'jpeg' ? scanJpegHeader(bytes) : { size: readPngSize(bytes), orientation: 1 };
}

function readPngSize(bytes: Uint8Array): Size {
  // signature (8) | IHDR length (4) = 13 | "IHDR" | width (4) | height (4) | ...
  if (bytes.length < 24 || readU32(bytes, 8) !== 13 || ascii(bytes, 12, 4) !== 'IHDR') {
    throw new UnsupportedImageError('corrupt PNG data (no IHDR header)');
  }
  const size = { width: readU32(bytes, 16), height: readU32(bytes, 20) };
  if (size.width === 0 || size.height === 0) {
    throw new UnsupportedImageError(
      `corrupt PNG data (IHDR declares ${size.width}x${size.height})`,
    );
  }
  return size;
}

/** SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Walks the marker segments up to the first scan: frame size from SOFn, orientation from APP1 Exif. */
function scanJpegHeader(bytes: Uint8Array): ImageHeader {
  let size: Size | undefined;
  let orientation: number | undefined;
  for (const { marker, at, end } of jpegSegments(bytes)) {
    if (size === undefined && isStartOfFrame(marker)) {
      size = readFrameSize(bytes, at, end);
    } else if (orientation === undefined && marker === 0xe1) {
      orientation = readExifOrientation(bytes.subarray(at + 2, end));
    }
  }
  if (size === undefined) throw new UnsupportedImageError('corrupt JPEG data (no frame header)');
  if (size.width === 0 || size.height === 0) {
    throw new UnsupportedImageError(
      `unsupported JPEG (frame declares ${size.width}x${size.height})`,
    );
  }
  return { size, orientation: orientation ?? 1 };
}

/**
 * The marker segments that carry a length, from SOI up to the first scan (SOS), the end of the image or the
 * end of the data: each as its marker and its bytes from `at` (the length field) up to `end`.
 */
function* jpegSegments(bytes: Uint8Array): Generator<{ marker: number; at: number; end: number }> {
  let pos = 2; // after SOI
  while (pos < bytes.length) {
    if (bytes[pos] !== 0xff) {
      pos++; // stray byte between segments; decoders skip these too
      continue;
    }
    while (bytes[pos] === 0xff) pos++; // fill bytes
    const marker = bytes[pos];
    if (marker === undefined) return;
    pos++;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue; // no length field
    if (marker === 0xd9 || marker === 0xda) return; // EOI, SOS: the header is over
    if (pos + 2 > bytes.length) return;
    const length = readU16(bytes, pos);
    if (length < 2) throw new UnsupportedImageError('corrupt JPEG data (bad segment length)');
    const end = pos + length;
    if (end > bytes.length) return;
    yield { marker, at: pos, end };
    pos = end;
  }
}

/** A SOFn segment: length (2) | precision (1) | height (2) | width (2) | components... */
function readFrameSize(bytes: Uint8Array, at: number, end: number): Size {
  if (end - at < 8) throw new UnsupportedImageError('corrupt JPEG data (short frame header)');
  return { height: readU16(bytes, at + 3), width: readU16(bytes, at + 5) };
}

/** Orientation tag (0x0112) of IFD0 in an APP1 payload; undefined if this is not a (readable) Exif block. */
function readExifOrientation(app1: Uint8Array): number | undefined {
  if (app1.length < 14 || ascii(app1, 0, 6) !== 'Exif\0\0') return undefined;
  const tiff = tiffReader(app1.subarray(6));
  if (tiff === undefined || tiff.u16(2) !== 42) return undefined;
  const ifd = tiff.u32(4);
  if (ifd === undefined) return undefined;
  const count = tiff.u16(ifd) ?? 0;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    const tag = tiff.u16(entry);
    if (tag === undefined) return undefined;
    if (tag === 0x0112) {
      const value = tiff.u16(entry + 2) === 3 ? tiff.u16(entry + 8) : undefined; // type SHORT
      return value !== undefined && value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

interface TiffReader {
  /** undefined past the end of the block */
  u16(at: number): number | undefined;
  u32(at: number): number | undefined;
}

/** Numbers of a TIFF block in the byte order its first two bytes declare; undefined if they declare none. */
function tiffReader(tiff: Uint8Array): TiffReader | undefined {
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  const u16 = (at: number): number | undefined => {
    const a = tiff[at];
    const b = tiff[at + 1];
    if (a === undefined || b === undefined) return undefined;
    return little ? a | (b << 8) : (a << 8) | b;
  };
  const u32 = (at: number): number | undefined => {
    const lo = u16(little ? at : at + 2);
    const hi = u16(little ? at + 2 : at);
    return lo === undefined || hi === undefined ? undefined : hi * 0x10000 + lo;
  };
  return { u16, u32 };
}

function readU16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function readU32(bytes: Uint8Array, at: number): number {
  return readU16(bytes, at) * 0x10000 + readU16(bytes, at + 2);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}
