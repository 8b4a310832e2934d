/**
 * posix_fallocate(3), for creating whisper files with their blocks allocated but not written
 * (whisper.py's fallocate create, carbon's WHISPER_FALLOCATE_CREATE), through gph's addon.
 */
import { nativeAddon } from '../native-addon.js';

/** True when the addon was built (npm install with node-gyp's tools present). */
export function canFallocate(): boolean {
  return nativeAddon() !== null;
}

/** Allocates `length` bytes of `fd` from `offset`: 0, or the errno posix_fallocate failed with. */
export function fallocate(fd: number, offset: number, length: number): number {
  const native = nativeAddon();
  if (!native) throw new Error('the gph_native addon is not built');
  return native.fallocate(fd, offset, length);
}
