/**
 * The thumbnail engine: bytes of an uploaded image in, a small upright JPEG out. Pure domain code (no AWS).
 *
 * Pipeline, cheapest checks first:
 *  1. sniff the format by magic bytes (the file name and Content-Type are the uploader's claims, not facts);
 *  2. read the pixel size from the header and refuse decompression bombs BEFORE decoding anything;
 *  3. decode: JPEG with MozJPEG compiled to WebAssembly (jSquash, the codec behind @jimp/wasm-jpeg; ~5x faster
 *     than jimp's pure-JS decoder), PNG with jimp;
 *  4. shrink with an area-average (box) filter straight over the RGBA buffer, flattening alpha onto white on
 *     the way: one pass, no full-size intermediate image;
 *  5. hand the small bitmap to jimp to turn it upright (EXIF orientation), then encode it with MozJPEG (WASM).
 *     Encoding from pixels is what strips the metadata (EXIF incl. GPS, ICC, comments): the output has none.
 *
 * Bundling: esbuild must inline the codecs' .wasm files into the single-file Lambda bundle with
 * `loader: { '.wasm': 'binary' }`. Unbundled (tests, scripts) they are read from node_modules.
 */
import { readFileSync } from 'node:fs';
import { defaultFormats, Jimp } from 'jimp';
// jSquash's MozJPEG codecs (Emscripten). Used directly rather than through @jimp/wasm-jpeg, whose plugin
// re-instantiates the codec on every call and can only fetch() the .wasm, which Node's fetch cannot do.
import mozjpegDecoderGlue from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';
import mozjpegEncoderGlue from '@jsquash/jpeg/codec/enc/mozjpeg_enc.js';
import { readImageHeader, sniffImageFormat } from './header';
import type { ImageFormat, RgbaImage, Size } from './types';
import { UnsupportedImageError } from './unsupported-image-error';

export interface ThumbnailOptions {
  /** Thumbnail width in px; the height follows the aspect ratio. Narrower sources are never upscaled. */
  width: number;
  /** Refuse images with more pixels than this (decompression-bomb guard), checked before decoding. */
  maxPixels: number;
  /** JPEG quality, 1-100. */
  quality: number;
}

export interface Thumbnail {
  body: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  /** The source as displayed: width and height after its EXIF orientation is applied. */
  source: { format: ImageFormat; width: number; height: number };
}

export async function makeThumbnail(
  bytes: Uint8Array,
  options: ThumbnailOptions,
): Promise<Thumbnail> {
  assertOptions(options);
  const format = sniffImageFormat(bytes);
  if (format === undefined) throw new UnsupportedImageError('not a JPEG or PNG image');

  const header = readImageHeader(bytes, format);
  const { width, height } = header.size;
  if (width * height > options.maxPixels) {
    throw new UnsupportedImageError(
      `image is ${width}x${height} (${megapixels(width * height)} MP); ` +
        `the limit is ${megapixels(options.maxPixels)} MP`,
    );
  }

  const image = format === 'jpeg' ? await decodeJpeg(bytes, header.size) : decodePng(bytes);

  // Sizes of the picture as displayed (upright), and of the thumbnail before orientation is applied.
  const sideways = header.orientation >= 5; // EXIF 5-8 turn the picture a quarter
  const upright = sideways ? { width: image.height, height: image.width } : image;
  const thumbWidth = Math.min(options.width, upright.width);
  const thumbHeight = Math.max(1, Math.round((upright.height * thumbWidth) / upright.width));
  const stored = sideways
    ? { width: thumbHeight, height: thumbWidth }
    : { width: thumbWidth, height: thumbHeight };

  const pixels = shrinkOntoWhite(image, stored.width, stored.height);
  const thumb = new Jimp({ width: stored.width, height: stored.height, data: pixels });
  applyOrientation(thumb, header.orientation);
  const body = await encodeJpeg(thumb.bitmap, options.quality);

  return {
    body,
    contentType: 'image/jpeg',
    width: thumb.bitmap.width,
    height: thumb.bitmap.height,
    source: { format, width: upright.width, height: upright.height },
  };
}

function assertOptions({ width, maxPixels, quality }: ThumbnailOptions): void {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`bad thumbnail width: ${width}`);
  if (!(maxPixels > 0)) throw new RangeError(`bad maxPixels: ${maxPixels}`);
  if (!(quality >= 1 && quality <= 100)) throw new RangeError(`bad JPEG quality: ${quality}`);
}

function megapixels(pixels: number): string {
  return String(Math.round(pixels / 100_000) / 10);
}

