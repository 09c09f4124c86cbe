/**
 * The thumbnail engine: bytes of an uploaded image in, a small upright JPEG out. Pure domain code (no AWS).
 *
 * Pipeline, cheapest checks first, one module a stage:
 *  1. sniff the format by magic bytes (the file name and Content-Type are the uploader's claims, not facts),
 *     and read the pixel size from the header, refusing decompression bombs BEFORE decoding anything
 *     (header.ts);
 *  2. decode: JPEG with MozJPEG compiled to WebAssembly, PNG with jimp (codec.ts);
 *  3. shrink with an area-average (box) filter straight over the RGBA buffer, flattening alpha onto white on
 *     the way (resample.ts);
 *  4. hand the small bitmap to jimp to turn it upright for its EXIF orientation (orientation.ts), then encode
 *     it with MozJPEG (codec.ts): encoding from pixels is what strips the metadata.
 */
import { Jimp } from 'jimp';
import { decodeImage, encodeJpeg } from './codec';
import { readImageHeader, sniffImageFormat } from './header';
import { applyOrientation, turnsAQuarter } from './orientation';
import { shrinkOntoWhite } from './resample';
import type { ImageFormat, Size } from './types';
import { UnsupportedImageError } from './unsupported-image-error';

export interface ThumbnailOptions {
  /** Thumbnail width in px; the height follows the aspect ratio. Narrower sources are never upscaled. */
  width: number;
  /** Refuse images with more pixels than this (decompression-bomb guard), checked before decoding. */
  maxPixels: number;
  /** JPEG quality, 1-100. */
  quality: number;
}

export interface Thumbnail {
  body: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  /** The source as displayed: width and height after its EXIF orientation is applied. */
  source: { format: ImageFormat; width: number; height: number };
}

export async function makeThumbnail(
  bytes: Uint8Array,
  options: ThumbnailOptions,
): Promise<Thumbnail> {
  assertOptions(options);
  const format = sniffImageFormat(bytes);
  if (format === undefined) throw new UnsupportedImageError('not a JPEG or PNG image');
  const header = readImageHeader(bytes, format);
  refuseBombs(header.size, options.maxPixels);

  const image = await decodeImage(bytes, format, header.size);
  const { upright, stored } = thumbnailSizes(image, header.orientation, options.width);
  const pixels = shrinkOntoWhite(image, stored.width, stored.height);
  const thumb = new Jimp({ width: stored.width, height: stored.height, data: pixels });
  applyOrientation(thumb, header.orientation);
  const body = await encodeJpeg(thumb.bitmap, options.quality);

  return {
    body,
    contentType: 'image/jpeg',
    width: thumb.bitmap.width,
    height: thumb.bitmap.height,
    source: { format, width: upright.width, height: upright.height },
  };
}

function refuseBombs({ width, height }: Size, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new UnsupportedImageError(
      `image is ${width}x${height} (${megapixels(width * height)} MP); ` +
        `the limit is ${megapixels(maxPixels)} MP`,
    );
  }
}

/**
 * Sizes of the picture as displayed (upright), and of the thumbnail as stored, before its orientation is
 * applied: `width` wide upright at most, never wider than the picture, and the picture's aspect ratio.
 */
function thumbnailSizes(
  image: Size,
  orientation: number,
  width: number,
): { upright: Size; stored: Size } {
  const sideways = turnsAQuarter(orientation);
  const upright = sideways ? { width: image.height, height: image.width } : image;
  const thumbWidth = Math.min(width, upright.width);
  const thumbHeight = Math.max(1, Math.round((upright.height * thumbWidth) / upright.width));
  const stored = sideways
    ? { width: thumbHeight, height: thumbWidth }
    : { width: thumbWidth, height: thumbHeight };
  return { upright, stored };
}

function assertOptions({ width, maxPixels, quality }: ThumbnailOptions): void {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`bad thumbnail width: ${width}`);
  if (!(maxPixels > 0)) throw new RangeError(`bad maxPixels: ${maxPixels}`);
  if (!(quality >= 1 && quality <= 100)) throw new RangeError(`bad JPEG quality: ${quality}`);
}

function megapixels(pixels: number): string {
  return String(Math.round(pixels / 100_000) / 10);
}
