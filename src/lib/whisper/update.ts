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
  updateManyPacked(path, packPoints(points), options);
}

/** updateMany() with the points packed as timestamp, value pairs in one array (the cache's form). */
export function updateManyPacked(path: string, packed: Float64Array, options: WhisperOptions = {}): void {
  if (packed.length === 0) return;
  const resolved = resolveOptions(options);
  WhisperFile.with(path, 'write', resolved, (file) => fileUpdateManyPacked(file, packed, nowSeconds(resolved.clock), resolved.compat));
}

/** Points as timestamp, value pairs in one array. */
function packPoints(points: readonly Point[]): Float64Array {
  const packed = new Float64Array(points.length * 2);
  for (let i = 0; i < points.length; i++) {
    packed[2 * i] = points[i][0];
    packed[2 * i + 1] = points[i][1];
  }
  return packed;
}

/** updateMany() on an open file (whisper.py file_update_many). */
export function fileUpdateMany(file: WhisperFile, points: readonly Point[], now: number, compat: boolean): void {
  fileUpdateManyPacked(file, packPoints(points), now, compat);
}

/**
 * Typed arrays reused by every update (allocating one costs a malloc and a sweep, more than the
 * work done with it). Updates are synchronous and never nest, so one set per thread is enough.
 * They grow up to SCRATCH_MAX_POINTS; a longer batch gets arrays of its own.
 */
const scratch = {
  times: new Float64Array(64),
  order: new Uint32Array(64),
  batchTimes: new Float64Array(64),
  batchValues: new Float64Array(64),
  aligned: new Float64Array(64),
};
const SCRATCH_MAX_POINTS = 4096;

/** The scratch array `key` if it holds `count` elements, else a larger one (kept unless too large). */
function scratchArray<K extends keyof typeof scratch>(key: K, count: number): (typeof scratch)[K] {
  const held = scratch[key];
  if (count <= held.length) return held;
  const grown = new (held.constructor as new (length: number) => (typeof scratch)[K])(Math.max(count, Math.min(2 * held.length, SCRATCH_MAX_POINTS)));
  if (grown.length <= SCRATCH_MAX_POINTS) scratch[key] = grown;
  return grown;
}

/** Above this many points the order is sorted by the engine's merge sort, below by insertion. */
const INSERTION_SORT_LIMIT = 64;

/**
 * Fills order[0..count) with the indices of `times` newest first, equal timestamps in the order
 * they were given (a stable sort). Points usually come oldest first, which insertion from the
 * last one makes linear.
 */
function sortNewestFirst(times: Float64Array, order: Uint32Array, count: number): void {
  if (count > INSERTION_SORT_LIMIT) {
    for (let i = 0; i < count; i++) order[i] = i;
    order.subarray(0, count).sort((a, b) => times[b] - times[a] || a - b);
    return;
  }
  for (let i = count - 1, sorted = 0; i >= 0; i--, sorted++) {
    // Every index already placed is greater than i: i goes before those of equal time.
    let j = sorted;
    while (j > 0 && times[order[j - 1]] <= times[i]) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
}

/** fileUpdateMany() of packed timestamp, value pairs. */
export function fileUpdateManyPacked(file: WhisperFile, packed: Float64Array, now: number, compat: boolean): void {
  const count = packed.length >> 1;
  if (count === 0) return;
  const times = scratchArray('times', count);
  const order = scratchArray('order', count);
  for (let i = 0; i < count; i++) times[i] = Math.trunc(packed[2 * i]);
  sortNewestFirst(times, order, count);
  const header = file.header();
  // order[from..to) is one archive's batch, newest first; it is written oldest first.
  const writeBatch = (archive: ArchiveInfo, from: number, to: number): void => {
    const batchTimes = scratchArray('batchTimes', to - from);
    const batchValues = scratchArray('batchValues', to - from);
    for (let k = to - 1, j = 0; k >= from; k--, j++) {
      batchTimes[j] = times[order[k]];
      batchValues[j] = packed[2 * order[k] + 1];
    }
    writeArchiveColumns(file, header, archive, batchTimes, batchValues, to - from, compat);
  };
  let archiveIndex = 0;
  let from = 0;
  let k = 0;
  for (; k < count; k++) {
    const age = now - times[order[k]];
    while (header.archives[archiveIndex].retention < age) {
      if (k > from) writeBatch(header.archives[archiveIndex], from, k);
      from = k;
      archiveIndex++;
      if (archiveIndex >= header.archives.length) break;
    }
    if (archiveIndex >= header.archives.length) break;
  }
  if (archiveIndex < header.archives.length && k > from) writeBatch(header.archives[archiveIndex], from, k);
}

/**
 * Writes chronological `points` into one archive (whisper.py __archive_update_many), then
 * propagates them to every lower-precision archive, in CPython set order.
 */
export function writeArchiveBatch(file: WhisperFile, header: Header, archive: ArchiveInfo, points: ReadonlyArray<readonly [number, number]>, compat: boolean): void {
  const times = new Float64Array(points.length);
  const values = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) {
    times[i] = points[i][0];
    values[i] = points[i][1];
  }
  writeArchiveColumns(file, header, archive, times, values, points.length, compat);
}

