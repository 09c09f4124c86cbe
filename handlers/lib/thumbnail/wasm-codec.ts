/**
 * A WebAssembly codec compiled with Emscripten (jSquash's MozJPEG), instantiated once and reused.
 *
 * Bundling: esbuild must inline the codecs' .wasm files into the single-file Lambda bundle with
 * `loader: { '.wasm': 'binary' }`. Unbundled (tests, scripts) they are read from node_modules.
 */
import { readFileSync } from 'node:fs';

/** An Emscripten module factory, with the options we pass it. */
export type EmscriptenFactory<T> = (options: {
  noInitialRun: boolean;
  wasmBinary: Uint8Array;
  print: (line: string) => void;
  printErr: (line: string) => void;
}) => Promise<T>;

/**
 * One lazily instantiated WebAssembly codec, reused across calls (and Lambda invocations). libjpeg prints its
 * warnings and errors through printErr; calls are synchronous, so `messages` holds exactly the current call's.
 */
export class WasmCodec<T> {
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
export function wasmBytes(embedded: () => unknown, installed: string): () => Uint8Array {
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
