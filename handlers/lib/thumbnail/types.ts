/** The shapes the thumbnail engine's stages pass each other: a leaf, imported by every stage. */

export type ImageFormat = 'jpeg' | 'png';

export interface Size {
  width: number;
  height: number;
}

/** A decoded image, as the codec hands it to the resampler. */
export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, rows top to bottom. */
  data: Uint8Array;
  /** false when every alpha byte is known to be 255 (saves the compositing arithmetic). */
  hasAlpha: boolean;
}
