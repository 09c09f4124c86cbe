/** Decoding and encoding (codec.ts), through the pipeline: clean output, damaged input refused. */
import '../../support/jsquash-as-commonjs'; // first: the engine's codecs load as CommonJS under Jest
import { makeThumbnail, UnsupportedImageError } from '../../../handlers/lib/thumbnail';
import {
  commentSegment,
  exifOrientationSegment,
  headerMarkers,
  landscapeJpeg,
  OPTIONS,
  rejection,
  startOfScan,
  transparentPng,
  withSegments,
} from '../../support/thumbnail-fixtures';

describe('makeThumbnail, decoding and encoding', () => {
  it('strips the metadata: no Exif, comment or other application segment survives', async () => {
    // Given a JPEG carrying an Exif block and a comment
    const jpeg = withSegments(
      await landscapeJpeg(),
      exifOrientationSegment(1),
      commentSegment('GPS: 51.5007 N, 0.1246 W'),
    );
    expect(headerMarkers(jpeg)).toEqual(expect.arrayContaining([0xe1, 0xfe]));

    // When
    const thumb = await makeThumbnail(jpeg, OPTIONS);

    // Then the only application segment is JFIF's APP0, and the texts are gone
    const markers = headerMarkers(thumb.body);
    expect(markers.filter((m) => (m >= 0xe1 && m <= 0xef) || m === 0xfe)).toEqual([]);
    expect(thumb.body.includes('Exif')).toBe(false);
    expect(thumb.body.includes('GPS')).toBe(false);
  });

  it('refuses a truncated JPEG', async () => {
    // Given the first half of a JPEG
    const jpeg = await landscapeJpeg();
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));

    // When
    const error = await rejection(makeThumbnail(truncated, OPTIONS));

    // Then
    expect(error).toBeInstanceOf(UnsupportedImageError);
    expect(error).toHaveProperty('message', 'truncated JPEG data (Premature end of JPEG file)');
  });

  it('refuses a JPEG whose image data is garbage, and still decodes the next one', async () => {
    // Given a JPEG whose compressed data was overwritten with junk (an unknown marker among it)
    const good = await landscapeJpeg();
    const corrupt = Buffer.from(good);
    const scan = startOfScan(corrupt) + 200;
    corrupt.fill(0x5a, scan, scan + 400);
    corrupt[scan + 100] = 0xff;

    // When
    const error = await rejection(makeThumbnail(corrupt, OPTIONS));

    // Then a clear reason, and the decoder is fine afterwards
    expect(error).toBeInstanceOf(UnsupportedImageError);
    expect(error).toHaveProperty('message', expect.stringMatching(/^corrupt JPEG data \(.+\)$/));
    await expect(makeThumbnail(good, OPTIONS)).resolves.toMatchObject({ width: 256, height: 171 });
  });

  it('refuses a truncated PNG', async () => {
    // Given a PNG cut short inside its image data
    const png = await transparentPng();
    const truncated = png.subarray(0, Math.floor(png.length * 0.6));

    // When
    const error = await rejection(makeThumbnail(truncated, OPTIONS));

    // Then
    expect(error).toBeInstanceOf(UnsupportedImageError);
    expect(error).toHaveProperty('message', 'truncated PNG data (no IEND chunk)');
  });

  it('refuses a PNG whose compressed data is damaged', async () => {
    // Given a complete PNG with a stretch of its image data overwritten
    const png = Buffer.from(await transparentPng());
    const middle = Math.floor(png.length / 2);
    png.fill(0xa5, middle, middle + 64);

    // When
    const error = await rejection(makeThumbnail(png, OPTIONS));

    // Then
    expect(error).toBeInstanceOf(UnsupportedImageError);
    expect(error).toHaveProperty('message', expect.stringMatching(/^corrupt PNG data \(.+\)$/));
  });
});
