/** EXIF orientation (orientation.ts), through the pipeline: every stored turn ends upright. */
import '../../support/jsquash-as-commonjs'; // first: the engine's codecs load as CommonJS under Jest
import { makeThumbnail } from '../../../handlers/lib/thumbnail';
import {
  colourName,
  decoded,
  exifOrientationSegment,
  landscapeJpeg,
  OPTIONS,
  type Rgba,
  withSegments,
} from '../../support/thumbnail-fixtures';

describe('makeThumbnail, EXIF orientation', () => {
  it('turns a portrait phone photo (stored sideways, EXIF orientation 6) upright', async () => {
    // Given a landscape-stored 1200x800 picture tagged "rotate 90 clockwise to display"
    const jpeg = withSegments(await landscapeJpeg(), exifOrientationSegment(6));

    // When
    const thumb = await makeThumbnail(jpeg, OPTIONS);

    // Then it is portrait, 256x384, and the stored top-left (red) corner is now top-right
    expect(thumb).toMatchObject({ width: 256, height: 384 });
    expect(thumb.source).toEqual({ format: 'jpeg', width: 800, height: 1200 });
    const image = decoded(thumb.body);
    expect({ width: image.width, height: image.height }).toEqual({ width: 256, height: 384 });
    expect(colourName(image.at(245, 10))).toBe('red');
    expect(colourName(image.at(10, 10))).toBe('grey');
  });

  // Where the stored top-left (red) and top-right (green) corners end up once displayed upright.
  it.each([
    [1, 'top-left', 'top-right'],
    [2, 'top-right', 'top-left'],
    [3, 'bottom-right', 'bottom-left'],
    [4, 'bottom-left', 'bottom-right'],
    [5, 'top-left', 'bottom-left'],
    [6, 'top-right', 'bottom-right'],
    [7, 'bottom-right', 'top-right'],
    [8, 'bottom-left', 'top-left'],
  ] as const)(
    'applies EXIF orientation %i: red corner ends %s, green corner %s',
    async (orientation, redCorner, greenCorner) => {
      // Given the 1200x800 picture with that orientation tag
      const jpeg = withSegments(await landscapeJpeg(), exifOrientationSegment(orientation));

      // When
      const image = decoded((await makeThumbnail(jpeg, OPTIONS)).body);

      // Then
      const corner = (where: string): Rgba => {
        const x = where.endsWith('left') ? 8 : image.width - 9;
        const y = where.startsWith('top') ? 8 : image.height - 9;
        return image.at(x, y);
      };
      expect(image.width).toBe(256);
      expect(image.height).toBe(orientation >= 5 ? 384 : 171);
      expect(colourName(corner(redCorner))).toBe('red');
      expect(colourName(corner(greenCorner))).toBe('green');
    },
  );
});
