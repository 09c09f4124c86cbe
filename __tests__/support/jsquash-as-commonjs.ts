/**
 * Imported for its effect, before the thumbnail engine: Jest cannot load jSquash's ESM-only MozJPEG codec
 * glue (imported by handlers/lib/thumbnail/codec.ts), so this registers the CommonJS conversion the Lambda
 * bundle contains in its place. The mocks hold for every module the spec file loads after this one.
 */
import type * as EsmAsCommonJs from './esm-as-commonjs';

jest.mock('@jsquash/jpeg/codec/dec/mozjpeg_dec.js', () =>
  jest
    .requireActual<typeof EsmAsCommonJs>('./esm-as-commonjs')
    .esmAsCommonJs('@jsquash/jpeg/codec/dec/mozjpeg_dec.js'),
);
jest.mock('@jsquash/jpeg/codec/enc/mozjpeg_enc.js', () =>
  jest
    .requireActual<typeof EsmAsCommonJs>('./esm-as-commonjs')
    .esmAsCommonJs('@jsquash/jpeg/codec/enc/mozjpeg_enc.js'),
);