// ---------------------------------------------------------------------------------------------------------
// Codecs

/** An Emscripten module factory, with the options we pass it. */
type EmscriptenFactory<T> = (options: {
  noInitialRun: boolean;
  wasmBinary: Uint8Array;
  print: (line: string) => void;
  printErr: (line: string) => void;
}) => Promise<T>;

interface MozjpegDecoder {
  decode(
    data: Uint8Array,
    preserveOrientation: boolean,
  ): { data: Uint8ClampedArray; width: number; height: number } | null;
}

interface MozjpegEncoder {
  encode(
    data: Uint8Array,
    width: number,
    height: number,
    options: MozjpegEncodeOptions,
  ): Uint8Array;
}

/** Every field is required by the codec. */
interface MozjpegEncodeOptions {
  quality: number;
  baseline: boolean;
  arithmetic: boolean;
  progressive: boolean;
  optimize_coding: boolean;
  smoothing: number;
  color_space: number;
  quant_table: number;
  trellis_multipass: boolean;
  trellis_opt_zero: boolean;
  trellis_opt_table: boolean;
  trellis_loops: number;
  auto_subsample: boolean;
  chroma_subsample: number;
  separate_chroma_quality: boolean;
  chroma_quality: number;
}

/**
 * One lazily instantiated WebAssembly codec, reused across calls (and Lambda invocations). libjpeg prints its
 * warnings and errors through printErr; calls are synchronous, so `messages` holds exactly the current call's.
 */
class WasmCodec<T> {
  messages: string[] = [];
  private instance: Promise<T> | undefined;

  constructor(
    private readonly factory: EmscriptenFactory<T>,
    private readonly wasmBinary: () => Uint8Array,
  ) {}

  get(): Promise<T> {
    this.instance ??= this.factory({
      noInitialRun: true,
      wasmBinary: this.wasmBinary(),
      print: () => {},
      printErr: (line) => this.messages.push(line),
    });
    return this.instance;
  }

  /** Forget `instance` (if still current), freeing its memory; the next get() starts a fresh one. */
  retire(instance: Promise<T>): void {
    if (this.instance === instance) this.instance = undefined;
  }
}

/**
 * The codec's .wasm bytes: inlined by esbuild (`loader: { '.wasm': 'binary' }`) in the Lambda bundle, where
 * `embedded()` returns them; unbundled (tests, scripts) Node cannot require() a .wasm file, so read the package's.
 */
function wasmBytes(embedded: () => unknown, installed: string): () => Uint8Array {
  let bytes: Uint8Array | undefined;
  return () => {
    if (bytes === undefined) {
      let inlined: unknown;
      try {
        inlined = embedded();
      } catch {
        inlined = undefined;
      }
      bytes = inlined instanceof Uint8Array ? inlined : readFileSync(require.resolve(installed));
    }
    return bytes;
  };
}

// jSquash's MozJPEG glue is typed through a global namespace its .d.ts does not bring into scope (so: any);
// these are its real shapes.
const jpegDecoder = new WasmCodec(
  mozjpegDecoderGlue as EmscriptenFactory<MozjpegDecoder>,
  wasmBytes(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm'),
    '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm',
  ),
);
const jpegEncoder = new WasmCodec(
  mozjpegEncoderGlue as EmscriptenFactory<MozjpegEncoder>,
  wasmBytes(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => require('@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm'),
    '@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm',
  ),
);

/** libjpeg warnings that leave the pixels intact; any other warning means damaged image data. */
const HARMLESS_JPEG_WARNINGS =
  /extraneous bytes before marker|bad ICC marker|unknown JFIF revision|unknown Adobe color transform/i;
/** After decoding more pixels than this, drop the decoder so its grown WebAssembly memory is reclaimed. */
const RECYCLE_DECODER_ABOVE_PIXELS = 16_000_000;

