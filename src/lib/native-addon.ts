/**
 * gph's small N-API addon (native/*.c, *.cc), which node-gyp builds when npm installs the project
 * (binding.gyp): posix_fallocate(3) and files made without a name (O_TMPFILE, linkat), which
 * Node has no binding for, a JSON datapoint writer
 * (number formatting is most of a JSON render's cost), a whisper slot decoder (byte swapping is
 * most of reading many files), the PNG chart's line coverage, compositing and encoder, and the
 * receivers' line and pickle readers with their metric-name table (a point per ~100 ns instead
 * of ~300). It is looked up in build/Release above this
 * module, wherever the module was compiled or bundled to; without it gph falls back to JavaScript.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A name table of native/line-points.c (an opaque handle). */
export type NativeNameTable = { readonly __nameTable: unique symbol };

export interface NativeAddon {
  fallocate(fd: number, offset: number, length: number): number;
  unnamedFileFlags(): number;
  linkUnnamedFile(fd: number, path: string, viaProc?: boolean): number;
  writeJsonPoints(
    values: Float64Array,
    known: Uint8Array | null,
    count: number,
    start: number,
    step: number,
    flags: number,
    out: Uint8Array,
    offset: number,
  ): number | null;
  decodeSlots(bytes: Uint8Array, expected: number, step: number, values: Float64Array, known: Uint8Array, at: number): void;
  encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<Buffer>;
  coverSeries(packed: Float64Array, index: number, width: number, height: number): { pixels: Int32Array; cover: Float32Array };
  createNameTable(): NativeNameTable;
  clearNameTable(table: NativeNameTable): void;
  readLinePoints(table: NativeNameTable, bytes: Uint8Array, start: number, end: number, maxLineBytes: number, out: Float64Array): number;
  readPicklePoints(table: NativeNameTable, frame: Uint8Array, out: Float64Array): number;
  compositeCoverage(pixels: Uint8Array | Uint8ClampedArray, indexes: Int32Array, cover: Float32Array, r: number, g: number, b: number, a: number): void;
}

const ADDON = path.join('build', 'Release', 'gph_native.node');
/** Directories searched upwards from this module (src/lib, dist/lib, dist/cli/actions). */
const SEARCH_LEVELS = 6;

let addon: NativeAddon | null | undefined;

/** The addon, or null when it was not built (npm install without node-gyp's tools). */
export function nativeAddon(): NativeAddon | null {
  if (addon !== undefined) return addon;
  addon = null;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < SEARCH_LEVELS; level++, dir = path.dirname(dir)) {
    const file = path.join(dir, ADDON);
    if (!fs.existsSync(file)) continue;
    addon = createRequire(import.meta.url)(file) as NativeAddon;
    break;
  }
  return addon;
}