/** writeArchiveBatch() of `count` chronological points as two columns (arrays at least that long). */
function writeArchiveColumns(file: WhisperFile, header: Header, archive: ArchiveInfo, times: Float64Array, values: Float64Array, count: number, compat: boolean): void {
  const step = archive.secondsPerPoint;
  const aligned = scratchArray('aligned', count);
  for (let i = 0; i < count; i++) aligned[i] = alignDown(times[i], step);
  // Runs of consecutive intervals, packed as whisper points one after another in `bytes`:
  // run r is points runStarts[r] .. runStarts[r + 1] - 1 (whisper.py's quirk kept: after an
  // interval 0, the next point joins the run whatever its interval).
  const bytes = Buffer.allocUnsafe(count * POINT_SIZE);
  const runStarts: number[] = [];
  let packed = 0;
  let previous = 0;
  for (let i = 0; i < count; i++) {
    if (i + 1 < count && aligned[i] === aligned[i + 1]) continue; // the last of equal intervals wins
    const interval = aligned[i];
    if (packed === 0 || (previous && interval !== previous + step)) runStarts.push(packed);
    if (!(interval >= 0 && interval <= MAX_UINT32)) throw timestampRangeError(file.path, interval);
    bytes.writeUInt32BE(interval, packed * POINT_SIZE + POINT_TIMESTAMP_OFFSET);
    bytes.writeDoubleBE(values[i], packed * POINT_SIZE + POINT_VALUE_OFFSET);
    packed++;
    previous = interval;
  }
  runStarts.push(packed);

  // A run is placed as whisper.py places it: its last interval minus one step per earlier point
  // (not its first interval, which differs after the interval-0 quirk).
  const runStart = (r: number): number => bytes.readUInt32BE((runStarts[r + 1] - 1) * POINT_SIZE + POINT_TIMESTAMP_OFFSET) - step * (runStarts[r + 1] - 1 - runStarts[r]);
  let base = file.baseInterval(archive);
  if (base === 0) base = runStart(0);
  const archiveEnd = archive.offset + archive.size;
  for (let r = 0; r + 1 < runStarts.length; r++) {
    let run = bytes.subarray(runStarts[r] * POINT_SIZE, runStarts[r + 1] * POINT_SIZE);
    let start = runStart(r);
    if (!compat && run.byteLength > archive.size) {
      // Only the newest `points` intervals of a run fit; whisper.py writes the rest past the archive end.
      const drop = run.byteLength - archive.size;
      run = run.subarray(drop);
      start += (drop / POINT_SIZE) * step;
    }
    // whisper.py counts from the base found here even when it is 0 (the first run began at interval 0).
    const offset = WhisperFile.ringOffset(archive, base, start);
    const beyond = offset + run.byteLength - archiveEnd;
    if (beyond > 0) {
      file.write(offset, run.subarray(0, run.byteLength - beyond));
      file.write(archive.offset, run.subarray(run.byteLength - beyond));
    } else {
      file.write(offset, run);
    }
  }

  let higher = archive;
  for (const lower of header.archives) {
    if (lower.secondsPerPoint <= archive.secondsPerPoint) continue;
    // Re-inserting a key leaves a CPython set unchanged, so consecutive repeats can go first.
    const lowerAligned: number[] = [];
    for (let i = 0; i < count; i++) {
      const interval = alignDown(aligned[i], lower.secondsPerPoint);
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
