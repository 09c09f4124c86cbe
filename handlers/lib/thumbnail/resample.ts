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
  const rows = coverage(image.height, height);
  const sourceRow = reducedRows(image, width);
  const acc = new Float64Array(width * 3); // the output row being accumulated
  const out = Buffer.alloc(width * height * 4, 255);
  for (let oy = 0; oy < height; oy++) {
    accumulateOutputRow(rows, oy, sourceRow, acc);
    writeOpaqueRow(acc, out, oy * width * 4);
  }
  return out;
}

/** Output row `oy` into `acc`: the source rows it covers, reduced horizontally, each times its weight. */
function accumulateOutputRow(
  rows: Coverage,
  oy: number,
  sourceRow: (sy: number) => Float64Array,
  acc: Float64Array,
): void {
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
    const row = sourceRow(sy);
    for (let i = 0; i < row.length; i++) acc[i] = (acc[i] ?? 0) + (row[i] ?? 0) * weight;
  }
}

/** The accumulated RGB of one output row as RGBA pixels from `start` (alpha is already 255). */
function writeOpaqueRow(acc: Float64Array, out: Buffer, start: number): void {
  for (let i = 0, o = start; i < acc.length; i += 3, o += 4) {
    out[o] = Math.round(acc[i] ?? 0); // a weighted mean of 0..255 values: no clamping needed
    out[o + 1] = Math.round(acc[i + 1] ?? 0);
    out[o + 2] = Math.round(acc[i + 2] ?? 0);
  }
}

/** The source pixels as the horizontal pass reads them. */
interface PixelSource {
  data: Uint8Array;
  /** The same pixels as 32-bit words, when they may be summed that way. */
  words: Uint32Array | undefined;
  hasAlpha: boolean;
}

/**
 * Source row `sy` reduced horizontally to `width` columns of RGB sums. The row last reduced is kept: a source
 * row straddling two output rows is reduced once.
 */
function reducedRows(image: RgbaImage, width: number): (sy: number) => Float64Array {
  const { width: sw, data, hasAlpha } = image;
  const cols = coverage(sw, width);
  const src: PixelSource = { data, words: opaqueWords(image, width), hasAlpha };
  const row = new Float64Array(width * 3);
  let reduced = -1;
  return (sy) => {
    if (sy !== reduced) {
      reduceRow(src, sy * sw, cols, row);
      reduced = sy;
    }
    return row;
  };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Opaque pixels are summed a 32-bit word at a time, red and blue side by side in one integer. The red half
 * holds at most 255 x 255 (a run shorter than 255 pixels), so it never carries into blue.
 */
function opaqueWords(image: RgbaImage, width: number): Uint32Array | undefined {
  const { data } = image;
  return !image.hasAlpha && LITTLE_ENDIAN && data.byteOffset % 4 === 0 && image.width / width < 255
    ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2)
    : undefined;
}

/** Horizontal pass over the source row starting at pixel `rowStart`: RGB sums per output column into `into`. */
function reduceRow(src: PixelSource, rowStart: number, cols: Coverage, into: Float64Array): void {
  const whole = new Float64Array(3);
  for (let ox = 0, o = 0; ox < cols.first.length; ox++, o += 3) {
    const first = rowStart + (cols.first[ox] ?? 0);
    const last = rowStart + (cols.last[ox] ?? 0);
    // the whole pixels strictly between the (possibly partly covered) first and last ones
    if (src.words !== undefined) sumOpaqueWords(src.words, first, last, whole);
    else if (src.hasAlpha) sumOverWhite(src.data, first, last, whole);
    else sumOpaque(src.data, first, last, whole);
    into[o] = (whole[0] ?? 0) * cols.weight;
    into[o + 1] = (whole[1] ?? 0) * cols.weight;
    into[o + 2] = (whole[2] ?? 0) * cols.weight;
    // the ends (a single pixel covering the whole output pixel when there is no reduction)
    addPartPixel(src, first, cols.firstWeight[ox] ?? 0, into, o);
    if (last !== first) addPartPixel(src, last, cols.lastWeight[ox] ?? 0, into, o);
  }
}

/** RGB sums of the pixels after `first` and before `last`, read a 32-bit word (0xAABBGGRR) at a time. */
function sumOpaqueWords(words: Uint32Array, first: number, last: number, sums: Float64Array): void {
  let rb = 0;
  let g = 0;
  for (let p = first + 1; p < last; p++) {
    const rgba = words[p] ?? 0; // little-endian: 0xAABBGGRR
    rb += rgba & 0xff00ff;
    g += rgba & 0xff00;
  }
  const r = rb % 0x10000;
  sums[0] = r;
  sums[1] = g / 0x100;
  sums[2] = (rb - r) / 0x10000;
}

/** RGB sums of the pixels after `first` and before `last`, each composited over white. */
function sumOverWhite(data: Uint8Array, first: number, last: number, sums: Float64Array): void {
  let r = 0;
  let g = 0;
  let b = 0;
  for (let p = (first + 1) * 4; p < last * 4; p += 4) {
    const a = data[p + 3] ?? 255;
    r += 255 - ((255 - (data[p] ?? 0)) * a) / 255;
    g += 255 - ((255 - (data[p + 1] ?? 0)) * a) / 255;
    b += 255 - ((255 - (data[p + 2] ?? 0)) * a) / 255;
  }
  sums[0] = r;
  sums[1] = g;
  sums[2] = b;
}

/** RGB sums of the opaque pixels after `first` and before `last`. */
function sumOpaque(data: Uint8Array, first: number, last: number, sums: Float64Array): void {
  let r = 0;
  let g = 0;
  let b = 0;
  for (let p = (first + 1) * 4; p < last * 4; p += 4) {
    r += data[p] ?? 0;
    g += data[p + 1] ?? 0;
    b += data[p + 2] ?? 0;
  }
  sums[0] = r;
  sums[1] = g;
  sums[2] = b;
}

/** Adds pixel `pixel`, composited over white, times the fraction `weight` it covers, to `into` from `o`. */
function addPartPixel(
  src: PixelSource,
  pixel: number,
  weight: number,
  into: Float64Array,
  o: number,
): void {
  const { data } = src;
  const q = pixel * 4;
  const k = src.hasAlpha ? (data[q + 3] ?? 255) / 255 : 1;
  into[o] = (into[o] ?? 0) + (255 - (255 - (data[q] ?? 0)) * k) * weight;
  into[o + 1] = (into[o + 1] ?? 0) + (255 - (255 - (data[q + 1] ?? 0)) * k) * weight;
  into[o + 2] = (into[o + 2] ?? 0) + (255 - (255 - (data[q + 2] ?? 0)) * k) * weight;
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
