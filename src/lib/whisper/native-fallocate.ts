/**
 * posix_fallocate(3), for creating whisper files with their blocks allocated but not written
 * (whisper.py's fallocate create, carbon's WHISPER_FALLOCATE_CREATE). Node has no binding, so gph
 * carries a small N-API addon (native/fallocate.c) that node-gyp builds when npm installs the
 * project (binding.gyp); it is looked up in build/Release above this module, wherever the module
 * was compiled or bundled to.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface NativeAddon {
  fallocate(fd: number, offset: number, length: number): number;
}

const ADDON = path.join('build', 'Release', 'gph_native.node');
/** Directories searched upwards from this module (src/lib/whisper, dist/lib/whisper, dist/cli/actions). */
const SEARCH_LEVELS = 6;

let addon: NativeAddon | null | undefined;

function load(): NativeAddon | null {
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

/** True when the addon was built (npm install with node-gyp's tools present). */
export function canFallocate(): boolean {
  return load() !== null;
}

/** Allocates `length` bytes of `fd` from `offset`: 0, or the errno posix_fallocate failed with. */
export function fallocate(fd: number, offset: number, length: number): number {
  const native = load();
  if (!native) throw new Error('the gph_native addon is not built');
  return native.fallocate(fd, offset, length);
}
