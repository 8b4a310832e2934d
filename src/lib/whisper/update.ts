/**
 * update() and updateMany(): write points into a whisper file and propagate them to the
 * lower-precision archives, with whisper.py's routing, duplicate and alignment rules.
 */
import { GphError } from '../errors.js';
import { nowSeconds } from '../clock.js';
import { pythonSetOrder } from '../python/py-set-order.js';
import { type ArchiveInfo, type Header, MAX_UINT32, POINT_SIZE, POINT_TIMESTAMP_OFFSET, POINT_VALUE_OFFSET } from './format.js';
import { type WhisperOptions, resolveOptions } from './options.js';
import { propagate } from './propagate.js';
import { WhisperFile, alignDown, timestampRangeError } from './whisper-file.js';

/** A datapoint: [timestamp in seconds, value]. */
export type Point = readonly [number, number];

function notCoveredError(path: string, timestamp: number, now: number, maxRetention: number): GphError {
  const why = timestamp > now ? `it is ${timestamp - now}s in the future` : `it is older than the file's retention of ${maxRetention}s`;
  return new GphError('WHISPER_TIMESTAMP_NOT_COVERED', `Cannot update "${path}" at ${timestamp}: ${why}`, {
    path,
    hint: 'Give a timestamp between now minus the retention and now (see `gph whisper info`)',
    reference: { type: 'TimestampNotCovered', message: 'Timestamp not covered by any archives in this database.' },
  });
}

/**
 * Writes one point (whisper.py update). `timestamp` defaults to now and is truncated to whole
 * seconds. Throws WHISPER_TIMESTAMP_NOT_COVERED for a future point or one at least maxRetention old.
 */
export function update(path: string, value: number, timestamp?: number, options: WhisperOptions = {}): void {
  const resolved = resolveOptions(options);
  WhisperFile.with(path, 'write', resolved, (file) => {
    const header = file.header();
    const now = nowSeconds(resolved.clock);
    const ts = Math.trunc(timestamp ?? now);
    const age = now - ts;
    if (!(age < header.maxRetention && age >= 0)) throw notCoveredError(path, ts, now, header.maxRetention);
    const index = header.archives.findIndex((a) => a.retention >= age);
    const archive = header.archives[index];
    const interval = alignDown(ts, archive.secondsPerPoint);
    if (!(interval >= 0 && interval <= MAX_UINT32)) throw timestampRangeError(path, interval);
    const base = file.baseInterval(archive);
    file.writePoint(WhisperFile.slotOffset(archive, base, interval), interval, value);
    let higher = archive;
    for (const lower of header.archives.slice(index + 1)) {
      if (!propagate(file, header, interval, higher, lower)) break;
      higher = lower;
    }
  });
}

/**
 * Writes many points (whisper.py update_many). Each point goes to the first archive whose
 * retention covers its age; points older than every archive are dropped, as in whisper.py.
 * Within one interval the newest timestamp wins; for equal timestamps the first given wins.
 */
export function updateMany(path: string, points: readonly Point[], options: WhisperOptions = {}): void {
  if (points.length === 0) return;
  const resolved = resolveOptions(options);
  WhisperFile.with(path, 'write', resolved, (file) => fileUpdateMany(file, points, nowSeconds(resolved.clock), resolved.compat));
}

/** updateMany() on an open file (whisper.py file_update_many). */
export function fileUpdateMany(file: WhisperFile, points: readonly Point[], now: number, compat: boolean): void {
  if (points.length === 0) return;
  const sorted = points.map(([t, v]) => [Math.trunc(t), v] as const).sort((a, b) => b[0] - a[0]);
  const header = file.header();
  let archiveIndex = 0;
  let batch: Array<readonly [number, number]> = [];
  for (const point of sorted) {
    const age = now - point[0];
    while (header.archives[archiveIndex].retention < age) {
      if (batch.length > 0) {
        writeArchiveBatch(file, header, header.archives[archiveIndex], batch.reverse(), compat);
        batch = [];
      }
      archiveIndex++;
      if (archiveIndex >= header.archives.length) break;
    }
    if (archiveIndex >= header.archives.length) break;
    batch.push(point);
  }
  if (archiveIndex < header.archives.length && batch.length > 0) {
    writeArchiveBatch(file, header, header.archives[archiveIndex], batch.reverse(), compat);
  }
}

