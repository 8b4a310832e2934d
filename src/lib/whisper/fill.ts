/**
 * fill(): copy points from `src` into the gaps of `dst` (carbonate's whisper-fill).
 *
 * gph fills exactly the empty slots of dst with src's data, preferring src's highest-precision
 * archive. In compatibility mode it reproduces whisper-fill: zeros count as gaps, a gap of a
 * single slot is left alone, and the dst point that ends a gap is overwritten by src's value.
 */
import { nowSeconds } from '../clock.js';
import { type FetchResult, fileFetch } from './fetch.js';
import type { Header } from './format.js';
import { type WhisperOptions, resolveOptions } from './options.js';
import { updateMany } from './update.js';
import { WhisperFile, alignDown } from './whisper-file.js';

export interface FillReport {
  /** Points copied into dst. */
  pointsWritten: number;
}

/** Limits a fill to the gaps inside [from, until] (epoch seconds; default all of dst's retention). */
export interface FillWindow {
  from?: number;
  until?: number;
}

function readFetch(path: string, from: number, until: number, now: number, options: WhisperOptions): FetchResult | null {
  return WhisperFile.with(path, 'read', resolveOptions(options), (file) => fileFetch(file, from, until, now));
}

function readHeader(path: string, options: WhisperOptions): Header {
  return WhisperFile.with(path, 'read', resolveOptions(options), (file) => file.header());
}

/** Known src points in [tstart, tstop], newest first, finest archive first (carbonate fill()). */
function sourcePoints(src: string, tstart: number, tstop: number, now: number, options: WhisperOptions, perArchive: (points: Array<[number, number]>) => void): void {
  const header = readHeader(src, options);
  if (tstart < now - header.maxRetention && tstop < now - header.maxRetention) return;
  for (const archive of [...header.archives].sort((a, b) => a.retention - b.retention)) {
    const oldest = now - archive.retention;
    if (tstop <= oldest) continue;
    const from = oldest > tstart ? oldest : tstart;
    const fetched = readFetch(src, from, tstop, now, options);
    if (fetched) {
      const [start, , step] = fetched.timeInfo;
      const points: Array<[number, number]> = [];
      fetched.values.forEach((value, i) => {
        if (value !== null) points.push([start + i * step, value]);
      });
      perArchive(points.reverse());
    }
    tstop = from;
    if (tstart === tstop) return;
  }
}

/** Copies src's data into dst's gaps. Both files must exist; their archives may differ. */
export function fill(src: string, dst: string, options: WhisperOptions = {}, window: FillWindow = {}): FillReport {
  const resolved = resolveOptions(options);
  const now = nowSeconds(resolved.clock);
  let written = 0;
  const write = (points: Array<[number, number]>): void => {
    updateMany(dst, points, options);
    written += points.length;
  };
  let startFrom = Math.min(now, window.until ?? now);
  const dstHeader = readHeader(dst, options);
  for (const archive of [...dstHeader.archives].sort((a, b) => a.retention - b.retention)) {
    const fromTime = Math.max(now - archive.retention, window.from ?? -Infinity);
    if (fromTime >= startFrom) continue;
    const fetched = readFetch(dst, fromTime, startFrom, now, options);
    if (fetched) {
      const [first, end, step] = fetched.timeInfo;
      if (resolved.compat) {
        fillGapsLikeCarbonate(fetched.values, first, end, step, archive.secondsPerPoint, (from, to) => sourcePoints(src, from, to, now, options, write));
      } else {
        // One flag per slot (a Set of timestamps costs more than the fill itself on mostly empty files).
        const values = fetched.values;
        const gap = new Uint8Array(values.length);
        let firstGap = -1;
        let lastGap = -1;
        for (let i = 0; i < values.length; i++) {
          if (values[i] !== null) continue;
          gap[i] = 1;
          if (firstGap < 0) firstGap = i;
          lastGap = i;
        }
        if (firstGap >= 0) {
          const slotOf = (t: number): number => (alignDown(t, step) - first) / step;
          sourcePoints(src, first + firstGap * step - step, first + lastGap * step, now, options, (points) => {
            const wanted = points.filter(([t]) => {
              const slot = slotOf(t);
              return slot >= 0 && slot < gap.length && gap[slot] === 1;
            });
            for (const [t] of wanted) gap[slotOf(t)] = 0;
            if (wanted.length > 0) write(wanted);
          });
        }
      }
    }
    startFrom = fromTime;
  }
  return { pointsWritten: written };
}

/** whisper-fill's gap scan: falsy values (None and 0) are gaps; gaps of one slot are skipped. */
function fillGapsLikeCarbonate(values: Array<number | null>, first: number, end: number, step: number, secondsPerPoint: number, fillRange: (from: number, to: number) => void): void {
  let start = first;
  let gapStart: number | null = null;
  for (const value of values) {
    const missing = !value;
    if (missing && !gapStart) {
      gapStart = start;
    } else if (!missing && gapStart) {
      if (start - gapStart > secondsPerPoint) fillRange(gapStart - step, start);
      gapStart = null;
    } else if (gapStart && start === end - step) {
      fillRange(gapStart - step, start);
    }
    start += step;
  }
}
