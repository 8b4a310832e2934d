/**
 * The check merge() and diff() make before pairing two files archive by archive.
 */
import { GphError } from '../errors.js';
import type { Header } from './format.js';

/** Throws WHISPER_UNALIKE unless both headers have identical archive lists. */
export function assertSameLayout(a: Header, b: Header, pathA: string, pathB: string, action: 'merging' | 'diffing'): void {
  const same =
    a.archives.length === b.archives.length &&
    a.archives.every((x, i) => {
      const y = b.archives[i];
      return x.offset === y.offset && x.secondsPerPoint === y.secondsPerPoint && x.points === y.points;
    });
  if (same) return;
  const message = `${pathA} and ${pathB} archive configurations are unalike. Resize the input before ${action}`;
  throw new GphError('WHISPER_UNALIKE', `Cannot compare "${pathA}" with "${pathB}": their archives differ`, {
    hint: `Resize one to the other's archives first (gph whisper resize ${pathB} ...)`,
    reference: { type: 'NotImplementedError', message },
  });
}