/** A run of consecutive intervals, packed as whisper points. */
interface Run {
  start: number;
  bytes: Buffer;
}

function packRun(intervals: number[], values: number[], path: string): Run {
  const bytes = Buffer.allocUnsafe(intervals.length * POINT_SIZE);
  intervals.forEach((interval, i) => {
    if (!(interval >= 0 && interval <= MAX_UINT32)) throw timestampRangeError(path, interval);
    bytes.writeUInt32BE(interval, i * POINT_SIZE + POINT_TIMESTAMP_OFFSET);
    bytes.writeDoubleBE(values[i], i * POINT_SIZE + POINT_VALUE_OFFSET);
  });
  return { start: intervals[0], bytes };
}

/**
 * Writes chronological `points` into one archive (whisper.py __archive_update_many), then
 * propagates them to every lower-precision archive, in CPython set order.
 */
export function writeArchiveBatch(file: WhisperFile, header: Header, archive: ArchiveInfo, points: ReadonlyArray<readonly [number, number]>, compat: boolean): void {
  const step = archive.secondsPerPoint;
  const aligned = points.map(([t]) => alignDown(t, step));
  const runs: Run[] = [];
  let intervals: number[] = [];
  let values: number[] = [];
  let previous = 0;
  for (let i = 0; i < points.length; i++) {
    if (i + 1 < points.length && aligned[i] === aligned[i + 1]) continue; // the last of equal intervals wins
    const interval = aligned[i];
    if (!previous || interval === previous + step) {
      intervals.push(interval);
      values.push(points[i][1]);
    } else {
      runs.push(packRun(intervals, values, file.path));
      intervals = [interval];
      values = [points[i][1]];
    }
    previous = interval;
  }
  if (intervals.length > 0) runs.push(packRun(intervals, values, file.path));

  let base = file.baseInterval(archive);
  if (base === 0) base = runs[0].start;
  const archiveEnd = archive.offset + archive.size;
  for (const run of runs) {
    let bytes = run.bytes;
    let start = run.start;
    if (!compat && bytes.byteLength > archive.size) {
      // Only the newest `points` intervals of a run fit; whisper.py writes the rest past the archive end.
      const drop = bytes.byteLength - archive.size;
      bytes = bytes.subarray(drop);
      start += (drop / POINT_SIZE) * step;
    }
    const offset = WhisperFile.slotOffset(archive, base, start);
    const beyond = offset + bytes.byteLength - archiveEnd;
    if (beyond > 0) {
      file.write(offset, bytes.subarray(0, bytes.byteLength - beyond));
      file.write(archive.offset, bytes.subarray(bytes.byteLength - beyond));
    } else {
      file.write(offset, bytes);
    }
  }

  let higher = archive;
  for (const lower of header.archives) {
    if (lower.secondsPerPoint <= archive.secondsPerPoint) continue;
    // Re-inserting a key leaves a CPython set unchanged, so consecutive repeats can go first.
    const lowerAligned: number[] = [];
    for (const t of aligned) {
      const interval = alignDown(t, lower.secondsPerPoint);
      if (interval !== lowerAligned[lowerAligned.length - 1]) lowerAligned.push(interval);
    }
    const lowerIntervals = pythonSetOrder(lowerAligned);
    let propagated = false;
    for (const interval of lowerIntervals) {
      if (propagate(file, header, interval, higher, lower)) propagated = true;
    }
    if (!propagated) break;
    higher = lower;
  }
}
