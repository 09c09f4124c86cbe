/** Image fixtures made with jimp, and a decoder to look at what the processor wrote. */
import { defaultFormats, Jimp } from 'jimp';

/** A JPEG of the given size: a blue field with a red square in the top-left quarter. */
export async function makeJpeg(width: number, height: number): Promise<Buffer> {
  const image = new Jimp({ width, height, color: 0x2050c0ff });
  const data = image.bitmap.data;
  for (let y = 0; y < height / 2; y++) {
    for (let x = 0; x < width / 2; x++) {
      const i = (y * width + x) * 4;
      data[i] = 220;
      data[i + 1] = 30;
      data[i + 2] = 30;
    }
  }
  return image.getBuffer('image/jpeg', { quality: 85 });
}

/**
 * Decodes a JPEG with jimp's own (pure JS) codec, directly: Jimp.fromBuffer() sniffs the type
 * through a dynamic import() that Jest cannot run.
 */
export function decodeJpeg(bytes: Buffer): { width: number; height: number } {
  for (const format of defaultFormats) {
    const codec = format();
    if (codec.mime === 'image/jpeg') {
      const { width, height } = codec.decode(bytes);
      return { width, height };
    }
  }
  throw new Error("jimp's default formats have no JPEG codec");
}
