/**
 * Advisory locking with flock(2), the call whisper.py and carbon use, so gph and a running carbon
 * never interleave writes to one file. Node has no flock, so it comes from the `fs-ext` native
 * addon (built from source by node-gyp at install time), loaded on first use.
 */
import { createRequire } from 'node:module';
import { GphError } from '../errors.js';

interface FsExt {
  flockSync(fd: number, flags: 'ex' | 'sh' | 'un' | 'exnb' | 'shnb'): void;
}

let fsExt: FsExt | undefined;

function loadFsExt(): FsExt {
  if (!fsExt) {
    try {
      fsExt = createRequire(import.meta.url)('fs-ext') as FsExt;
    } catch (cause) {
      throw new GphError('LOCK_UNAVAILABLE', 'Cannot lock whisper files: the fs-ext native addon did not load', {
        hint: 'Reinstall with build tools present (npm rebuild fs-ext), or run without locking',
        cause,
      });
    }
  }
  return fsExt;
}

/** Takes an exclusive lock on `fd`, waiting for other holders; released when the descriptor closes. */
export function lockExclusive(fd: number): void {
  loadFsExt().flockSync(fd, 'ex');
}

/** Tries to take an exclusive lock without waiting; false when another process holds one. */
export function tryLockExclusive(fd: number): boolean {
  try {
    loadFsExt().flockSync(fd, 'exnb');
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN' || (error as NodeJS.ErrnoException).code === 'EWOULDBLOCK') return false;
    throw error;
  }
}
