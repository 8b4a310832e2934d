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
}

/** The job's whisper file. */
function fileOf(job: WriteJob, options: WriteOptions): string {
  if (job.file !== undefined) return job.file;
  if (options.dataDir === undefined) throw new Error(`write job for ${job.metric} has no file and the options no data directory`);
  return metricFilePath(options.dataDir, job.metric, options.tagHashFilenames ?? true);
}

/**
 * Directories this thread has made or found, so that a create costs no mkdir(2) + stat(2) when
 * its directory is known (most new metrics share theirs).
 */
const knownDirectories = new Set<string>();
const MAX_KNOWN_DIRECTORIES = 100_000;

function makeDirectory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  if (knownDirectories.size >= MAX_KNOWN_DIRECTORIES) knownDirectories.clear();
  knownDirectories.add(dir);
}

/**
 * Creates a whisper file with its first points, and its directory unless known; a known
 * directory removed since is made again and the create tried once more.
 */
function createInDirectory(file: string, spec: CreateSpec, points: Float64Array, whisperOptions: WhisperOptions): void {
  const dir = path.dirname(file);
  const known = knownDirectories.has(dir);
  if (!known) makeDirectory(dir);
  const run = (): void => void createWithPoints(file, spec.archives.map((a) => ({ ...a })), spec, points, whisperOptions);
  try {
    run();
  } catch (error) {
    if (!known || (error as { code?: string }).code === 'WHISPER_EXISTS') throw error;
    knownDirectories.delete(dir);
    makeDirectory(dir);
    run();
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
      // (A job may carry a create for a file that exists: looked up here, where no exception is made for it.)
      if (job.create && !fs.existsSync(file)) {
        try {
          // The new file is published with its points in it.
          createInDirectory(file, job.create, job.points, whisperOptions);
          created = true;
        } catch (error) {
          if ((error as { code?: string }).code !== 'WHISPER_EXISTS') return { metric: job.metric, written: 0, created, microseconds: 0, error: (error as Error).message, createFailed: true };
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
