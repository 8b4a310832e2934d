/**
 * One batch of whisper writes for the cache writer: create missing files, then update_many the
 * points of each metric. Runs the same in the writer's worker thread and inline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createWithPoints } from '../../whisper/create.js';
import type { AggregationMethod, ArchiveSpec } from '../../whisper/format.js';
import type { WhisperOptions } from '../../whisper/options.js';
import { updateManyPacked } from '../../whisper/update.js';
import { metricFilePath } from '../metric-name.js';

export interface CreateSpec {
  archives: ArchiveSpec[];
  xFilesFactor: number;
  aggregationMethod: AggregationMethod;
  sparse: boolean;
  fallocate: boolean;
}

export interface WriteJob {
  metric: string;
  /** Its whisper file (default: metricFilePath(options.dataDir, metric, options.tagHashFilenames)). */
  file?: string;
  /** Present when the file did not exist when the job was made, or was not looked for (no create limit): made only if missing. */
  create?: CreateSpec;
  /** Interleaved timestamp, value pairs. */
  points: Float64Array;
}

export interface WriteJobResult {
  metric: string;
  written: number;
  created: boolean;
  microseconds: number;
  error?: string;
  /** The error was the create's: the file was missing and could not be made. */
  createFailed?: boolean;
  /** The job had no create because its file was known to exist, and the file has gone (removed by someone else): nothing written, the job should be made again with a create. */
  missing?: boolean;
}

export interface WriteOptions {
  lock: boolean;
  autoflush: boolean;
  /** "now" for whisper's retention checks, in seconds. */
  now: number;
  /** Where jobs without a file find theirs: carbon's LOCAL_DATA_DIR and TAG_HASH_FILENAMES. */
  dataDir?: string;
  tagHashFilenames?: boolean;
  /**
   * When the writer started, in seconds: a directory born since (its birth time, where the file
   * system keeps one) was made while it ran, for new metrics, so a new metric's file is made
   * there without being looked for first (were it there after all, the link fails and its points
   * are written into it).
   */
  newSince?: number;
}

/** The job's whisper file. */
function fileOf(job: WriteJob, options: WriteOptions): string {
  if (job.file !== undefined) return job.file;
  if (options.dataDir === undefined) throw new Error(`write job for ${job.metric} has no file and the options no data directory`);
  return metricFilePath(options.dataDir, job.metric, options.tagHashFilenames ?? true);
}

/**
 * Directories this thread has made or found, so that a create costs no mkdir(2) + stat(2) when
 * its directory is known (most new metrics share theirs), each with whether it is new (see
 * WriteOptions.newSince). Looking a missing name up waits for the directory's lock, which the
 * other writer thread holds while it links a file there: in a burst of new metrics sharing a
 * directory the two threads waited on each other hundreds of times per 10,000 files.
 */
const knownDirectories = new Map<string, boolean>();
const MAX_KNOWN_DIRECTORIES = 100_000;

/**
 * Makes `dir` unless it exists; returns whether it is new (made now, or born since `newSince`).
 * Where no birth time is kept Node reports 0 (never new) or, without statx, the change time: an
 * older directory changed since then counts as new, and a file there that exists costs a create
 * that fails at the link (then its points are written into it).
 */
function makeDirectory(dir: string, newSince: number | undefined): boolean {
  const made = fs.mkdirSync(dir, { recursive: true }) !== undefined;
  const isNew = made || (newSince !== undefined && fs.statSync(dir).birthtimeMs >= newSince * 1000);
  if (knownDirectories.size >= MAX_KNOWN_DIRECTORIES) knownDirectories.clear();
  knownDirectories.set(dir, isNew);
  return isNew;
}

/**
 * Creates a whisper file with its first points unless it exists (false then: nothing made), and
 * its directory unless known; a known directory removed since is made again and the create tried
 * once more. In a new directory the file is not looked for first: linking it fails if it is there.
 */
function createIfMissing(file: string, spec: CreateSpec, points: Float64Array, whisperOptions: WhisperOptions, newSince: number | undefined): boolean {
  const dir = path.dirname(file);
  const known = knownDirectories.get(dir);
  const isNew = known ?? makeDirectory(dir, newSince);
  if (!isNew && fs.existsSync(file)) return false;
  const run = (): boolean => {
    try {
      createWithPoints(file, spec.archives.map((a) => ({ ...a })), spec, points, whisperOptions);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'WHISPER_EXISTS') return false;
      throw error;
    }
  };
  try {
    return run();
  } catch (error) {
    if (known === undefined) throw error;
    knownDirectories.delete(dir);
    makeDirectory(dir, newSince);
    return run();
  }
}

/** Runs the jobs; never throws (each job reports its own error). */
export function runWriteJobs(jobs: readonly WriteJob[], options: WriteOptions): WriteJobResult[] {
  const clock = { now: () => options.now, sleep: () => Promise.resolve() };
  const whisperOptions = { clock, lock: options.lock, autoflush: options.autoflush };
  return jobs.map((job) => {
    const started = process.hrtime.bigint();
    let created = false;
    try {
      const file = fileOf(job, options);
      // (A job may carry a create for a file that exists: then its points are written into it.)
      if (job.create) {
        try {
          // The new file is published with its points in it.
          created = createIfMissing(file, job.create, job.points, whisperOptions, options.newSince);
        } catch (error) {
          return { metric: job.metric, written: 0, created, microseconds: 0, error: (error as Error).message, createFailed: true };
        }
      }
      if (!created) updateManyPacked(file, job.points, whisperOptions);
      return { metric: job.metric, written: job.points.length / 2, created, microseconds: Number(process.hrtime.bigint() - started) / 1000 };
    } catch (error) {
      if (!job.create && (error as { code?: string }).code === 'FILE_NOT_FOUND') return { metric: job.metric, written: 0, created, microseconds: 0, missing: true };
      return { metric: job.metric, written: 0, created, microseconds: 0, error: (error as Error).message };
    }
  });
}
