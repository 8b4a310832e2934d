/**
 * fetch(): read a time range from the best archive (whisper.py fetch / __archive_fetch).
 */
import { GphError } from '../errors.js';
import { nowSeconds } from '../clock.js';
import type { ArchiveInfo } from './format.js';
import { type WhisperOptions, resolveOptions } from './options.js';
import { parseRetentionDef } from './retention.js';
import { type UnboxedValues, WhisperFile, alignDown, decodeSlots, decodeSlotsUnboxed, unboxedValues } from './whisper-file.js';

/** A fetched series: [fromInterval, untilInterval, step] and one value (or null) per step. */
export interface FetchResult {
  timeInfo: [number, number, number];
  values: Array<number | null>;
}

export interface FetchOptions {
  /** Force the archive with this precision: seconds or a unit string such as "5m" (whisper.py archiveToSelect). */
  archive?: number | string;
}

/**
 * Reads (from, until] of `archive` without any clamping (whisper.py __archive_fetch). The first
 * value belongs to the interval after `from`'s; a zero-length range still yields one value.
 */
export function archiveFetch(file: WhisperFile, archive: ArchiveInfo, fromTime: number, untilTime: number): FetchResult {
  const decode = (parts: Buffer[], start: number, step: number, path: string): Array<number | null> => decodeSlots(parts.length === 1 ? parts[0] : Buffer.concat(parts), start, step, path);
  return archiveRead(file, archive, fromTime, untilTime, decode, (count) => new Array<null>(count).fill(null));
}

/** The (from, until] slots of an archive decoded by `decode` (`empty` when the archive was never written). */
function archiveRead<V>(file: WhisperFile, archive: ArchiveInfo, fromTime: number, untilTime: number, decode: (parts: Buffer[], start: number, step: number, path: string) => V, empty: (count: number) => V): { timeInfo: [number, number, number]; values: V } {
  const step = archive.secondsPerPoint;
  const fromInterval = Math.trunc(alignDown(fromTime, step)) + step;
  let untilInterval = Math.trunc(alignDown(untilTime, step)) + step;
  if (fromInterval === untilInterval) untilInterval += step;
  const base = file.baseInterval(archive);
  if (base === 0) return { timeInfo: [fromInterval, untilInterval, step], values: empty(Math.max(Math.floor((untilInterval - fromInterval) / step), 0)) };
  const fromOffset = WhisperFile.slotOffset(archive, base, fromInterval);
  const untilOffset = WhisperFile.slotOffset(archive, base, untilInterval);
  const parts = file.readRingParts(archive, fromOffset, untilOffset);
  return { timeInfo: [fromInterval, untilInterval, step], values: decode(parts, fromInterval, step, file.path) };
}

function granularityError(seconds: number, path: string): GphError {
  const message = `Invalid granularity: ${seconds}`;
  return new GphError('WHISPER_INVALID_GRANULARITY', `Cannot fetch "${path}" at ${seconds}s granularity: the file has no archive with that precision`, {
    path,
    hint: 'Pick a secondsPerPoint listed by `gph whisper info`',
    reference: { type: 'ValueError', message },
  });
}

/** fileFetch with unboxed values (render reads many files; see UnboxedValues). */
export function fileFetchUnboxed(file: WhisperFile, fromTime: number, untilTime: number | undefined, now: number): { timeInfo: [number, number, number]; values: UnboxedValues } | null {
  const chosen = chooseArchive(file, fromTime, untilTime, now, {});
  if (!chosen) return null;
  return archiveRead(file, chosen.archive, chosen.from, chosen.until, decodeSlotsUnboxed, unboxedValues);
}

/** Chooses the archive to read and fetches with an open file (whisper.py file_fetch). */
export function fileFetch(file: WhisperFile, fromTime: number, untilTime: number | undefined, now: number, fetchOptions: FetchOptions = {}): FetchResult | null {
  const chosen = chooseArchive(file, fromTime, untilTime, now, fetchOptions);
  return chosen && archiveFetch(file, chosen.archive, chosen.from, chosen.until);
}

/** whisper.py file_fetch's range clipping and archive choice; null when nothing of the range is kept. */
function chooseArchive(file: WhisperFile, fromTime: number, untilTime: number | undefined, now: number, fetchOptions: FetchOptions): { archive: ArchiveInfo; from: number; until: number } | null {
  const header = file.header();
  let from = Math.trunc(fromTime);
  let until = Math.trunc(untilTime ?? now);
  if (from > until) {
    const message = `Invalid time interval: from time '${from}' is after until time '${until}'`;
    throw new GphError('WHISPER_INVALID_INTERVAL', message, {
      path: file.path,
      hint: 'Give a --from earlier than --until',
      reference: { type: 'InvalidTimeInterval', message },
    });
  }
  const oldest = now - header.maxRetention;
  if (from > now) return null;
  if (until < oldest) return null;
  if (from < oldest) from = oldest;
  if (until > now) until = now;

  let archive: ArchiveInfo | undefined;
  if (fetchOptions.archive !== undefined && fetchOptions.archive !== '' && fetchOptions.archive !== 0) {
    const seconds = parseRetentionDef(`${fetchOptions.archive}:1`).secondsPerPoint;
    archive = header.archives.find((a) => a.secondsPerPoint === seconds);
    if (!archive) throw granularityError(seconds, file.path);
  } else {
    const age = now - from;
    archive = header.archives.find((a) => a.retention >= age) ?? header.archives[header.archives.length - 1];
  }
  return { archive, from, until };
}

/**
 * Fetches (from, until] from `path` (until defaults to now). Returns null when the range lies
 * wholly in the future or before the file's retention. Throws WHISPER_INVALID_INTERVAL when
 * from > until and WHISPER_INVALID_GRANULARITY for an archive the file does not have.
 */
export function fetch(path: string, fromTime: number, untilTime?: number, fetchOptions: FetchOptions = {}, options: WhisperOptions = {}): FetchResult | null {
  const resolved = resolveOptions(options);
  return WhisperFile.with(path, 'read', resolved, (file) => fileFetch(file, fromTime, untilTime, nowSeconds(resolved.clock), fetchOptions));
}
