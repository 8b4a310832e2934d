/**
 * New files published whole without a temporary name (native/unnamed-file.c: Linux's O_TMPFILE,
 * then a link into place), where the kernel, the file system and the addon allow it; create.ts
 * falls back to a temporary name beside the file where they do not.
 */
import fs from 'node:fs';
import util from 'node:util';
import { nativeAddon } from '../native-addon.js';

/** What opening an unnamed file fails with where the kernel or the file system has no O_TMPFILE. */
const UNSUPPORTED = new Set(['EOPNOTSUPP', 'EISDIR', 'EINVAL', 'ENOSYS']);

let enabled = true;
let procFds: boolean | undefined;
let flags: number | undefined;

/** Turns the unnamed way off (or on again): tests of the fallback, and file systems that misbehave with it. */
export function setUnnamedFiles(on: boolean): void {
  enabled = on;
}

/** Node's kind of error for a failed system call (`errno` > 0). */
function systemError(errno: number, syscall: string, path: string): NodeJS.ErrnoException {
  const code = util.getSystemErrorName(-errno);
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, errno: -errno, syscall, path });
}

/**
 * A descriptor (read-write) of a new file without a name in `dir`, or undefined where files
 * cannot be made so; throws the system error when `dir` is missing or not writable.
 */
export function openUnnamedFile(dir: string): number | undefined {
  const native = nativeAddon();
  // The link's fallback, through /proc/self/fd, needs /proc (a container may not have it).
  if (!enabled || !native || !(procFds ??= fs.existsSync('/proc/self/fd')) || !(flags ??= native.unnamedFileFlags())) return undefined;
  try {
    return fs.openSync(dir, flags, 0o666);
  } catch (error) {
    if (UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/**
 * Names the unnamed file `fd` `filePath`; throws the system error (EEXIST when the path exists,
 * which is left as it was). The addon links the descriptor itself where the kernel lets it, else
 * through /proc/self/fd (`viaProc` asks for that way: tests).
 */
export function linkUnnamedFile(fd: number, filePath: string, viaProc = false): void {
  const failed = nativeAddon()!.linkUnnamedFile(fd, filePath, viaProc);
  if (failed !== 0) throw systemError(failed, 'link', filePath);
}

/** Whether new files in `dir` are made without a name (the cache's writer threads then create side by side). */
export function unnamedFilesWork(dir: string): boolean {
  try {
    const fd = openUnnamedFile(dir);
    if (fd === undefined) return false;
    fs.closeSync(fd);
    return true;
  } catch {
    return false;
  }
}
