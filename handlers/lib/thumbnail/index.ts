/** The thumbnail engine's public face: what the image processor, its specs and the benchmark use. */
export {
  makeThumbnail,
  readImageSize,
  sniffImageFormat,
  UnsupportedImageError,
  type ImageFormat,
  type Thumbnail,
  type ThumbnailOptions,
} from './make-thumbnail';
