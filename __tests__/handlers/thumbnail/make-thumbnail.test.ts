/** The thumbnail pipeline (make-thumbnail.ts): sizes, and what it refuses before decoding. */
import '../../support/jsquash-as-commonjs'; // first: the engine's codecs load as CommonJS under Jest
import {
  makeThumbnail,
  sniffImageFormat,
  UnsupportedImageError,
} from '../../../handlers/lib/thumbnail';
import {
  decoded,
  encodeImage,
  GREY,
  landscapeJpeg,
  OPTIONS,
  pngHeaderOnly,
  rejection,
} from '../../support/thumbnail-fixtures';

describe('makeThumbnail', () => {
  it('turns a 1200x800 JPEG into a 256 px wide JPEG with the same aspect ratio', async () => {
    // Given a 1200x800 JPEG
    const jpeg = await landscapeJpeg();

    // When
    const thumb = await makeThumbnail(jpeg, OPTIONS);

    // Then it is a JPEG (by its bytes) of 256x171 (800 * 256 / 1200 = 170.7), as the decoded pixels confirm
    expect(thumb.contentType).toBe('image/jpeg');
    expect(sniffImageFormat(thumb.body)).toBe('jpeg');
    expect(thumb).toMatchObject({ width: 256, height: 171 });
    expect(thumb.source).toEqual({ format: 'jpeg', width: 1200, height: 800 });
    const image = decoded(thumb.body);
    expect({ width: image.width, height: image.height }).toEqual({ width: 256, height: 171 });
  });

  it('never upscales: an image narrower than the thumbnail width keeps its size', async () => {
    // Given a 100x150 JPEG
    const jpeg = await encodeImage(100, 150, () => GREY, 'image/jpeg');

    // When
    const thumb = await makeThumbnail(jpeg, OPTIONS);

    // Then
    expect(thumb).toMatchObject({ width: 100, height: 150 });
    const image = decoded(thumb.body);
    expect({ width: image.width, height: image.height }).toEqual({ width: 100, height: 150 });
  });

  it('refuses a text file named .jpg', async () => {
    // Given a text file with a picture's name
    const text = Buffer.from('this is not a picture, despite being called holiday.jpg\n');

    // When
    const error = await rejection(makeThumbnail(text, OPTIONS));

    // Then
    expect(error).toBeInstanceOf(UnsupportedImageError);
    expect(error).toHaveProperty('message', 'not a JPEG or PNG image');
  });

  it('refuses a decompression bomb from its PNG header, before decoding', async () => {
    // Given a PNG header claiming 20000x20000 pixels (and no pixel data at all)
    const bomb = pngHeaderOnly(20_000, 20_000);

    // When
    const error = await rejection(makeThumbnail(bomb, OPTIONS));

    // Then the reason is the size, not the missing data
    expect(error).toBeInstanceOf(UnsupportedImageError);
    expect(error).toHaveProperty('message', 'image is 20000x20000 (400 MP); the limit is 50 MP');
  });

  it('refuses a JPEG whose frame header declares too many pixels, before decoding', async () => {
    // Given a small JPEG whose SOF marker was edited to claim 10000x8000
    const jpeg = await encodeImage(64, 64, () => GREY, 'image/jpeg');
    let sof = 2;
    while (jpeg[sof + 1] !== 0xc0) sof += 2 + jpeg.readUInt16BE(sof + 2);
    jpeg.writeUInt16BE(8000, sof + 5);
    jpeg.writeUInt16BE(10_000, sof + 7);

    // When
    const error = await rejection(makeThumbnail(jpeg, OPTIONS));

    // Then
    expect(error).toBeInstanceOf(UnsupportedImageError);
    expect(error).toHaveProperty('message', 'image is 10000x8000 (80 MP); the limit is 50 MP');
  });
});
