import { defaultFormats, Jimp, PNGFilterType } from 'jimp';
import {
  makeThumbnail,
  readImageSize,
  sniffImageFormat,
  UnsupportedImageError,
  type ThumbnailOptions,
} from '../../handlers/lib/thumbnail';
import type * as EsmAsCommonJs from '../support/esm-as-commonjs';

// Jest cannot load jSquash's ESM-only codec glue: give it the CommonJS conversion the Lambda bundle contains.
jest.mock('@jsquash/jpeg/codec/dec/mozjpeg_dec.js', () =>
  jest
    .requireActual<typeof EsmAsCommonJs>('../support/esm-as-commonjs')
    .esmAsCommonJs('@jsquash/jpeg/codec/dec/mozjpeg_dec.js'),
);
jest.mock('@jsquash/jpeg/codec/enc/mozjpeg_enc.js', () =>
  jest
    .requireActual<typeof EsmAsCommonJs>('../support/esm-as-commonjs')
    .esmAsCommonJs('@jsquash/jpeg/codec/enc/mozjpeg_enc.js'),
);

const OPTIONS: ThumbnailOptions = { width: 256, maxPixels: 50_000_000, quality: 80 };

type Rgba = [number, number, number, number];
const RED: Rgba = [230, 20, 20, 255];
const GREEN: Rgba = [20, 200, 40, 255];
const GREY: Rgba = [128, 128, 128, 255];
const BLUE: Rgba = [20, 40, 220, 255];

// ----- fixtures, made with jimp -------------------------------------------------------------------------

async function encodeImage(
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
async function landscapeJpeg(): Promise<Buffer> {
  return Buffer.from(await landscape());
}

/** A 900x600 PNG: opaque blue left half; right half transparent black on top, half-transparent below. */
const transparentPng = once(() =>
  encodeImage(
    900,
    600,
    (x, y) => (x < 450 ? BLUE : y < 300 ? [0, 0, 0, 0] : [0, 0, 0, 128]),
    'image/png',
  ),
);

/** An APP1 segment holding a big-endian Exif block whose IFD0 has just the Orientation tag. */
function exifOrientationSegment(orientation: number): Buffer {
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
function withSegments(jpeg: Buffer, ...segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

function commentSegment(text: string): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(text.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xfe]), length, Buffer.from(text, 'latin1')]);
}

/** Offset of the JPEG's first SOS (start of scan) marker, where the entropy-coded data begins. */
function startOfScan(jpeg: Buffer): number {
  let pos = 2;
  while (jpeg[pos + 1] !== 0xda) pos += 2 + jpeg.readUInt16BE(pos + 2);
  return pos;
}

/** Marker codes of the segments before the image data. */
function headerMarkers(jpeg: Buffer): number[] {
  const markers: number[] = [];
  const sos = startOfScan(jpeg);
  for (let pos = 2; pos < sos; pos += 2 + jpeg.readUInt16BE(pos + 2)) {
    markers.push(jpeg[pos + 1] ?? 0);
  }
  return markers;
}

/** A PNG made of the signature and an IHDR chunk only (CRC left zero): enough for a header reader. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 6, 0, 0, 0], 16); // 8-bit RGBA, deflate, no filter, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
}

// ----- inspecting the output ----------------------------------------------------------------------------

/** Decodes with jimp's own pure-JS JPEG decoder: an independent opinion on our output. */
function decoded(body: Buffer): {
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
function colourName(pixel: Rgba, tolerance = 24): string {
  for (const [name, colour] of Object.entries(PALETTE)) {
    if (pixel.every((v, i) => Math.abs(v - (colour[i] ?? 0)) <= tolerance)) return name;
  }
  return `rgba(${pixel.join(', ')})`;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

// ----- specs --------------------------------------------------------------------------------------------

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
