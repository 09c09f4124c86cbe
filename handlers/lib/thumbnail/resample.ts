/**
 * Shrinking: an area-average (box) filter straight over the decoded RGBA buffer, flattening alpha onto white on
 * the way: one pass, no full-size intermediate image.
 */
import type { RgbaImage } from './types';

/**
 * Area-average (box filter) downscale of an RGBA image to `width` x `height` (each <= the source's), composited
 * onto white, as opaque RGBA. Each output pixel is the mean of the source area it covers, partly covered source
 * pixels counting in proportion: the right filter for large reductions. One sequential pass over the source;
 * beyond the output, memory is two rows of floats.
 */
export function shrinkOntoWhite(image: RgbaImage, width: number, height: number): Buffer {
  const { width: sw, height: sh, data, hasAlpha } = image;
  const cols = coverage(sw, width);
  const rows = coverage(sh, height);
  // Opaque pixels are summed a 32-bit word at a time, red and blue side by side in one integer. The red half
  // holds at most 255 x 255 (a run shorter than 255 pixels), so it never carries into blue.
  const words =
    !hasAlpha && LITTLE_ENDIAN && data.byteOffset % 4 === 0 && sw / width < 255
      ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2)
      : undefined;
  const row = new Float64Array(width * 3); // a source row, reduced horizontally
  const acc = new Float64Array(width * 3); // the output row being accumulated
  const out = Buffer.alloc(width * height * 4, 255);
  let reduced = -1; // the source row now in `row`: one straddling two output rows is reduced once

  for (let oy = 0; oy < height; oy++) {
    acc.fill(0);
    const first = rows.first[oy] ?? 0;
    const last = rows.last[oy] ?? 0;
    for (let sy = first; sy <= last; sy++) {
      const weight =
        sy === first
          ? (rows.firstWeight[oy] ?? 0)
          : sy === last
            ? (rows.lastWeight[oy] ?? 0)
            : rows.weight;
      if (weight === 0) continue;
      if (sy !== reduced) {
        reduceRow({ data, words, hasAlpha }, sy * sw, cols, row);
        reduced = sy;
      }
      for (let i = 0; i < row.length; i++) acc[i] = (acc[i] ?? 0) + (row[i] ?? 0) * weight;
    }
    for (let i = 0, o = oy * width * 4; i < acc.length; i += 3, o += 4) {
      out[o] = Math.round(acc[i] ?? 0); // a weighted mean of 0..255 values: no clamping needed
      out[o + 1] = Math.round(acc[i + 1] ?? 0);
      out[o + 2] = Math.round(acc[i + 2] ?? 0);
    }
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Horizontal pass over the source row starting at pixel `rowStart`: RGB sums per output column into `into`.
 * `words` is the same pixels as 32-bit words, when the row may be summed that way.
 */
function reduceRow(
  src: { data: Uint8Array; words: Uint32Array | undefined; hasAlpha: boolean },
  rowStart: number,
  cols: Coverage,
  into: Float64Array,
): void {
  const { data, words, hasAlpha } = src;
  for (let ox = 0, o = 0; ox < cols.first.length; ox++, o += 3) {
    const first = rowStart + (cols.first[ox] ?? 0);
    const last = rowStart + (cols.last[ox] ?? 0);
    let r = 0;
    let g = 0;
    let b = 0;
    // the whole pixels strictly between the (possibly partly covered) first and last ones
    if (words !== undefined) {
      let rb = 0;
      for (let p = first + 1; p < last; p++) {
        const rgba = words[p] ?? 0; // little-endian: 0xAABBGGRR
        rb += rgba & 0xff00ff;
        g += rgba & 0xff00;
      }
      r = rb % 0x10000;
      b = (rb - r) / 0x10000;
      g /= 0x100;
    } else if (hasAlpha) {
      for (let p = (first + 1) * 4; p < last * 4; p += 4) {
        const a = data[p + 3] ?? 255;
        r += 255 - ((255 - (data[p] ?? 0)) * a) / 255; // composited over white
        g += 255 - ((255 - (data[p + 1] ?? 0)) * a) / 255;
        b += 255 - ((255 - (data[p + 2] ?? 0)) * a) / 255;
      }
    } else {
      for (let p = (first + 1) * 4; p < last * 4; p += 4) {
        r += data[p] ?? 0;
        g += data[p + 1] ?? 0;
        b += data[p + 2] ?? 0;
      }
    }
    r *= cols.weight;
    g *= cols.weight;
    b *= cols.weight;
    // the ends (a single pixel covering the whole output pixel when there is no reduction)
    const q = first * 4;
    const wq = cols.firstWeight[ox] ?? 0;
    const kq = hasAlpha ? (data[q + 3] ?? 255) / 255 : 1;
    r += (255 - (255 - (data[q] ?? 0)) * kq) * wq;
    g += (255 - (255 - (data[q + 1] ?? 0)) * kq) * wq;
    b += (255 - (255 - (data[q + 2] ?? 0)) * kq) * wq;
    if (last !== first) {
      const z = last * 4;
      const wz = cols.lastWeight[ox] ?? 0;
      const kz = hasAlpha ? (data[z + 3] ?? 255) / 255 : 1;
      r += (255 - (255 - (data[z] ?? 0)) * kz) * wz;
      g += (255 - (255 - (data[z + 1] ?? 0)) * kz) * wz;
      b += (255 - (255 - (data[z + 2] ?? 0)) * kz) * wz;
    }
    into[o] = r;
    into[o + 1] = g;
    into[o + 2] = b;
  }
}

/**
 * How `from` source pixels along one axis cover `to` output pixels: output pixel i spans source pixels
 * first[i]..last[i]; the whole ones in between weigh `weight` (= to/from) each, the two ends their covered
 * fraction of that (first === last when one source pixel covers the output pixel, i.e. no reduction).
 * Exact integer arithmetic in units of 1/to source pixels.
 */
interface Coverage {
  first: Int32Array;
  last: Int32Array;
  firstWeight: Float64Array;
  lastWeight: Float64Array;
  weight: number;
}

function coverage(from: number, to: number): Coverage {
  const first = new Int32Array(to);
  const last = new Int32Array(to);
  const firstWeight = new Float64Array(to);
  const lastWeight = new Float64Array(to);
  for (let i = 0; i < to; i++) {
    const start = i * from; // the output pixel spans [start, end) in units of 1/to source pixels
    const end = start + from;
    const a = Math.floor(start / to);
    const z = Math.ceil(end / to) - 1;
    first[i] = a;
    last[i] = z;
    if (a === z) {
      firstWeight[i] = 1; // only when from === to
    } else {
      firstWeight[i] = ((a + 1) * to - start) / from;
      lastWeight[i] = (end - z * to) / from;
    }
  }
  return { first, last, firstWeight, lastWeight, weight: to / from };
}
