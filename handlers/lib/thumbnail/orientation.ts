/** EXIF orientation: how a picture stored sideways or mirrored is turned upright for display. */

/** EXIF 5-8 turn the picture a quarter: its stored width is its displayed height. */
export function turnsAQuarter(orientation: number): boolean {
  return orientation >= 5;
}

interface Orientable {
  rotate(degrees: number): unknown;
  flip(options: { horizontal?: boolean; vertical?: boolean }): unknown;
}

/** Turns a stored image upright for its EXIF orientation (jimp rotates counter-clockwise). */
export function applyOrientation(image: Orientable, orientation: number): void {
  switch (orientation) {
    case 2: // mirrored
      image.flip({ horizontal: true });
      break;
    case 3: // upside down
      image.rotate(180);
      break;
    case 4: // mirrored upside down
      image.flip({ vertical: true });
      break;
    case 5: // transposed
      image.rotate(-90);
      image.flip({ horizontal: true });
      break;
    case 6: // stored turned a quarter counter-clockwise: turn it clockwise (the usual portrait phone photo)
      image.rotate(-90);
      break;
    case 7: // transversed
      image.rotate(-90);
      image.flip({ vertical: true });
      break;
    case 8: // stored turned a quarter clockwise
      image.rotate(90);
      break;
    default:
      break;
  }
}