async function decodeJpeg(bytes: Uint8Array, header: Size): Promise<RgbaImage> {
  const instance = jpegDecoder.get();
  const codec = await instance;
  jpegDecoder.messages = [];
  let result: ReturnType<MozjpegDecoder['decode']>;
  try {
    result = codec.decode(bytes, false); // false: leave EXIF orientation to us
  } catch (error) {
    jpegDecoder.retire(instance); // an aborted call leaves its allocations behind: start afresh
    if (!isCodecAbort(error)) throw error;
    throw new UnsupportedImageError(describeJpegFailure(jpegDecoder.messages, error));
  }
  const messages = jpegDecoder.messages;
  jpegDecoder.messages = [];
  if (result === null) throw new UnsupportedImageError(describeJpegFailure(messages, undefined));
  const damage = messages.find((line) => !HARMLESS_JPEG_WARNINGS.test(line));
  if (damage !== undefined) {
    throw new UnsupportedImageError(
      /premature end of JPEG file/i.test(damage)
        ? `truncated JPEG data (${damage})`
        : `corrupt JPEG data (${damage})`,
    );
  }
  const { width, height, data } = result;
  if (width !== header.width || height !== header.height) {
    throw new UnsupportedImageError(
      `corrupt JPEG data (decoded ${width}x${height}, header says ${header.width}x${header.height})`,
    );
  }
  if (width * height > RECYCLE_DECODER_ABOVE_PIXELS) jpegDecoder.retire(instance);
  return { width, height, data: plainBytes(data), hasAlpha: false };
}

/**
 * libjpeg gives up on bad data by exit()ing, which Emscripten throws as an ExitStatus (not an Error); a trap
 * in the WebAssembly code is a RuntimeError. Anything else (a TypeError from the bindings, say) is a bug.
 */
function isCodecAbort(error: unknown): boolean {
  const name = error instanceof Object && 'name' in error ? error.name : undefined;
  return name === 'ExitStatus' || name === 'RuntimeError';
}

function describeJpegFailure(messages: string[], error: unknown): string {
  const reason =
    messages.at(-1) ?? (error instanceof Error ? error.message : 'the decoder gave up');
  return /unsupported (color conversion|JPEG process)|arithmetic/i.test(reason)
    ? `unsupported kind of JPEG (${reason})`
    : `corrupt JPEG data (${reason})`;
}

/**
 * jimp's PNG codec (pngjs), called directly: Jimp.fromBuffer() would first sniff the type with `file-type`
 * through a dynamic import(), which buys nothing here (the bytes are sniffed already) and breaks under Jest.
 */
function jimpPngCodec(): { decode(data: Buffer): { data: Buffer; width: number; height: number } } {
  for (const format of defaultFormats) {
    const codec = format();
    if (codec.mime === 'image/png') return codec;
  }
  throw new Error("jimp's default formats have no PNG codec");
}

function decodePng(bytes: Uint8Array): RgbaImage {
  let bitmap: { data: Buffer; width: number; height: number };
  try {
    bitmap = jimpPngCodec().decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).lastIndexOf('IEND') < 0) {
      throw new UnsupportedImageError('truncated PNG data (no IEND chunk)');
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new UnsupportedImageError(`corrupt PNG data (${reason})`);
  }
  const { width, height, data } = bitmap;
  return { width, height, data: plainBytes(data), hasAlpha: true };
}

async function encodeJpeg(
  bitmap: { width: number; height: number; data: Uint8Array },
  quality: number,
): Promise<Buffer> {
  const codec = await jpegEncoder.get();
  const encoded = codec.encode(bitmap.data, bitmap.width, bitmap.height, {
    quality,
    baseline: false,
    arithmetic: false,
    progressive: false, // nothing to gain at thumbnail size; baseline decodes faster
    optimize_coding: true,
    smoothing: 0,
    color_space: 3, // YCbCr
    quant_table: 3,
    trellis_multipass: false,
    trellis_opt_zero: false,
    trellis_opt_table: false,
    trellis_loops: 1,
    auto_subsample: true,
    chroma_subsample: 2,
    separate_chroma_quality: false,
    chroma_quality: quality,
  });
  return Buffer.from(encoded); // a copy: the codec's array may be a view of its memory
}

/** The same bytes as a plain Uint8Array (not a Buffer or Uint8ClampedArray): one array type for the hot loop. */
function plainBytes(bytes: Uint8Array | Uint8ClampedArray): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---------------------------------------------------------------------------------------------------------
// Resampling

/**
 * Area-average (box filter) downscale of an RGBA image to `width` x `height` (each <= the source's), composited
 * onto white, as opaque RGBA. Each output pixel is the mean of the source area it covers, partly covered source
 * pixels counting in proportion: the right filter for large reductions. One sequential pass over the source;
 * beyond the output, memory is two rows of floats.
 */
function shrinkOntoWhite(image: RgbaImage, width: number, height: number): Buffer {
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

// ---------------------------------------------------------------------------------------------------------
// Orientation

interface Orientable {
  rotate(degrees: number): unknown;
  flip(options: { horizontal?: boolean; vertical?: boolean }): unknown;
}

/** Turns a stored image upright for its EXIF orientation (jimp rotates counter-clockwise). */
function applyOrientation(image: Orientable, orientation: number): void {
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
