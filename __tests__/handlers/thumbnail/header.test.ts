/** The header reader (header.ts): format by magic bytes, size from the header, without decoding. */
import { readImageSize, sniffImageFormat } from '../../../handlers/lib/thumbnail/header';
import { UnsupportedImageError } from '../../../handlers/lib/thumbnail/unsupported-image-error';
import {
  encodeImage,
  exifOrientationSegment,
  GREY,
  landscapeJpeg,
  pngHeaderOnly,
  withSegments,
} from '../../support/thumbnail-fixtures';

describe('sniffImageFormat', () => {
  it('recognises a JPEG and a PNG by their magic bytes', async () => {
    // Given a JPEG and a PNG
    const jpeg = await encodeImage(8, 8, () => GREY, 'image/jpeg');
    const png = await encodeImage(8, 8, () => GREY, 'image/png');

    // When / Then
    expect(sniffImageFormat(jpeg)).toBe('jpeg');
    expect(sniffImageFormat(png)).toBe('png');
  });

  it('does not recognise text, whatever the file was called', () => {
    // Given the bytes of a text file someone named photo.jpg
    const text = Buffer.from('Dear diary, today I uploaded a picture.\n');

    // When / Then
    expect(sniffImageFormat(text)).toBeUndefined();
  });
});

describe('readImageSize', () => {
  it('reads a JPEG size from its frame header', async () => {
    // Given a 1200x800 JPEG with an Exif block (saying "display turned") before the frame header
    const jpeg = withSegments(await landscapeJpeg(), exifOrientationSegment(6));

    // When
    const size = readImageSize(jpeg, 'jpeg');

    // Then the stored size is reported
    expect(size).toEqual({ width: 1200, height: 800 });
  });

  it('reads a PNG size from its IHDR chunk without needing the pixel data', () => {
    // Given a PNG cut off right after its IHDR chunk
    const png = pngHeaderOnly(640, 480);

    // When
    const size = readImageSize(png, 'png');

    // Then
    expect(size).toEqual({ width: 640, height: 480 });
  });

  it('refuses a JPEG that ends before any frame header', () => {
    // Given a JPEG that is only start- and end-of-image markers
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);

    // When / Then
    expect(() => readImageSize(jpeg, 'jpeg')).toThrow(UnsupportedImageError);
    expect(() => readImageSize(jpeg, 'jpeg')).toThrow('corrupt JPEG data (no frame header)');
  });
});
