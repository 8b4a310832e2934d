/**
 * resize(): rebuild a whisper file with new archives, keeping its data (whisper-resize).
 *
 * The new file is written beside the old one (PATH.tmp, or `newfile`), synced, and then put in
 * place with one atomic rename after a hard-linked backup, so PATH always names a whole file.
 * gph migrates every slot of every archive; whisper-resize drops each archive's oldest slot and
 * its --aggregate crashes on Python 3 (both reproduced in compatibility mode).
 */
import fs from 'node:fs';
import { GphError, fileSystemError } from '../errors.js';
import { nowSeconds } from '../clock.js';
import { aggregate } from './aggregate.js';
import { checkAggregationMethod, checkXFilesFactor, create, emptyFileBytes, publishFile } from './create.js';
import { archiveFetch, fileFetch } from './fetch.js';
import type { ArchiveInfo, ArchiveSpec, Header } from './format.js';
import { type WhisperOptions, resolveOptions } from './options.js';
import { validateArchiveList } from './retention.js';
import { fileUpdateMany, updateMany, writeArchiveBatch } from './update.js';
import { WhisperFile, alignDown, floorMod } from './whisper-file.js';

export interface ResizeOptions {
  /** New xFilesFactor (default: the file's). */
  xFilesFactor?: number | string;
  /** New aggregation method (default: the file's). */
  aggregationMethod?: string;
  /** Aggregate old points into each new archive instead of copying them point by point. */
  aggregate?: boolean;
  /** Write the result to this path and leave the original alone. */
  newfile?: string;
  /** Remove PATH.bak after a successful resize. */
  nobackup?: boolean;
  /** Receives whisper-resize's progress lines ("Creating new whisper database: ..."). */
  onMessage?: (line: string) => void;
}

export interface ResizeReport {
  path: string;
  /** Where the new data went: `path`, or `newfile`. */
  output: string;
  backup?: string;
  size: number;
  pointsMigrated: number;
}

interface OldArchive {
  archive: ArchiveInfo;
  start: number;
  step: number;
  values: Array<number | null>;
}

function knownPoints(data: OldArchive): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  data.values.forEach((value, i) => {
    if (value !== null) points.push([data.start + i * data.step, value]);
  });
  return points;
}

/** Reads each old archive, lowest precision first. */
function readOldArchives(path: string, header: Header, now: number, compat: boolean, options: WhisperOptions): OldArchive[] {
  const archives = [...header.archives].sort((a, b) => b.secondsPerPoint - a.secondsPerPoint);
  return WhisperFile.with(path, 'read', resolveOptions(options), (file) =>
    archives.map((archive) => {
      // whisper-resize fetches (now - retention + spp, now] through fetch(), which loses the oldest slot
      // and may serve the window from a finer archive; gph reads each archive whole.
      const result = compat ? fileFetch(file, now - archive.retention + archive.secondsPerPoint, now, now) : archiveFetch(file, archive, now - archive.retention, now);
      if (!result) return { archive, start: 0, step: archive.secondsPerPoint, values: [] };
      return { archive, start: result.timeInfo[0], step: result.timeInfo[2], values: result.values };
    }),
  );
}

/**
 * Aggregates the old data into each new archive: every new interval takes the finest old archive
 * that still covers it and aggregates the old slots inside it, gated by xFilesFactor.
 */
function migrateWithAggregation(file: WhisperFile, old: OldArchive[], method: string, xff: number, now: number): number {
  const finestFirst = [...old].sort((a, b) => a.archive.secondsPerPoint - b.archive.secondsPerPoint);
  const header = file.header();
  let migrated = 0;
  for (const archive of header.archives) {
    const step = archive.secondsPerPoint;
    const points: Array<[number, number]> = [];
    for (let interval = alignDown(now, step) - (archive.points - 1) * step; interval <= now; interval += step) {
      const source = finestFirst.find((o) => interval >= now - o.archive.retention && o.values.length > 0);
      if (!source) continue;
      if (source.step <= step) {
        const neighbors: Array<number | null> = [];
        for (let t = interval; t < interval + step; t += source.step) {
          const index = (t - source.start) / source.step;
          neighbors.push(index >= 0 && index < source.values.length ? source.values[index] : null);
        }
        const known = neighbors.filter((v): v is number => v !== null);
        if (known.length > 0 && known.length / neighbors.length >= xff) points.push([interval, aggregate(method, known, neighbors)]);
      } else if (floorMod(interval, source.step) === 0) {
        const value = source.values[(interval - source.start) / source.step];
        if (value !== null && value !== undefined) points.push([interval, value]);
      }
    }
    if (points.length > 0) writeArchiveBatch(file, header, archive, points, false);
    migrated += points.length;
  }
  return migrated;
}

