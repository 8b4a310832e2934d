/**
 * diff(): compare two files with the same archives, archive by archive (whisper.py diff).
 * Each archive covers only the time older than the archive before it.
 */
import { nowSeconds } from '../clock.js';
import { archiveFetch } from './fetch.js';
import { type WhisperOptions, resolveOptions } from './options.js';
import { assertSameLayout } from './same-layout.js';
import { WhisperFile } from './whisper-file.js';

/** [timestamp, value in a, value in b]. */
export type DiffPoint = [number, number | null, number | null];

export interface ArchiveDiff {
  archive: number;
  /** Points whose values differ (NaN always differs, as in whisper.py). */
  diffs: DiffPoint[];
  /** Points compared: where either file (or with ignoreEmpty both) has a value. */
  total: number;
}

export interface DiffOptions {
  /** Compare only points present in both files. */
  ignoreEmpty?: boolean;
  /** Compare up to this time (default now). */
  until?: number;
}

/** Throws WHISPER_UNALIKE for files with different archives. */
export function diff(pathA: string, pathB: string, diffOptions: DiffOptions = {}, options: WhisperOptions = {}): ArchiveDiff[] {
  const resolved = resolveOptions(options);
  return WhisperFile.with(pathA, 'read', resolved, (a) =>
    WhisperFile.with(pathB, 'read', resolved, (b) => {
      const headerA = a.header();
      assertSameLayout(headerA, b.header(), pathA, pathB, 'diffing');
      const now = nowSeconds(resolved.clock);
      let until = diffOptions.until || now;
      const archives = [...headerA.archives].sort((x, y) => x.retention - y.retention);
      return archives.map((archive, index) => {
        const start = now - archive.retention;
        const fromA = archiveFetch(a, archive, start, until);
        const fromB = archiveFetch(b, archive, start, until);
        const first = Math.min(fromA.timeInfo[0], fromB.timeInfo[0]);
        const last = Math.max(fromA.timeInfo[1], fromB.timeInfo[1]);
        const step = Math.min(fromA.timeInfo[2], fromB.timeInfo[2]);
        const points: DiffPoint[] = [];
        for (let i = 0; i < Math.floor((last - first) / step); i++) {
          const va = fromA.values[i] ?? null;
          const vb = fromB.values[i] ?? null;
          const keep = diffOptions.ignoreEmpty ? va !== null && vb !== null : va !== null || vb !== null;
          if (keep) points.push([i * step + first, va, vb]);
        }
        until = Math.min(start, until);
        return { archive: index, diffs: points.filter(([, va, vb]) => !(va === vb && va === va)), total: points.length };
      });
    }),
  );
}
