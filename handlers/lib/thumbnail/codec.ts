/**
 * Decoding and encoding: JPEG with MozJPEG compiled to WebAssembly (jSquash, the codec behind @jimp/wasm-jpeg;
 * ~5x faster than jimp's pure-JS decoder), PNG with jimp's codec. Encoding from pixels is what strips the
 * metadata (EXIF incl. GPS, ICC, comments): the output has none. Damaged or unsupported data becomes an
 * UnsupportedImageError saying why.
 */
import { defaultFormats } from 'jimp';
// jSquash's MozJPEG codecs (Emscripten). Used directly rather than through @jimp/wasm-jpeg, whose plugin
// re-instantiates the codec on every call and can only fetch() the .wasm, which Node's fetch cannot do.
import mozjpegDecoderGlue from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';
import mozjpegEncoderGlue from '@jsquash/jpeg/codec/enc/mozjpeg_enc.js';
import type { ImageFormat, RgbaImage, Size } from './types';
import { UnsupportedImageError } from './unsupported-image-error';
import { WasmCodec, wasmBytes, type EmscriptenFactory } from './wasm-codec';

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

/** The image's pixels; `size` is its header's, which a JPEG's decoded frame must match. */
export async function decodeImage(
  bytes: Uint8Array,
  format: ImageFormat,
  size: Size,
): Promise<RgbaImage> {
  return format === 'jpeg' ? decodeJpeg(bytes, size) : decodePng(bytes);
}

/** libjpeg warnings that leave the pixels intact; any other warning means damaged image data. */
const HARMLESS_JPEG_WARNINGS =
  /extraneous bytes before marker|bad ICC marker|unknown JFIF revision|unknown Adobe color transform/i;
/** After decoding more pixels than this, drop the decoder so its grown WebAssembly memory is reclaimed. */
const RECYCLE_DECODER_ABOVE_PIXELS = 16_000_000;

async function decodeJpeg(bytes: Uint8Array, header: Size): Promise<RgbaImage> {
  const instance = jpegDecoder.get();
  const { result, messages } = runJpegDecoder(await instance, instance, bytes);
  if (result === null) throw new UnsupportedImageError(describeJpegFailure(messages, undefined));
  refuseDamagedJpeg(messages);
  const { width, height, data } = result;
  if (width !== header.width || height !== header.height) {
    throw new UnsupportedImageError(
      `corrupt JPEG data (decoded ${width}x${height}, header says ${header.width}x${header.height})`,
    );
  }
  if (width * height > RECYCLE_DECODER_ABOVE_PIXELS) jpegDecoder.retire(instance);
  return { width, height, data: plainBytes(data), hasAlpha: false };
}

/** One decoder call and the messages libjpeg printed during it; a call it aborts is an UnsupportedImageError. */
function runJpegDecoder(
  codec: MozjpegDecoder,
  instance: Promise<MozjpegDecoder>,
  bytes: Uint8Array,
): { result: ReturnType<MozjpegDecoder['decode']>; messages: string[] } {
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
  return { result, messages };
}

function refuseDamagedJpeg(messages: readonly string[]): void {
  const damage = messages.find((line) => !HARMLESS_JPEG_WARNINGS.test(line));
  if (damage !== undefined) {
    throw new UnsupportedImageError(
      /premature end of JPEG file/i.test(damage)
        ? `truncated JPEG data (${damage})`
        : `corrupt JPEG data (${damage})`,
    );
  }
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

export async function encodeJpeg(
  bitmap: { width: number; height: number; data: Uint8Array },
  quality: number,
): Promise<Buffer> {
  const codec = await jpegEncoder.get();
  const encoded = codec.encode(
    bitmap.data,
    bitmap.width,
    bitmap.height,
    thumbnailEncoding(quality),
  );
  return Buffer.from(encoded); // a copy: the codec's array may be a view of its memory
}

function thumbnailEncoding(quality: number): MozjpegEncodeOptions {
  return {
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
  };
}

/** The same bytes as a plain Uint8Array (not a Buffer or Uint8ClampedArray): one array type for the hot loop. */
function plainBytes(bytes: Uint8Array | Uint8ClampedArray): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
