/** Shrinking (resample.ts), through the pipeline: the picture survives, transparency becomes white. */
import '../../support/jsquash-as-commonjs'; // first: the engine's codecs load as CommonJS under Jest
import { makeThumbnail } from '../../../handlers/lib/thumbnail';
import {
  colourName,
  decoded,
  landscapeJpeg,
  OPTIONS,
  transparentPng,
} from '../../support/thumbnail-fixtures';

describe('makeThumbnail, shrinking', () => {
  it('keeps the picture: the shrunken corners are still red, green and grey', async () => {
    // Given a 1200x800 JPEG marked red top-left and green top-right
    const jpeg = await landscapeJpeg();

    // When
    const image = decoded((await makeThumbnail(jpeg, OPTIONS)).body);

    // Then
    expect(colourName(image.at(10, 10))).toBe('red');
    expect(colourName(image.at(245, 10))).toBe('green');
    expect(colourName(image.at(128, 150))).toBe('grey');
  });

  it('flattens PNG transparency onto white', async () => {
    // Given a 900x600 PNG: opaque blue left half; right half transparent black on top, half-transparent below
    const png = await transparentPng();

    // When
    const thumb = await makeThumbnail(png, OPTIONS);

    // Then invisible pixels are white, half-visible black is mid grey, the opaque blue is untouched
    expect(thumb.source).toEqual({ format: 'png', width: 900, height: 600 });
    const image = decoded(thumb.body);
    expect(colourName(image.at(200, 40), 6)).toBe('white');
    expect(colourName(image.at(200, 130), 8)).toBe('grey'); // 128
    expect(colourName(image.at(60, 85))).toBe('blue');
  });
});
