/** The thumbnail engine's public face: what the image processor, its specs and the benchmark use. */
export { readImageSize, sniffImageFormat } from './header';
export { makeThumbnail, type Thumbnail, type ThumbnailOptions } from './make-thumbnail';
export type { ImageFormat } from './types';
export { UnsupportedImageError } from './unsupported-image-error';
