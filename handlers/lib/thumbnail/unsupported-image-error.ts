/** The upload is not an image we can (or are willing to) thumbnail. `message` is a human-readable reason. */
export class UnsupportedImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedImageError';
  }
}
