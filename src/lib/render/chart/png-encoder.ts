/**
 * PNG files from straight RGBA pixels. gph's addon (native/png-encoder.c) encodes a chart on two
 * threads of libuv's pool: every row gets the Paeth filter, and the filtered bytes (mostly zeros on
 * a chart) are compressed as runs and literals with a Huffman code per block, as zlib's Z_RLE
 * strategy does; an 800×600 chart of ten day-long series takes ~1 ms and ~220 kB. Without the
 * addon @napi-rs/image (Rust's `png` crate, fdeflate, Paeth on every row) does it: ~2.3 ms and
 * ~260 kB (zlib at level 1 took 5 ms and Skia's own encoder 11). Either way the JavaScript thread
 * is free meanwhile. Loaded with the chart code only.
 */
import { nativeAddon } from '../../native-addon.js';

/** Encodes width × height straight-alpha RGBA pixels as an 8-bit RGBA PNG (the pixels must not change until it settles). */
export async function encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<Buffer> {
  const addon = nativeAddon();
  if (addon) return addon.encodePng(rgba, width, height);
  return encodePngWithoutAddon(rgba, width, height);
}

/** The encoder used without gph's addon (exported for tests, which hold both to the same decoder). */
export async function encodePngWithoutAddon(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<Buffer> {
  const { CompressionType, FilterType, Transformer } = await import('@napi-rs/image');
  return Transformer.fromRgbaPixels(rgba, width, height).png({ compressionType: CompressionType.Fast, filterType: FilterType.Paeth });
}