/** whisper-resize's --aggregate on Python 3: prints its debug lines, then fails. */
function referenceAggregateDefect(old: OldArchive[], newArchives: ArchiveSpec[], now: number, say: (line: string) => void): never {
  if (old.length === 1) {
    say('oldtimestamps: <map object at 0xADDR>');
    const step = newArchives[0].secondsPerPoint;
    const retention = step * newArchives[0].points;
    const from = now - retention + floorMod(now, step);
    const until = now + floorMod(now, step) + step;
    say(`(${from},${until},${step})`);
    say(`timepoints_to_update: range(${from}, ${until}${step === 1 ? '' : `, ${step}`})`);
  }
  const message = old.length === 1 ? "object of type 'map' has no len()" : "'zip' object is not subscriptable";
  throw new GphError('WHISPER_REFERENCE_DEFECT', 'whisper-resize --aggregate fails on Python 3 (reproduced in compatibility mode)', {
    hint: 'Run without GPH_COMPAT=whisper to aggregate',
    reference: { type: 'TypeError', message },
  });
}

/**
 * Resizes `path` to `newArchives`. Throws FILE_NOT_FOUND, WHISPER_CORRUPT, WHISPER_INVALID_CONFIG,
 * WHISPER_INVALID_AGGREGATION or WHISPER_INVALID_XFF; on any failure the original file is untouched.
 */
export function resize(path: string, newArchives: ArchiveSpec[], resizeOptions: ResizeOptions = {}, options: WhisperOptions = {}): ResizeReport {
  const resolved = resolveOptions(options);
  const say = resizeOptions.onMessage ?? (() => {});
  const now = nowSeconds(resolved.clock);
  const header = WhisperFile.with(path, 'read', resolved, (file) => file.header());
  const xff = resizeOptions.xFilesFactor ?? header.xFilesFactor;
  const method = resizeOptions.aggregationMethod ?? header.aggregationMethod;
  if (!resolved.compat) {
    validateArchiveList(newArchives);
    checkAggregationMethod(method, path);
    checkXFilesFactor(xff, false, path);
  }
  say('Retrieving all data from the archives');
  const old = readOldArchives(path, header, now, resolved.compat, options);

  const temp = `${path}.tmp`;
  const target = resizeOptions.newfile ?? temp;
  if (resizeOptions.newfile === undefined && fs.existsSync(temp)) {
    say(`Removing previous temporary database file: ${temp}`);
    fs.unlinkSync(temp);
  }
  say(`Creating new whisper database: ${target}`);
  let size: number;
  let migrated = 0;
  if (resolved.compat) {
    // whisper-resize: create the file on disk, then update_many into it archive by archive.
    create(target, newArchives, { xFilesFactor: xff, aggregationMethod: method }, options);
    size = fs.statSync(target).size;
    say(`Created: ${target} (${size} bytes)`);
    say(resizeOptions.aggregate ? 'Migrating data with aggregation...' : 'Migrating data without aggregation...');
    if (resizeOptions.aggregate) referenceAggregateDefect(old, newArchives, now, say);
    for (const data of old) {
      const points = knownPoints(data);
      updateMany(target, points, options);
      migrated += points.length;
    }
  } else {
    // gph: build the new file in memory, then write it once, synced, under its final name.
    const file = WhisperFile.inMemory(target, emptyFileBytes(newArchives, checkAggregationMethod(method), checkXFilesFactor(xff)), resolved);
    size = file.size();
    say(`Created: ${target} (${size} bytes)`);
    if (resizeOptions.aggregate) {
      say('Migrating data with aggregation...');
      migrated = migrateWithAggregation(file, old, method, checkXFilesFactor(xff), now);
    } else {
      say('Migrating data without aggregation...');
      for (const data of old) {
        const points = knownPoints(data);
        fileUpdateMany(file, points, now, false);
        migrated += points.length;
      }
    }
    const bytes = file.memoryContents();
    publishFile(target, (fd) => writeAll(fd, bytes), resolved.lock, true);
  }
  if (resizeOptions.newfile !== undefined) return { path, output: target, size, pointsMigrated: migrated };

  const backup = `${path}.bak`;
  say(`Renaming old database to: ${backup}`);
  try {
    if (resolved.compat) {
      fs.renameSync(path, backup);
      say(`Renaming new database to: ${path}`);
      fs.renameSync(temp, path);
    } else {
      // A hard link keeps the backup while one rename swaps the new file in: PATH never goes missing.
      fs.rmSync(backup, { force: true });
      fs.linkSync(path, backup);
      say(`Renaming new database to: ${path}`);
      fs.renameSync(temp, path);
    }
  } catch (error) {
    throw fileSystemError(error, path, 'replace');
  }
  if (resizeOptions.nobackup) {
    say(`Unlinking backup: ${backup}`);
    fs.unlinkSync(backup);
  }
  return { path, output: path, backup: resizeOptions.nobackup ? undefined : backup, size, pointsMigrated: migrated };
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.byteLength; ) done += fs.writeSync(fd, bytes, done, bytes.byteLength - done, done);
}
