/**
 * PNG files from straight RGBA pixels, by @napi-rs/image (Rust's `png` crate: its fast
 * compression is fdeflate, written for PNG data, with each row's filter chosen adaptively).
 * Measured on a 800×600 chart of ten day-long series: 2.7 ms on one core against 5 ms for zlib at
 * level 1 (and 11 ms for Skia's own encoder), for ~20 % more bytes than zlib. The encoding runs on
 * libuv's thread pool, so a server keeps answering other requests meanwhile. Loaded with the
 * chart code only.
 */
import { CompressionType, FilterType, Transformer } from '@napi-rs/image';

/** Encodes width × height straight-alpha RGBA pixels as an 8-bit RGBA PNG. */
export function encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<Buffer> {
  return Transformer.fromRgbaPixels(rgba, width, height).png({ compressionType: CompressionType.Fast, filterType: FilterType.Adaptive });
}
