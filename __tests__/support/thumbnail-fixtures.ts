/**
 * The thumbnail engine's fixtures, made with jimp (JPEGs with marked corners, a half-transparent PNG, Exif and
 * comment segments, a header-only PNG), and an independent decoder to read its output with.
 */
import { defaultFormats, Jimp, PNGFilterType } from 'jimp';
import type { ThumbnailOptions } from '../../handlers/lib/thumbnail';

export const OPTIONS: ThumbnailOptions = { width: 256, maxPixels: 50_000_000, quality: 80 };

export type Rgba = [number, number, number, number];
export const RED: Rgba = [230, 20, 20, 255];
export const GREEN: Rgba = [20, 200, 40, 255];
export const GREY: Rgba = [128, 128, 128, 255];
export const BLUE: Rgba = [20, 40, 220, 255];

export async function encodeImage(
  width: number,
  height: number,
  paint: (x: number, y: number) => Rgba,
  mime: 'image/jpeg' | 'image/png',
): Promise<Buffer> {
  const image = new Jimp({ width, height });
  const data = image.bitmap.data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = paint(x, y);
      const i = (y * width + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = a;
    }
  }
  return mime === 'image/jpeg'
    ? image.getBuffer('image/jpeg', { quality: 90 })
    : image.getBuffer('image/png', { filterType: PNGFilterType.NONE }); // adaptive filtering is slow here
}

/** Grey with a red square in the top-left corner and a green one in the top-right, as stored. */
function markedCorners(width: number, height: number): Promise<Buffer> {
  const mark = Math.round(height / 4);
  return encodeImage(
    width,
    height,
    (x, y) => (y < mark && x < mark ? RED : y < mark && x >= width - mark ? GREEN : GREY),
    'image/jpeg',
  );
}

/** Fixtures are made once: encoding with jimp is slow under Jest (seconds for a 1200x800 JPEG). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

const landscape = once(() => markedCorners(1200, 800));

/** The 1200x800 marked-corners JPEG most specs start from (a copy: a spec may edit its bytes). */
export async function landscapeJpeg(): Promise<Buffer> {
  return Buffer.from(await landscape());
}

/** A 900x600 PNG: opaque blue left half; right half transparent black on top, half-transparent below. */
export const transparentPng = once(() =>
  encodeImage(
    900,
    600,
    (x, y) => (x < 450 ? BLUE : y < 300 ? [0, 0, 0, 0] : [0, 0, 0, 128]),
    'image/png',
  ),
);

/** An APP1 segment holding a big-endian Exif block whose IFD0 has just the Orientation tag. */
export function exifOrientationSegment(orientation: number): Buffer {
  const tiff = Buffer.from([
    ...[0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08], // "MM", 42, IFD0 at offset 8
    ...[0x00, 0x01], // one entry
    ...[0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00], // Orientation, SHORT
    ...[0x00, 0x00, 0x00, 0x00], // no next IFD
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(payload.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xe1]), length, payload]);
}

/** The JPEG with `segments` inserted right after its SOI marker. */
export function withSegments(jpeg: Buffer, ...segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

export function commentSegment(text: string): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(text.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xfe]), length, Buffer.from(text, 'latin1')]);
}

/** Offset of the JPEG's first SOS (start of scan) marker, where the entropy-coded data begins. */
export function startOfScan(jpeg: Buffer): number {
  let pos = 2;
  while (jpeg[pos + 1] !== 0xda) pos += 2 + jpeg.readUInt16BE(pos + 2);
  return pos;
}

/** Marker codes of the segments before the image data. */
export function headerMarkers(jpeg: Buffer): number[] {
  const markers: number[] = [];
  const sos = startOfScan(jpeg);
  for (let pos = 2; pos < sos; pos += 2 + jpeg.readUInt16BE(pos + 2)) {
    markers.push(jpeg[pos + 1] ?? 0);
  }
  return markers;
}

/** A PNG made of the signature and an IHDR chunk only (CRC left zero): enough for a header reader. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 6, 0, 0, 0], 16); // 8-bit RGBA, deflate, no filter, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
}

// What the specs read the output with

/** Decodes with jimp's own pure-JS JPEG decoder: an independent opinion on our output. */
export function decoded(body: Buffer): {
  width: number;
  height: number;
  at: (x: number, y: number) => Rgba;
} {
  const jpeg = defaultFormats
    .map((format) => format())
    .find((codec) => codec.mime === 'image/jpeg');
  if (jpeg === undefined) throw new Error('jimp has no JPEG codec');
  const { width, height, data } = jpeg.decode(body);
  const at = (x: number, y: number): Rgba => {
    const i = (y * width + x) * 4;
    return [data[i] ?? -1, data[i + 1] ?? -1, data[i + 2] ?? -1, data[i + 3] ?? -1];
  };
  return { width, height, at };
}

const PALETTE: Record<string, Rgba> = {
  red: RED,
  green: GREEN,
  grey: GREY,
  blue: BLUE,
  white: [255, 255, 255, 255],
  black: [0, 0, 0, 255],
};

/** The palette colour within `tolerance` per channel of this pixel, else its rgb(): readable in a failure. */
export function colourName(pixel: Rgba, tolerance = 24): string {
  for (const [name, colour] of Object.entries(PALETTE)) {
    if (pixel.every((v, i) => Math.abs(v - (colour[i] ?? 0)) <= tolerance)) return name;
  }
  return `rgba(${pixel.join(', ')})`;
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}
